import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../infra/config.js';
import { checkInvariants, type InvariantResult } from '../../infra/invariants.js';
import { replayCheck } from '../../infra/cli/replay-check.js';
import { definitions } from '../../infra/inspect/definitions.js';
import { openStores } from '../../infra/stores.js';
import type { ReceivedCancellation, ReceivedReservation } from '../../domains/dataplatform/mock-server.js';
import { markdownTable } from './table.js';

/**
 * The six invariants of DESIGN.md over a benchmark's store, through the one
 * checker the tests and `concertctl check` use; invariant 6 through the CLI's
 * own replay check (every read model from zero against the live one, every
 * reaction rerun against a store that only counts).
 */

/** What the mock data platform kept, as effects per payment: records are counted by the paymentId in their body, so a payment sent under two keys shows as two effects. */
export async function receiverEffects(mockUrl: string): Promise<Array<{ paymentId: string; effects: number }>> {
  const response = await fetch(`${mockUrl}/reservations`);
  if (!response.ok) throw new Error(`the mock data platform answered ${response.status}`);
  const records = (await response.json()) as ReceivedReservation[];
  const effects = new Map<string, number>();
  for (const record of records) effects.set(record.paymentId, (effects.get(record.paymentId) ?? 0) + 1);
  return [...effects].map(([paymentId, count]) => ({ paymentId, effects: count }));
}

/** The cancellations the mock data platform kept, one record per key, for invariant 7's data-platform half (a payment cancelled under two keys shows twice). */
export async function receiverCancellations(mockUrl: string): Promise<Array<{ paymentId: string; effects: number; afterReservation: boolean }>> {
  const response = await fetch(`${mockUrl}/cancellations`);
  if (!response.ok) throw new Error(`the mock data platform answered ${response.status}`);
  const records = (await response.json()) as ReceivedCancellation[];
  return records.map((record) => ({ paymentId: record.paymentId, effects: 1, afterReservation: record.afterReservation }));
}

/** The largest lag behind the head among every checkpointed subscriber, as the system's /health reports it. */
async function largestLag(url: string): Promise<number> {
  const health = (await (await fetch(`${url}/health`)).json()) as { projections: Array<{ lag: number }> };
  return Math.max(0, ...health.projections.map((p) => p.lag));
}

export interface Settled {
  /** From the call until everything had settled; null when the time ran out first. */
  ms: number | null;
  /** What was still moving when it ran out (or nothing). */
  pending: number;
  undelivered: boolean;
  lag: number;
}

/**
 * Waits (bounded) until no payment is PENDING, every COMPLETED one has been
 * delivered or dead-lettered, and every subscriber of the running system
 * (reactions, timers, read models) has reached the head: the saga's whole
 * tail, so that a replay afterwards finds nothing left to do.
 */
export async function waitUntilSettled(dataDir: string, url: string, timeoutMs: number): Promise<Settled> {
  const stores = await openStores(loadConfig({ DATA_DIR: dataDir }));
  const started = performance.now();
  try {
    for (;;) {
      const results = await checkInvariants(stores.events, { now: new Date() });
      const pending = results.find((r) => r.id === 4)?.counts.pending ?? 0;
      const undelivered = !(results.find((r) => r.id === 5)?.ok ?? false);
      const lag = await largestLag(url);
      const elapsed = performance.now() - started;
      if (pending === 0 && !undelivered && lag === 0) return { ms: elapsed, pending, undelivered, lag };
      if (elapsed > timeoutMs) return { ms: null, pending, undelivered, lag };
      await sleep(1_000);
    }
  } finally {
    await stores.reads.close();
    await stores.events.close();
  }
}

/** "settled after 3.2 s", or what was still moving when the time ran out. */
export function settledText(settled: Settled, timeoutMs: number): string {
  if (settled.ms !== null) return `settled after ${(settled.ms / 1000).toFixed(1)} s`;
  const moving = [
    settled.pending > 0 ? `${settled.pending} payments PENDING` : '',
    settled.undelivered ? 'deliveries unfinished' : '',
    settled.lag > 0 ? `a subscriber ${settled.lag} positions behind the head` : '',
  ].filter(Boolean);
  return `had NOT settled within ${(timeoutMs / 1000).toFixed(0)} s (${moving.join(', ')})`;
}

export interface Verdict {
  results: InvariantResult[];
  /** How long invariant 6 (rebuild in memory + replay of every reaction) took. */
  replayMs: number | null;
}

/** Runs the checker on a stopped system's data directory (so every checkpoint has been committed). */
export async function checkStore(
  dataDir: string,
  options: {
    receiver?: Array<{ paymentId: string; effects: number }>;
    receivedCancellations?: Array<{ paymentId: string; effects: number; afterReservation: boolean }>;
    replay: boolean;
    graceMs?: number;
  },
): Promise<Verdict> {
  const config = loadConfig({ DATA_DIR: dataDir });
  const stores = await openStores(config);
  let replayMs: number | null = null;
  try {
    const results = await checkInvariants(stores.events, {
      now: new Date(),
      graceMs: options.graceMs,
      receiver: options.receiver,
      receivedCancellations: options.receivedCancellations,
      replay: options.replay
        ? async () => {
            const started = performance.now();
            const findings = await replayCheck(stores, definitions(stores, config));
            replayMs = performance.now() - started;
            return findings;
          }
        : undefined,
    });
    return { results, replayMs };
  } finally {
    await stores.reads.close();
    await stores.events.close();
  }
}

export const allHold = (verdict: Verdict): boolean => verdict.results.every((r) => r.ok);

/** The verdict as the last section of a report: one row per invariant, its counts and the first violations. */
export function verdictSection(verdict: Verdict, note = ''): string {
  const rows = verdict.results.map((r) => [
    String(r.id),
    r.name,
    r.ok ? 'PASS' : 'FAIL',
    Object.entries(r.counts)
      .map(([name, n]) => `${name}=${n}`)
      .join(' '),
  ]);
  const violations = verdict.results.flatMap((r) => r.violations.map((v) => `- invariant ${r.id}: ${v}`));
  const failed = verdict.results.filter((r) => !r.ok).length;
  return [
    '## Invariants',
    '',
    note,
    '',
    markdownTable(['#', 'invariant', 'verdict', 'counts'], rows),
    '',
    ...(violations.length > 0 ? ['Violations:', '', ...violations, ''] : []),
    failed === 0 ? `**Verdict: all ${verdict.results.length} invariants hold.**` : `**Verdict: ${failed} of ${verdict.results.length} invariants FAIL.**`,
  ].join('\n');
}
