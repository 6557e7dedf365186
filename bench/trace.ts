/**
 * `npm run bench:trace`: how long `concertctl trace` takes to find and build
 * one saga in a large store. A log of TRACE_EVENTS events (a hold and four
 * saga events per payment, each payment correlated by its id as the services
 * do) is written first, not measured; then the trace of TRACE_RUNS payments
 * picked across the log is gathered (collectTrace: reads by correlation) and
 * built (buildTrace), as the CLI does. Baseline, in the same run: the raw
 * SQLite lookup of one correlation through its expression index (SELECT and
 * JSON.parse, nothing else). Writes bench/results/trace.md.
 *
 * Knobs (environment variables, defaults in brackets):
 *   TRACE_EVENTS  [1000000]  events in the log (rounded down to whole payments)
 *   TRACE_RUNS    [50]       payments traced; the median and the slowest count
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteEventStore } from '../infra/eventstore/sqlite.js';
import { buildTrace, collectTrace } from '../infra/inspect/saga-trace.js';
import { paymentIdFor } from '../domains/payment/payment.js';
import { integer } from './support/knobs.js';
import { describeMachine } from './support/machine.js';
import { median } from './support/percentiles.js';
import { reportHeading } from './support/report.js';
import { formatCount, formatMs, formatRatio, markdownTable } from './support/table.js';

const PER_PAYMENT = 5;
const env = process.env;
const knobs = {
  payments: Math.floor(integer(env, 'TRACE_EVENTS', 1_000_000, PER_PAYMENT) / PER_PAYMENT),
  runs: integer(env, 'TRACE_RUNS', 50, 1),
};
const log = (line: string) => process.stderr.write(`${line}\n`);

/** A hold and four saga events, shaped and correlated as the services write them, each causing the next. */
function sagaRows(n: number, at: number) {
  const reservationId = `res-${n}`;
  const paymentId = paymentIdFor(reservationId);
  const ref = { paymentId, reservationId, userId: `fan-${n}`, concertId: 'c-1', scheduleId: `s-${n % 20}`, seatNo: n % 1_000, amount: 50_000 };
  const ids = Array.from({ length: PER_PAYMENT }, () => randomUUID());
  const row = (i: number, streamId: string, revision: number, type: string, data: object, correlationId: string) => ({
    id: ids[i]!,
    stream_id: streamId,
    revision,
    type,
    data: JSON.stringify(data),
    metadata: JSON.stringify(i === 0 ? { correlationId } : { correlationId, causationId: ids[i - 1] }),
    created: at + i,
  });
  return {
    paymentId,
    rows: [
      row(0, `seat-${ref.scheduleId}_${n}`, 0, 'SeatHeld', { ...ref, price: ref.amount }, reservationId),
      row(1, `payment-${paymentId}`, 0, 'PaymentRequested', ref, paymentId),
      row(2, `seat-${ref.scheduleId}_${n}`, 1, 'SeatReserved', ref, paymentId),
      row(3, `points-fan-${n}`, 0, 'PointsDebited', { ...ref, balanceAfter: 0 }, paymentId),
      row(4, `payment-${paymentId}`, 1, 'PaymentCompleted', ref, paymentId),
    ],
  };
}

/** The adapter makes the schema and its indexes; the rows go in with one transaction, as the measured part is reading. */
async function writeLog(file: string): Promise<string[]> {
  await new SqliteEventStore({ file }).close();
  const db = new Database(file);
  const insert = db.prepare(
    'INSERT INTO events (id, stream_id, revision, type, data, metadata, created) VALUES (@id, @stream_id, @revision, @type, @data, @metadata, @created)',
  );
  const paymentIds: string[] = [];
  const start = Date.UTC(2030, 0, 1, 10);
  db.transaction(() => {
    for (let n = 0; n < knobs.payments; n++) {
      const saga = sagaRows(n, start + n * 10);
      paymentIds.push(saga.paymentId);
      for (const row of saga.rows) insert.run(row);
    }
  })();
  db.close();
  return paymentIds;
}

