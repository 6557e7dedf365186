import { setTimeout as sleep } from 'node:timers/promises';
import type { SqliteEventStore } from '../../infra/eventstore/sqlite.js';
import type { Position } from '../../infra/eventstore/port.js';
import { sign } from '../../domains/queue/token.js';
import type { PaymentTarget, SagaOutput, SagaPhase } from '../load/saga-payments.js';
import { quantiles } from './latency.js';
import type { PreparedHold } from './saga-prepare.js';
import type { PhaseFigures } from './saga-goals.js';
import type { SystemProcess } from './system-process.js';

/**
 * One measured phase of payments against prepared holds (bench:saga,
 * bench:scale): what was sent, and what the store says became of it.
 */

export interface Phase {
  label: string;
  load: SagaPhase;
  targets: PreparedHold[];
}

/** A payment still PENDING this long after its phase is not waited for any more (the deadline is 30 s). */
export const PHASE_DRAIN_MS = 45_000;

interface PaymentEnd {
  requested?: number;
  ended?: number;
  status?: 'COMPLETED' | 'FAILED';
  reason?: string;
}

/** The phase's payments as the store recorded them: when each was requested and when it ended, by the events' own times. */
export async function paymentsSince(store: SqliteEventStore, after: Position): Promise<Map<string, PaymentEnd>> {
  const ends = new Map<string, PaymentEnd>();
  let cursor = after;
  for (;;) {
    const page = await store.readAll({ after: cursor, maxCount: 5_000, filter: { eventTypes: ['PaymentRequested', 'PaymentCompleted', 'PaymentFailed'] } });
    for (const event of page) {
      const data = event.data as { paymentId: string; reason?: string };
      const end = ends.get(data.paymentId) ?? {};
      if (event.type === 'PaymentRequested') end.requested = event.created.getTime();
      else {
        end.ended = event.created.getTime();
        end.status = event.type === 'PaymentCompleted' ? 'COMPLETED' : 'FAILED';
        end.reason = data.reason;
      }
      ends.set(data.paymentId, end);
    }
    if (page.length < 5_000) return ends;
    cursor = page.at(-1)!.position;
  }
}

/** Waits (up to PHASE_DRAIN_MS) until `expected` payments requested after `after` have ended. */
export async function drain(store: SqliteEventStore, after: Position, expected: number): Promise<{ ends: Map<string, PaymentEnd>; drained: boolean }> {
  const deadline = Date.now() + PHASE_DRAIN_MS;
  for (;;) {
    const ends = await paymentsSince(store, after);
    const ended = [...ends.values()].filter((e) => e.status !== undefined).length;
    if (ended >= expected) return { ends, drained: true };
    if (Date.now() > deadline) return { ends, drained: false };
    await sleep(250);
  }
}

export function systemFigures(phase: Phase, output: SagaOutput, ends: Map<string, PaymentEnd>, drained: boolean): PhaseFigures {
  const endToEnd: number[] = [];
  const saga: number[] = [];
  const failed: Record<string, number> = {};
  let completed = 0;
  let lastEnd = output.startedAt;
  for (const sent of output.payments) {
    const end = sent.paymentId ? ends.get(sent.paymentId) : undefined;
    if (!end?.status || end.ended === undefined) continue;
    lastEnd = Math.max(lastEnd, end.ended);
    if (end.status === 'FAILED') {
      failed[end.reason ?? 'unknown'] = (failed[end.reason ?? 'unknown'] ?? 0) + 1;
      continue;
    }
    completed++;
    endToEnd.push(end.ended - sent.scheduledAt);
    if (end.requested !== undefined) saga.push(end.ended - end.requested);
  }
  const post = output.recording['POST /payments'];
  return {
    label: phase.label,
    offered: phase.load.kind === 'open' ? phase.load.rate : null,
    sent: output.payments.length,
    accepted: output.payments.filter((p) => p.status === 202).length,
    completed,
    failed,
    throughput: (completed * 1000) / Math.max(1, lastEnd - output.startedAt),
    endToEnd: quantiles(endToEnd),
    saga: quantiles(saga),
    post: quantiles(post?.latencies ?? []),
    postStatuses: { ...(post?.statuses ?? {}), ...(post?.errors ?? {}) },
    sendLagP99: quantiles(output.sendLagMs).p99,
    drained,
  };
}

/** On the bare server a payment completes inside its request: the answer is the end. */
export function bareFigures(phase: Phase, output: SagaOutput): PhaseFigures {
  const accepted = output.payments.filter((p) => p.status === 202 && p.answeredAt !== null);
  const endToEnd = accepted.map((p) => (p.endedAt ?? p.answeredAt!) - p.scheduledAt);
  const lastEnd = Math.max(output.startedAt + 1, ...accepted.map((p) => p.endedAt ?? p.answeredAt!));
  const post = output.recording['POST /payments'];
  return {
    label: phase.label,
    offered: phase.load.kind === 'open' ? phase.load.rate : null,
    sent: output.payments.length,
    accepted: accepted.length,
    completed: accepted.length,
    failed: {},
    throughput: (accepted.length * 1000) / (lastEnd - output.startedAt),
    endToEnd: quantiles(endToEnd),
    saga: quantiles([]),
    post: quantiles(post?.latencies ?? []),
    postStatuses: { ...(post?.statuses ?? {}), ...(post?.errors ?? {}) },
    sendLagP99: quantiles(output.sendLagMs).p99,
    drained: true,
  };
}

interface Health {
  projections: Array<{ name: string; lag: number }>;
}

/** Ready: every prepared token ACTIVE (the system's own queue admitted them) and every subscriber at the head. */
export async function waitUntilReady(system: SystemProcess, holds: PreparedHold[]): Promise<number> {
  const started = performance.now();
  const probe = holds.at(-1)!;
  const token = sign(system.queueSecret, { tokenId: probe.tokenId, userId: probe.userId });
  for (;;) {
    const current = (await (await fetch(`${system.url}/queue/tokens/current`, { headers: { 'queue-token': token } })).json()) as { status: string };
    const health = (await (await fetch(`${system.url}/health`)).json()) as Health;
    const lag = Math.max(0, ...health.projections.map((p) => p.lag));
    if (current.status === 'ACTIVE' && lag === 0) return performance.now() - started;
    if (performance.now() - started > 180_000) throw new Error(`the system did not catch up with the prepared store (lag ${lag}, last token ${current.status})`);
    await sleep(500);
  }
}

export const targetsFor = (secret: string, holds: PreparedHold[]): PaymentTarget[] =>
  holds.map((hold) => ({ reservationId: hold.reservationId, token: sign(secret, { tokenId: hold.tokenId, userId: hold.userId }) }));

