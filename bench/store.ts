/**
 * `npm run bench:store`: the embedded SQLite event store against raw
 * better-sqlite3 on the same schema, the same `synchronous` setting and the
 * same machine, measured in one run. Writes bench/results/store.md and prints
 * the same tables.
 *
 * Knobs (environment variables, defaults in brackets):
 *   BENCH_APPENDS        [50000]       appends per store run and for the raw batched loop
 *   BENCH_UNBATCHED      [10000]       inserts for the raw one-transaction-per-insert loop (one fsync each)
 *   BENCH_WRITERS        [64,256]      concurrent logical writers, one stream each
 *   BENCH_BATCH          [256]         inserts per transaction in the raw batched loop
 *   BENCH_APPEND_RUNS    [5]           rounds of the append measurements (each on a fresh file, taken in turn); medians count
 *   BENCH_READ_RUNS      [5]           rounds of the read measurements, taken in turn; medians count
 *   BENCH_LATENCY_EVENTS [200]         events the child process appends for the latency figure
 *   BENCH_LATENCY_GAP_MS [7]           pause between those appends (not a divisor of the poll interval)
 *   BENCH_SYNCHRONOUS    [FULL,NORMAL] the settings to run every figure at
 *   EVENTSTORE_POLL_MS   [20]          how often a live subscription looks for other processes' commits
 *
 * Goals (from the issue): appends ≥ 0.5× the raw batched insert at the same
 * durability; catch-up ≥ 0.5× the raw scan. Misses are reported, not hidden.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventFilter } from '../infra/eventstore/port.js';
import { SqliteEventStore, type SqliteSynchronous } from '../infra/eventstore/sqlite.js';
import type { AppendAck } from './support/append-child.js';
import { benchEvent, EVENT_TYPES, rawAppends, streamOf } from './support/raw-sqlite.js';
import { choices, integer, integers } from './support/knobs.js';
import { describeMachine, loadAverage, machineLines } from './support/machine.js';
import { distribution, type Distribution } from './support/percentiles.js';
import { formatCount, formatMs, formatRatio, markdownTable } from './support/table.js';
import { interleavedMedians, perSecond, rateOf, timed, wallClockMs } from './support/timing.js';

const env = process.env;
const knobs = {
  appends: integer(env, 'BENCH_APPENDS', 50_000, 1),
  unbatched: integer(env, 'BENCH_UNBATCHED', 10_000, 1),
  writers: integers(env, 'BENCH_WRITERS', [64, 256]),
  batch: integer(env, 'BENCH_BATCH', 256, 1),
  appendRuns: integer(env, 'BENCH_APPEND_RUNS', 5, 1),
  readRuns: integer(env, 'BENCH_READ_RUNS', 5, 1),
  latencyEvents: integer(env, 'BENCH_LATENCY_EVENTS', 200, 1),
  latencyGapMs: integer(env, 'BENCH_LATENCY_GAP_MS', 7, 0),
  synchronous: choices<SqliteSynchronous>(env, 'BENCH_SYNCHRONOUS', ['OFF', 'NORMAL', 'FULL', 'EXTRA'], ['FULL', 'NORMAL']),
  pollMs: integer(env, 'EVENTSTORE_POLL_MS', 20, 1),
};

const FILTERED_TYPE = EVENT_TYPES[3]!;
const PAGE = 1000;

/** How many appends each writer makes so that together they make exactly `total`. */
const shareOf = (writer: number, writers: number, total: number) =>
  Math.floor(total / writers) + (writer < total % writers ? 1 : 0);

async function storeAppends(file: string, synchronous: SqliteSynchronous, writers: number, total: number) {
  const store = new SqliteEventStore({ file, synchronous });
  try {
    const writer = async (w: number) => {
      const streamId = streamOf(w);
      const share = shareOf(w, writers, total);
      for (let n = 0; n < share; n++) {
        // Each writer waits for its own acknowledgement before the next append, as a reaction does.
        await store.append(streamId, [benchEvent(w, n)], n === 0 ? 'no_stream' : n - 1);
      }
    };
    const { ms } = await timed(() => Promise.all(Array.from({ length: writers }, (_, w) => writer(w))));
    const head = await store.headPosition();
    if (head !== BigInt(total)) throw new Error(`store holds ${String(head)} events after ${total} appends`);
    return perSecond(total, ms);
  } finally {
    await store.close();
  }
}