/** Payments spread evenly over the log, first and last included. */
const picked = (all: readonly string[]) =>
  Array.from({ length: knobs.runs }, (_, i) => all[Math.round((i * (all.length - 1)) / Math.max(1, knobs.runs - 1))]!);

async function main(): Promise<void> {
  const started = new Date();
  const machine = describeMachine();
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-trace-'));
  const file = join(dir, 'events.db');
  try {
    log(`[trace] writing ${formatCount(knobs.payments * PER_PAYMENT)} events`);
    const paymentIds = await writeLog(file);
    const targets = picked(paymentIds);

    // Baseline: the index lookup alone, the same expression as the adapter's.
    const raw = new Database(file, { readonly: true });
    const lookup = raw.prepare("SELECT * FROM events WHERE json_extract(metadata, '$.correlationId') = ? ORDER BY position");
    const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${lookup.source}`).all('x') as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    const rawMs = targets.map((id) => {
      const t0 = performance.now();
      for (const row of lookup.all(id) as Array<{ data: string; metadata: string }>) {
        JSON.parse(row.data);
        JSON.parse(row.metadata);
      }
      return performance.now() - t0;
    });
    raw.close();

    const store = new SqliteEventStore({ file });
    let events = 0;
    const traceMs: number[] = [];
    for (const id of targets) {
      const t0 = performance.now();
      const trace = buildTrace(id, await collectTrace(store, id));
      traceMs.push(performance.now() - t0);
      if (trace.nodes.length !== PER_PAYMENT || trace.outcome.status !== 'COMPLETED') throw new Error(`trace of ${id}: ${trace.nodes.length} events, ${trace.outcome.status}`);
      events += trace.nodes.length;
    }
    await store.close();

    const traceMedian = median(traceMs);
    const traceMax = Math.max(...traceMs);
    const rawMedian = median(rawMs);
    log(`[trace] trace median ${formatMs(traceMedian)}, slowest ${formatMs(traceMax)}; raw lookup median ${formatMs(rawMedian)}`);
    const report = [
      ...reportHeading('Trace benchmark', 'npm run bench:trace', started, machine),
      '',
      '## What ran',
      '',
      `- **Log**: ${formatCount(knobs.payments * PER_PAYMENT)} events in a fresh SQLite event store (TRACE_EVENTS), five per completed payment: SeatHeld correlated by its reservation id, then PaymentRequested, SeatReserved, PointsDebited and PaymentCompleted correlated by the payment id, each caused by the one before.`,
      `- **Trace**: \`collectTrace\` then \`buildTrace\` (infra/inspect/saga-trace.ts), what \`concertctl trace <paymentId>\` runs, for ${knobs.runs} payments spread over the log (TRACE_RUNS), through the store adapter: reads by correlation and the payment stream, never $all. Every trace is checked: ${PER_PAYMENT} events, COMPLETED (${formatCount(events)} events in all).`,
      `- **Baseline**: the raw SQLite lookup of one correlation in the same run: \`${lookup.source}\` with both JSON columns parsed, nothing else. Query plan: ${plan}.`,
      '',
      '## Figures',
      '',
      markdownTable(
        ['figure', 'trace', 'raw indexed lookup', 'ratio', 'goal', 'met?'],
        [
          ['median per saga', formatMs(traceMedian), formatMs(rawMedian), formatRatio(traceMedian / rawMedian), '< 1 s', traceMedian < 1_000 ? 'yes' : 'NO'],
          ['slowest saga', formatMs(traceMax), formatMs(Math.max(...rawMs)), formatRatio(traceMax / Math.max(...rawMs)), '< 1 s', traceMax < 1_000 ? 'yes' : 'NO'],
        ],
      ),
      '',
    ].join('\n');
    writeFileSync(fileURLToPath(new URL('../../bench/results/trace.md', import.meta.url)), report);
    log('[trace] wrote bench/results/trace.md');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
