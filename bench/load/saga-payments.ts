import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Recorder, type Recording } from '../support/recorder.js';
import { TimedPool } from './http.js';

/**
 * The load generator of the saga benchmark, a process of its own. Every
 * payment is for a hold prepared in advance (an ACTIVE fan holding a seat
 * with enough points), so what is measured is `POST /payments` and the saga
 * behind it. Open loop: payments start at a fixed rate whatever the answers
 * do, each at its scheduled instant (so a slow server cannot slow the load
 * down and hide its own latency). Closed loop: a fixed number of fans each
 * pay and follow the payment to its end, then the next one pays.
 * Arguments: an input JSON file (SagaInput) and the file to write SagaOutput to.
 */

export interface PaymentTarget {
  reservationId: string;
  token: string;
}

export type SagaPhase = { kind: 'open'; rate: number; durationMs: number } | { kind: 'closed'; concurrency: number; durationMs: number };

export interface SagaInput {
  url: string;
  connections: number;
  phase: SagaPhase;
  targets: PaymentTarget[];
  /** The closed loop's long poll on each payment. */
  waitMs: number;
}

export interface SentPayment {
  paymentId: string | null;
  /** Wall-clock ms (epoch, sub-ms) the payment was due to start: open loop, its slot; closed loop, when it was sent. */
  scheduledAt: number;
  /** Wall-clock ms the answer to POST /payments arrived (null: none). */
  answeredAt: number | null;
  status: number | null;
  /** Closed loop: when the client saw the payment end, and how. */
  endedAt?: number;
  outcome?: string;
}

export interface SagaOutput {
  startedAt: number;
  endedAt: number;
  payments: SentPayment[];
  recording: Recording;
  /** Open loop: how late the generator itself sent, beyond the schedule (its own lag). */
  sendLagMs: number[];
}

const wallClock = () => performance.timeOrigin + performance.now();

const [inputFile, outputFile] = process.argv.slice(2);
if (!inputFile || !outputFile) throw new Error('usage: saga-payments <input.json> <output.json>');
const input = JSON.parse(readFileSync(inputFile, 'utf8')) as SagaInput;
const recorder = new Recorder();
const pool = new TimedPool(input.url, input.connections, recorder);
const payments: SentPayment[] = [];
const sendLagMs: number[] = [];

async function pay(target: PaymentTarget, scheduledAt: number): Promise<SentPayment> {
  const sent: SentPayment = { paymentId: null, scheduledAt, answeredAt: null, status: null };
  payments.push(sent);
  try {
    const answer = await pool.call<{ paymentId?: string }>('POST /payments', 'POST', '/payments', {
      body: { reservationId: target.reservationId },
      headers: { 'queue-token': target.token },
    });
    sent.answeredAt = wallClock();
    sent.status = answer.status;
    sent.paymentId = answer.body.paymentId ?? null;
  } catch {
    // recorded by the pool as an error of its kind
  }
  return sent;
}

async function openLoop(rate: number, durationMs: number): Promise<void> {
  const count = Math.min(input.targets.length, Math.round((rate * durationMs) / 1000));
  const start = wallClock();
  const inFlight: Promise<unknown>[] = [];
  let next = 0;
  while (next < count) {
    const now = wallClock();
    // Everything due by now goes out now: the schedule, not the answers, sets the pace.
    while (next < count && start + (next * 1000) / rate <= now) {
      const scheduledAt = start + (next * 1000) / rate;
      sendLagMs.push(now - scheduledAt);
      inFlight.push(pay(input.targets[next]!, scheduledAt));
      next++;
    }
    if (next < count) await sleep(Math.max(0, Math.min(5, start + (next * 1000) / rate - wallClock())));
  }
  await Promise.all(inFlight);
}

async function closedLoop(concurrency: number, durationMs: number): Promise<void> {
  const end = wallClock() + durationMs;
  let next = 0;
  const worker = async () => {
    while (wallClock() < end && next < input.targets.length) {
      const sent = await pay(input.targets[next++]!, wallClock());
      if (!sent.paymentId) continue;
      for (let round = 0; round < 10; round++) {
        const answer = await pool
          .call<{ status: string; reason?: string }>('GET /payments/:paymentId?waitMs', 'GET', `/payments/${sent.paymentId}?waitMs=${input.waitMs}`)
          .catch(() => null);
        if (answer && answer.status === 200 && answer.body.status !== 'PENDING') {
          sent.endedAt = wallClock();
          sent.outcome = answer.body.reason ? `${answer.body.status} ${answer.body.reason}` : answer.body.status;
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

// Every connection is opened before the clock starts: connection setup is not the saga's latency.
await Promise.all(Array.from({ length: input.connections }, () => pool.call('GET /health (warm-up)', 'GET', '/health').catch(() => undefined)));

const startedAt = wallClock();
if (input.phase.kind === 'open') await openLoop(input.phase.rate, input.phase.durationMs);
else await closedLoop(input.phase.concurrency, input.phase.durationMs);
const endedAt = wallClock();
await pool.close();
const output: SagaOutput = { startedAt, endedAt, payments, recording: recorder.routes, sendLagMs };
writeFileSync(outputFile, JSON.stringify(output));