/** Every event in order with its data and metadata parsed: the least any reader of $all must do. */
function rawScan(db: Database.Database, type?: string): number {
  const rows = (
    type === undefined
      ? db.prepare('SELECT * FROM events ORDER BY position').iterate()
      : db.prepare('SELECT * FROM events WHERE type = ? ORDER BY position').iterate(type)
  ) as IterableIterator<{ data: string; metadata: string }>;
  let count = 0;
  for (const row of rows) {
    JSON.parse(row.data);
    JSON.parse(row.metadata);
    count++;
  }
  return count;
}

async function readAllPaged(store: SqliteEventStore): Promise<number> {
  let count = 0;
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll(after === undefined ? { maxCount: PAGE } : { after, maxCount: PAGE });
    count += page.length;
    if (page.length < PAGE) return count;
    after = page.at(-1)!.position;
  }
}

/** Subscribes from the start and resolves once `expected` events have arrived; fails rather than waits forever. */
function catchUp(store: SqliteEventStore, expected: number, filter?: EventFilter): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let delivered = 0;
    let finished = false;
    const finish = (outcome: () => void) => {
      finished = true;
      clearTimeout(deadline);
      subscription?.unsubscribe();
      outcome();
    };
    const deadline = setTimeout(
      () => finish(() => reject(new Error(`catch-up delivered ${delivered} of ${expected} events in 60 s`))),
      60_000,
    );
    let subscription: { unsubscribe(): void } | undefined;
    subscription = store.subscribe(filter ? { from: 'start', filter } : { from: 'start' }).subscribe({
      next: (message) => {
        if (message.kind === 'event' && ++delivered === expected) finish(() => resolve(delivered));
      },
      error: (error: unknown) => finish(() => reject(error)),
    });
    // The first page is delivered synchronously, before `subscription` was assigned.
    if (finished) subscription.unsubscribe();
  });
}

/** Reads are repeated on a warm file; the first, untimed pass warms the page cache for store and baseline alike. */
async function readFigures(file: string, synchronous: SqliteSynchronous, total: number) {
  const raw = new Database(file);
  const store = new SqliteEventStore({ file, synchronous });
  try {
    const filtered = (raw.prepare('SELECT count(*) AS n FROM events WHERE type = ?').get(FILTERED_TYPE) as { n: number }).n;
    const expect = (what: string, want: number) => (got: number) => {
      if (got !== want) throw new Error(`${what} saw ${got} events, expected ${want}`);
      return got;
    };
    rawScan(raw);
    const rates = await interleavedMedians(knobs.readRuns, {
      rawScan: () => rateOf(() => expect('raw scan', total)(rawScan(raw))),
      readAll: () => rateOf(async () => expect('readAll', total)(await readAllPaged(store))),
      catchUp: () => rateOf(() => catchUp(store, total)),
      rawFiltered: () => rateOf(() => expect('raw filtered scan', filtered)(rawScan(raw, FILTERED_TYPE))),
      catchUpFiltered: () => rateOf(() => catchUp(store, filtered, { eventTypes: [FILTERED_TYPE] })),
    }, sampleLog(synchronous));
    return { ...rates, filteredShare: filtered / total };
  } finally {
    await store.close();
    raw.close();
  }
}

