/**
 * `npm run bench:cancel`: a schedule of 1,000 seats sold out, then cancelled
 * by the admin. The whole system runs as `npm start` runs it (one process,
 * the mock data platform on). The holds are written in advance through the
 * application commands (bench/support/saga-prepare.ts); every seat is then
 * paid for through `POST /payments` and the sale settles (every payment
 * COMPLETED and delivered). Measured: from `POST /schedules/:id/cancel` until
 * `GET /concerts/:id/schedules` reads CANCELLED (every seat withdrawn, every
 * payment refunded, `refundsPending` back to 0), with the largest
 * `refundsPending` seen on the way; then what the mock data platform
 * received (each reservation once, then each cancellation once, after it),
 * and the invariants over the stopped system's store. Baseline, in the same
 * run: as many raw SQLite INSERTs as the cancellation appended events, one
 * transaction each at the store's durability (FULL), into the store's own
 * table. Writes bench/results/cancel.md.
 *
 * Knobs (environment variables, defaults in brackets):
 *   CANCEL_SEATS       [1000]    seats sold, one per fan (the schedule has 1,000 seats)
 *   CANCEL_TIMEOUT_MS  [300000]  how long the sale, and then the cancellation, may take to settle
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteEventStore } from '../infra/eventstore/sqlite.js';
import { sign } from '../domains/queue/token.js';
import type { ConcertEvent } from '../domains/concert/events.js';
import { integer } from './support/knobs.js';
import { describeMachine } from './support/machine.js';
import { reportHeading } from './support/report.js';
import { knobsForPreparedHolds, prepareHolds, type PreparedHold } from './support/saga-prepare.js';
import { paymentsSince, waitUntilReady } from './support/saga-phase.js';
import { startSystem, type SystemProcess } from './support/system-process.js';
import { rawAppends } from './support/raw-sqlite.js';
import { formatCount, formatRatio, markdownTable } from './support/table.js';
import { allHold, checkStore, receiverCancellations, receiverEffects, settledText, verdictSection, waitUntilSettled } from './support/verdict.js';

const env = process.env;
const knobs = {
  seats: integer(env, 'CANCEL_SEATS', 1_000, 1),
  timeoutMs: integer(env, 'CANCEL_TIMEOUT_MS', 300_000, 1_000),
};
if (knobs.seats > 1_000) throw new RangeError('CANCEL_SEATS must be at most 1000: one schedule has at most 1,000 seats');

const PRICE = 100;
const HOUR = 3_600_000;
/** Payments asked for at once while selling. */
const WIDTH = 50;
const POLL_MS = 100;

const log = (line: string) => process.stderr.write(`[cancel] ${line}\n`);

interface ScheduleView {
  scheduleId: string;
  status: 'OPEN' | 'CANCELLING' | 'CANCELLED';
  refundsPending: number;
}

/** The prepared schedule's concert, for the schedules list that shows its status. */
async function concertOf(store: SqliteEventStore, scheduleId: string): Promise<string> {
  const opened = await store.readAll({ filter: { eventTypes: ['ScheduleOpened'] } });
  const event = opened.find((e) => (e.data as Extract<ConcertEvent, { type: 'ScheduleOpened' }>['data']).scheduleId === scheduleId);
  if (!event) throw new Error(`schedule ${scheduleId} was never opened`);
  return (event.data as { concertId: string }).concertId;
}