/** From the child's acknowledgement to delivery here: the price of polling across processes. */
async function liveLatency(file: string, synchronous: SqliteSynchronous): Promise<Distribution> {
  const store = new SqliteEventStore({ file, synchronous, pollMs: knobs.pollMs });
  const delivered = new Map<string, number>();
  const acked = new Map<string, number>();
  const subscription = store.subscribe({ from: 'end' }).subscribe((message) => {
    if (message.kind === 'event') delivered.set(message.event.id, wallClockMs());
  });
  try {
    const childScript = fileURLToPath(new URL('./support/append-child.js', import.meta.url));
    const child = spawn(
      process.execPath,
      [childScript, file, String(knobs.latencyEvents), String(knobs.latencyGapMs), synchronous],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    child.on('message', (ack: AppendAck) => acked.set(ack.id, ack.ackedAt));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      // 'close' comes after the IPC channel has closed too, so every acknowledgement has arrived by then.
      child.on('close', resolve);
    });
    if (code !== 0) throw new Error(`append child exited with ${String(code)}`);
    const deadline = Date.now() + 10 * knobs.pollMs + 2_000;
    while (delivered.size < acked.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, knobs.pollMs));
    if (acked.size !== knobs.latencyEvents) throw new Error(`child acknowledged ${acked.size} of ${knobs.latencyEvents} appends`);
    const latencies = [...acked].map(([id, ackedAt]) => {
      const at = delivered.get(id);
      if (at === undefined) throw new Error(`event ${id} was appended by the child but never delivered here`);
      return at - ackedAt;
    });
    return distribution(latencies);
  } finally {
    subscription.unsubscribe();
    await store.close();
  }
}

interface Row {
  figure: string;
  store: number;
  baseline: number;
  goal?: number;
}

async function runAt(dir: string, synchronous: SqliteSynchronous) {
  const latest = new Map<string, string>();
  /** A new file per round; the previous round's file of that name is removed, so only the last one stays. */
  const fresh = (name: string) => {
    const previous = latest.get(name);
    if (previous) for (const suffix of ['', '-wal', '-shm']) rmSync(previous + suffix, { force: true });
    const file = join(dir, `${name}-${synchronous.toLowerCase()}-${randomUUID()}.db`);
    latest.set(name, file);
    return file;
  };
  const widest = Math.max(...knobs.writers);
  log(
    `[${synchronous}] appends, ${knobs.appendRuns} rounds: raw unbatched (${knobs.unbatched}), raw batched and store ` +
      `with ${knobs.writers.join(', ')} writers (${knobs.appends} each)`,
  );
  const storeRuns = Object.fromEntries(
    knobs.writers.map((writers) => [
      `store-${writers}`,
      () => storeAppends(fresh(`store-${writers}`), synchronous, writers, knobs.appends),
    ]),
  );
  const appends = await interleavedMedians<string>(knobs.appendRuns, {
    unbatched: () => rawAppends(fresh('raw-unbatched'), synchronous, widest, knobs.unbatched, 1),
    batched: () => rawAppends(fresh('raw-batched'), synchronous, widest, knobs.appends, knobs.batch),
    ...storeRuns,
  }, sampleLog(synchronous));
  const rows: Row[] = knobs.writers.flatMap((writers) => {
    const store = appends[`store-${writers}`]!;
    return [
      { figure: `appends/s, ${writers} writers vs raw batched (${knobs.batch}/tx)`, store, baseline: appends.batched!, goal: 0.5 },
      { figure: `appends/s, ${writers} writers vs raw unbatched (1/tx)`, store, baseline: appends.unbatched! },
    ];
  });
  // The last store file is read back: it was written by the widest set of writers, so streams interleave in $all.
  log(`[${synchronous}] reads: ${knobs.appends} events, ${knobs.readRuns} rounds`);
  const reads = await readFigures(latest.get(`store-${widest}`)!, synchronous, knobs.appends);
  const share = `${Math.round(reads.filteredShare * 100)}%`;
  rows.push(
    { figure: `read-all events/s (readAll, page ${PAGE}) vs raw scan`, store: reads.readAll, baseline: reads.rawScan },
    { figure: 'catch-up events/s (subscribe from start) vs raw scan', store: reads.catchUp, baseline: reads.rawScan, goal: 0.5 },
    {
      figure: `catch-up events/s, type filter (${share}) vs raw filtered SELECT`,
      store: reads.catchUpFiltered,
      baseline: reads.rawFiltered,
      goal: 0.5,
    },
  );
  log(`[${synchronous}] live latency: ${knobs.latencyEvents} appends from a child process`);
  const latency = await liveLatency(fresh('latency'), synchronous);
  return { synchronous, rows, latency };
}

function tableOf(rows: readonly Row[]): string {
  return markdownTable(
    ['figure', 'store', 'baseline', 'ratio', 'goal', 'met?'],
    rows.map((row) => {
      const ratio = row.store / row.baseline;
      return [
        row.figure,
        formatCount(row.store),
        formatCount(row.baseline),
        formatRatio(ratio),
        row.goal === undefined ? '—' : `≥ ${formatRatio(row.goal)}`,
        row.goal === undefined ? '—' : ratio >= row.goal ? 'yes' : 'NO',
      ];
    }),
  );
}