async function sell(system: SystemProcess, holds: readonly PreparedHold[]): Promise<void> {
  for (let from = 0; from < holds.length; from += WIDTH) {
    await Promise.all(
      holds.slice(from, from + WIDTH).map(async (hold) => {
        const response = await fetch(`${system.url}/payments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'queue-token': sign(system.queueSecret, { tokenId: hold.tokenId, userId: hold.userId }) },
          body: JSON.stringify({ reservationId: hold.reservationId }),
        });
        if (response.status !== 202) throw new Error(`POST /payments answered ${response.status}: ${await response.text()}`);
      }),
    );
  }
}

/** Polls the schedule as a client would, until it reads CANCELLED; the largest refundsPending seen on the way. */
async function untilCancelled(system: SystemProcess, concertId: string, scheduleId: string, timeoutMs: number) {
  const started = performance.now();
  let mostPending = 0;
  let polls = 0;
  for (;;) {
    const listed = (await (await fetch(`${system.url}/concerts/${concertId}/schedules`)).json()) as ScheduleView[];
    const view = listed.find((s) => s.scheduleId === scheduleId);
    polls++;
    mostPending = Math.max(mostPending, view?.refundsPending ?? 0);
    const elapsed = performance.now() - started;
    if (view?.status === 'CANCELLED') return { ms: elapsed, mostPending, polls, cancelled: true };
    if (elapsed > timeoutMs) return { ms: elapsed, mostPending, polls, cancelled: false };
    await sleep(POLL_MS);
  }
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const started = new Date();
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-cancel-'));
  try {
    const prepStarted = performance.now();
    const holds = await prepareHolds(dir, knobs.seats, { price: PRICE, holdTtlMs: HOUR });
    const prepMs = performance.now() - prepStarted;
    const scheduleId = holds[0]!.scheduleId;
    log(`${formatCount(holds.length)} holds prepared in ${(prepMs / 1000).toFixed(1)} s`);

    const system = await startSystem({
      dataDir: dir,
      knobs: knobsForPreparedHolds(holds, HOUR),
    });
    const store = new SqliteEventStore({ file: join(dir, 'events.db') });
    let run;
    try {
      const readyMs = await waitUntilReady(system, holds);
      const concertId = await concertOf(store, scheduleId);
      const sellStarted = performance.now();
      await sell(system, holds);
      const sold = await waitUntilSettled(dir, system.url, knobs.timeoutMs);
      const sellMs = performance.now() - sellStarted;
      const completed = [...(await paymentsSince(store, 0n)).values()].filter((p) => p.status === 'COMPLETED').length;
      const delivered = (await receiverEffects(system.mockUrl)).length;
      log(`${formatCount(completed)} payments completed and ${formatCount(delivered)} delivered in ${(sellMs / 1000).toFixed(1)} s (${settledText(sold, knobs.timeoutMs)})`);

      const headBeforeCancel = (await store.headPosition()) ?? 0n;
      const cancelStarted = performance.now();
      const answer = await fetch(`${system.url}/schedules/${scheduleId}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${system.adminToken}` } });
      const answerMs = performance.now() - cancelStarted;
      const answerBody = (await answer.json()) as { status?: string };
      if (answer.status !== 202) throw new Error(`POST /schedules/${scheduleId}/cancel answered ${answer.status}: ${JSON.stringify(answerBody)}`);
      const done = await untilCancelled(system, concertId, scheduleId, knobs.timeoutMs);
      const cancelMs = answerMs + done.ms;
      log(`${done.cancelled ? 'CANCELLED' : 'NOT cancelled'} ${(cancelMs / 1000).toFixed(1)} s after the request (refundsPending at most ${done.mostPending})`);
      const cancelEvents = Number(((await store.headPosition()) ?? 0n) - headBeforeCancel);
      const tail = await waitUntilSettled(dir, system.url, knobs.timeoutMs);
      const ends = await paymentsAfterCancel(store);
      const receiver = await receiverEffects(system.mockUrl);
      const cancellations = await receivedCancellations(system.mockUrl);
      // Each record, for invariant 7's data-platform half: one per refunded payment, after its reservation.
      const cancellationRecords = cancellations ? await receiverCancellations(system.mockUrl) : undefined;
      await store.close();
      const stopCode = await system.stop();
      run = { readyMs, sellMs, sold, completed, delivered, answerMs, answerStatus: answerBody.status, done, cancelMs, cancelEvents, tail, ends, receiver, cancellations, cancellationRecords, stopCode };
    } finally {
      await store.close();
      await system.stop();
    }

    // The system is stopped: the baseline has the machine to itself, as the cancellation had.
    const rawPerSecond = await rawAppends(join(dir, 'raw-baseline.db'), 'FULL', 64, run.cancelEvents, 1);
    const cancelPerSecond = (run.cancelEvents * 1000) / run.cancelMs;
    log(`cancellation appended ${formatCount(run.cancelEvents)} events at ${formatCount(cancelPerSecond)}/s; raw SQLite ${formatCount(rawPerSecond)}/s`);
    log('checking the invariants on the stopped system');
    const verdict = await checkStore(dir, { receiver: run.receiver, receivedCancellations: run.cancellationRecords, replay: true });
    const receiverKept = run.receiver.reduce((sum, r) => sum + r.effects, 0);
    const rows = [
      ['seats sold (payments COMPLETED)', formatCount(run.completed)],
      ['reservations received by the mock data platform before the cancel', formatCount(run.delivered)],
      ['POST /schedules/:id/cancel answered', `202 ${run.answerStatus ?? ''} in ${run.answerMs.toFixed(0)} ms`],
      ['request → schedule reads CANCELLED', run.done.cancelled ? `${(run.cancelMs / 1000).toFixed(2)} s` : `NOT within ${(knobs.timeoutMs / 1000).toFixed(0)} s`],
      [
        'events appended until CANCELLED, per second (vs raw SQLite INSERTs, 1/tx, FULL)',
        `${formatCount(run.cancelEvents)} events, ${formatCount(cancelPerSecond)}/s vs ${formatCount(rawPerSecond)}/s raw: ${formatRatio(cancelPerSecond / rawPerSecond)}`,
      ],
      ['largest refundsPending seen (polled every 100 ms)', formatCount(run.done.mostPending)],
      ['RefundRequested / PointsRefunded / PaymentRefunded after the cancel', `${formatCount(run.ends.refundRequested)} / ${formatCount(run.ends.pointsRefunded)} / ${formatCount(run.ends.paymentRefunded)}`],
      ['SeatWithdrawn / SeatReleased after the cancel', `${formatCount(run.ends.withdrawn)} / ${formatCount(run.ends.released)}`],
      ['payments refunded more than once', formatCount(run.ends.refundedTwice)],
      ['mock data platform: reservations kept (one per payment)', `${formatCount(receiverKept)} for ${formatCount(run.receiver.length)} payments`],
      [
        'mock data platform: cancellations kept (one per payment, each after its reservation)',
        run.cancellations
          ? `${formatCount(run.cancellations.kept)} for ${formatCount(run.cancellations.payments)} payments; ${formatCount(run.cancellations.beforeReservation)} before their reservation; ${formatCount(run.cancellations.attempts)} requests received`
          : 'none: this build sends the data platform no cancellations',
      ],
    ];
    const report = [
      ...reportHeading('Schedule cancellation benchmark', 'npm run bench:cancel', started, machine),
      '',
      '## Setup',
      '',
      `- **Prepared in advance** (not measured): ${formatCount(holds.length)} fans, each with a queue token, one seat's price in points (${PRICE}) and one seat of one 1,000-seat schedule held, written through the application commands in ${(prepMs / 1000).toFixed(1)} s. The system (\`npm start\`'s one process, the mock data platform on; knobs: ${Object.entries(system.env).filter(([k]) => !['PORT', 'HOST', 'DATA_DIR', 'ADMIN_TOKEN', 'QUEUE_SECRET', 'MOCK_DATA_PLATFORM_PORT'].includes(k)).map(([k, v]) => `\`${k}=${v}\``).join(', ')}) caught up in ${(run.readyMs / 1000).toFixed(1)} s.`,
      `- **Sale** (not measured as a figure): \`POST /payments\` for every hold, ${WIDTH} at a time; ${formatCount(run.completed)} payments completed and the system ${settledText(run.sold, knobs.timeoutMs)} (${(run.sellMs / 1000).toFixed(1)} s from the first payment).`,
      `- **Cancellation** (measured): one \`POST /schedules/:id/cancel\` as the admin, then \`GET /concerts/:id/schedules\` every ${POLL_MS} ms until the schedule reads CANCELLED: every seat withdrawn and released, every payment's points back and the payment REFUNDED, through the same choreography as a buyer's refund. Afterwards the system ${settledText(run.tail, knobs.timeoutMs)}; it then stopped (exit code ${String(run.stopCode)}).`,
      '',
      '## Figures',
      '',
      markdownTable(['', 'measured'], rows),
      '',
      verdictSection(verdict, 'with the mock data platform\'s records'),
      '',
    ].join('\n');
    const out = fileURLToPath(new URL('../../bench/results/cancel.md', import.meta.url));
    writeFileSync(out, report);
    log(`wrote ${out}`);
    const { cancellations } = run;
    const cancellationsOnce = !cancellations || (cancellations.kept === run.completed && cancellations.payments === run.completed && cancellations.beforeReservation === 0);
    if (!run.done.cancelled || !allHold(verdict) || run.ends.refundedTwice > 0 || !cancellationsOnce) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the mock data platform keeps of a cancellation (one record per Idempotency-Key), as far as this benchmark reads it. */
interface KeptCancellation {
  paymentId: string;
  attempts: number;
  afterReservation: boolean;
}

/**
 * The cancellations the mock data platform kept and the requests behind them;
 * null from a mock that has no list of cancellations (one built before the
 * data platform was told of them), which the report then says.
 */
async function receivedCancellations(mockUrl: string) {
  const response = await fetch(`${mockUrl}/cancellations`);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`the mock data platform answered ${response.status} for its cancellations`);
  const records = (await response.json()) as KeptCancellation[];
  return {
    kept: records.length,
    payments: new Set(records.map((r) => r.paymentId)).size,
    beforeReservation: records.filter((r) => !r.afterReservation).length,
    attempts: records.reduce((sum, r) => sum + r.attempts, 0),
  };
}

/** What the cancellation wrote, counted from the log: each refund's steps once per payment. */
async function paymentsAfterCancel(store: SqliteEventStore) {
  const types = ['ScheduleCancelled', 'SeatWithdrawn', 'SeatReleased', 'RefundRequested', 'PointsRefunded', 'PaymentRefunded'];
  const counts = new Map<string, number>();
  const refunds = new Map<string, number>();
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 5_000, filter: { eventTypes: types } });
    for (const event of page) {
      counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
      if (event.type === 'PointsRefunded') {
        const { paymentId } = event.data as { paymentId: string };
        refunds.set(paymentId, (refunds.get(paymentId) ?? 0) + 1);
      }
    }
    if (page.length < 5_000) break;
    after = page.at(-1)!.position;
  }
  return {
    withdrawn: counts.get('SeatWithdrawn') ?? 0,
    released: counts.get('SeatReleased') ?? 0,
    refundRequested: counts.get('RefundRequested') ?? 0,
    pointsRefunded: counts.get('PointsRefunded') ?? 0,
    paymentRefunded: counts.get('PaymentRefunded') ?? 0,
    refundedTwice: [...refunds.values()].filter((n) => n > 1).length,
  };
}

await main();