const latencyLine = (latency: Distribution) =>
  `Cross-process live latency (append acknowledged in a child process → delivered to a live subscription here, ` +
  `${latency.count} events, poll ${knobs.pollMs} ms): p50 ${formatMs(latency.p50)}, p95 ${formatMs(latency.p95)}, max ${formatMs(latency.max)}`;

/** Progress and every round's sample go to stderr, so the spread behind each median can be seen. */
function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

const sampleLog = (synchronous: SqliteSynchronous) => (name: string, rate: number) =>
  log(`[${synchronous}]   ${name}: ${formatCount(rate)}/s`);

async function main() {
  const machine = describeMachine();
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-store-'));
  const started = new Date();
  const sections: string[] = [];
  const missed: string[] = [];
  try {
    for (const synchronous of knobs.synchronous) {
      const { rows, latency } = await runAt(dir, synchronous);
      const table = tableOf(rows);
      const section = [`## synchronous = ${synchronous}`, '', table, '', latencyLine(latency)].join('\n');
      console.log(`\n${section}\n`);
      sections.push(section);
      for (const row of rows) {
        if (row.goal !== undefined && row.store / row.baseline < row.goal) missed.push(`${row.figure} at ${synchronous}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const seconds = ((Date.now() - started.getTime()) / 1000).toFixed(0);
  const report = [
    '# Event store benchmark',
    '',
    `Generated by \`npm run bench:store\` on ${started.toISOString()} (${seconds} s). Do not edit by hand: run it again.`,
    '',
    'The embedded SQLite event store (`SqliteEventStore`) against raw `better-sqlite3` statements on the same',
    'schema (the store creates it in the baseline files too), the same `synchronous` setting, WAL mode, in a',
    'fresh directory under the OS temp dir, all in one run on this machine:',
    '',
    ...machineLines(machine),
    `- load average (1 min) at the end: ${loadAverage().toFixed(2)}`,
    '',
    'Workload:',
    '',
    `- store appends: ${formatCount(knobs.appends)} appends of one event each, from ${knobs.writers.join(' and ')} concurrent writers in one process, one stream per writer; each writer awaits its append (with its expected revision) before the next, so concurrent appends are group-committed. A group holds at most one append per writer, so with ${Math.min(...knobs.writers)} writers a commit carries at most ${Math.min(...knobs.writers)} events where the batched baseline carries ${knobs.batch}.`,
    `- raw batched: ${formatCount(knobs.appends)} inserts, ${knobs.batch} per transaction; raw unbatched: ${formatCount(knobs.unbatched)} inserts, one transaction (one commit, one WAL sync at FULL) each. Every append figure is the median of ${knobs.appendRuns} rounds, each on a fresh file; within a round the raw loops and the store runs take turns, so drift in the disk's state falls on all alike. Both raw loops build the same rows (UUID, JSON.stringify of data and metadata) as the store does.`,
    `- reads: the ${formatCount(knobs.appends)} events the ${Math.max(...knobs.writers)} writers appended, on a warm file, median of ${knobs.readRuns} rounds taken in turn. The raw scan \`SELECT * FROM events ORDER BY position\` JSON.parses data and metadata of each row; the filtered scan adds \`WHERE type = ?\`.`,
    `- latency: a child process appends ${knobs.latencyEvents} events, one every ${knobs.latencyGapMs} ms, to the file this process subscribes to live (from the end).`,
    '',
    'Ratios are store ÷ baseline; the goals are the issue\'s: appends ≥ 0.5× the raw batched insert at the same durability, catch-up ≥ 0.5× the raw scan.',
    '',
    ...sections.flatMap((section) => [section, '']),
    missed.length === 0 ? 'Every goal was met.' : `Goals missed: ${missed.join('; ')}.`,
    '',
  ].join('\n');
  const out = fileURLToPath(new URL('../../bench/results/store.md', import.meta.url));
  writeFileSync(out, report);
  log(`report written to bench/results/store.md`);
}

await main();
