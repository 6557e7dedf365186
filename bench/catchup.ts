/**
 * `npm run bench:catchup`: a subscriber doing real work catching up on a
 * large log, as a new service or a rebuilt projector does after a deploy.
 * A log of CATCHUP_EVENTS saga events (a payment's PaymentRequested,
 * SeatReserved, PointsDebited and PaymentCompleted, four per payment) is
 * written first (not measured); then the process's projector runs the
 * `payments` and `saga-traces` read models over it from position 0, while
 * the resident memory is sampled. Baseline, in the same run: a raw scan of
 * the same rows (SELECT + JSON.parse, nothing else). Writes
 * bench/results/catchup.md.
 *
 * Knobs (environment variables, defaults in brackets):
 *   CATCHUP_EVENTS      [1000000]  events in the log (rounded down to whole payments)
 *   CATCHUP_SCAN_RUNS   [3]        rounds of the raw scan; the median counts
 *   CONSUMER_MAX_BATCH  [500]      the system's own knob: events per batch
 *   CATCHUP_CPU_PROFILE [0]        1: run the catch-up under `node --cpu-prof` and list its hottest functions
 *
 * bench/catchup-notes.md, written by hand (what changed since the last
 * result, and the profile before it), is copied into the report after the
 * figures.
 */
import Database from 'better-sqlite3';
import { fork } from 'node:child_process';
import { profileSection } from './support/cpu-profile.js';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteEventStore } from '../infra/eventstore/sqlite.js';
import { SqliteReadStore } from '../infra/readstore/sqlite.js';
import { Projector } from '../bus/projector.js';
import { payments, sagaTraces } from '../projections/index.js';
import { integer } from './support/knobs.js';
import { describeMachine } from './support/machine.js';
import { median } from './support/percentiles.js';
import { reportHeading } from './support/report.js';
import { formatCount, formatRatio, markdownTable } from './support/table.js';

const env = process.env;
const knobs = {
  payments: Math.floor(integer(env, 'CATCHUP_EVENTS', 1_000_000, 4) / 4),
  scanRuns: integer(env, 'CATCHUP_SCAN_RUNS', 3, 1),
  profile: integer(env, 'CATCHUP_CPU_PROFILE', 0, 0) === 1,
  maxBatch: integer(env, 'CONSUMER_MAX_BATCH', 500, 1),
};
const log = (line: string) => process.stderr.write(`${line}\n`);
/** From dist/bench/, where this runs, to the sources' bench/. */
const NOTES = fileURLToPath(new URL('../../bench/catchup-notes.md', import.meta.url));
const mb = (bytes: number) => bytes / 2 ** 20;
/** CPU seconds (user + system) this process spent since `since`: unlike wall time, barely moved by other work on the machine. */
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

/** Four events of one completed payment, shaped as the services write them. */
function paymentEvents(n: number) {
  const at = new Date(Date.UTC(2030, 0, 1, 10) + n).toISOString();
  const ref = { paymentId: `pay-${n}`, reservationId: `res-${n}`, userId: `fan-${n}`, concertId: 'c-1', scheduleId: `s-${n % 20}`, seatNo: n % 1_000, amount: 50_000 };
  const metadata = { correlationId: ref.paymentId };
  return [
    { type: 'PaymentRequested', data: { ...ref, requestedAt: at, deadlineAt: at }, metadata },
    { type: 'SeatReserved', data: { ...ref, reservedAt: at }, metadata },
    { type: 'PointsDebited', data: { ...ref, balanceAfter: 0, debitedAt: at }, metadata },
    { type: 'PaymentCompleted', data: { ...ref, requestedAt: at, completedAt: at }, metadata },
  ];
}

async function writeLog(dir: string): Promise<void> {
  const store = new SqliteEventStore({ file: join(dir, 'events.db'), synchronous: 'OFF' });
  const perRound = 1_000;
  for (let first = 0; first < knobs.payments; first += perRound) {
    const round = [];
    for (let n = first; n < Math.min(first + perRound, knobs.payments); n++) round.push(store.append(`payment-${n}`, paymentEvents(n), 'no_stream'));
    await Promise.all(round);
    if (first % 50_000 === 0) log(`[catchup] written ${formatCount(first * 4)} events`);
  }
  await store.close();
}

/** The baseline: every row read and its JSON parsed, nothing else. Events per second. */
function rawScan(file: string): { rate: number; cpuRate: number } {
  const db = new Database(file, { readonly: true });
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let rows = 0;
    for (const row of db.prepare('SELECT * FROM events ORDER BY position').iterate() as IterableIterator<{ data: string; metadata: string }>) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
      rows += 1;
    }
    return { rate: rows / ((performance.now() - started) / 1000), cpuRate: rows / cpuSeconds(cpu) };
  } finally {
    db.close();
  }
}

/**
 * The catch-up itself runs in a process of its own, so that its memory is
 * measured from a clean start rather than on top of what writing the log left
 * in this one.
 */
function catchUpInChild(dir: string, profileDir: string | undefined): Promise<Awaited<ReturnType<typeof catchUp>>> {
  return new Promise((resolve, reject) => {
    const execArgv = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
    const child = fork(fileURLToPath(import.meta.url), ['--catch-up', dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
    let result: Awaited<ReturnType<typeof catchUp>> | undefined;
    child.once('message', (message) => {
      result = message as Awaited<ReturnType<typeof catchUp>>;
      child.disconnect(); // its work is done: let it exit, and write its profile
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`the catch-up process exited with ${code}`))));
  });
}

async function catchUp(dir: string) {
  const store = new SqliteEventStore({ file: join(dir, 'events.db') });
  const reads = new SqliteReadStore({ file: join(dir, 'readmodels.db'), synchronous: 'NORMAL' });
  const head = (await store.headPosition())!;
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const projector = new Projector({ store, reads, maxBatch: knobs.maxBatch }).add([payments, sagaTraces]);
  const started = performance.now();
  const cpu = process.cpuUsage();
  await projector.start();
  await projector.reached(head);
  const seconds = (performance.now() - started) / 1000;
  const cpuRate = Number(head) / cpuSeconds(cpu);
  clearInterval(sampler);
  await projector.stop();
  const documents = await (await reads.collection(payments.collection)).count();
  await store.close();
  await reads.close();
  return { rate: Number(head) / seconds, cpuRate, seconds, rssGrowthMb: mb(peak - before), documents };
}

async function main(): Promise<void> {
  const started = new Date();
  const machine = describeMachine();
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-catchup-'));
  try {
    log(`[catchup] writing ${formatCount(knobs.payments * 4)} events`);
    await writeLog(dir);
    const scans = Array.from({ length: knobs.scanRuns }, () => rawScan(join(dir, 'events.db')));
    const scan = median(scans.map((s) => s.rate));
    const scanCpu = median(scans.map((s) => s.cpuRate));
    log(`[catchup] raw scan: ${formatCount(scan)} events/s, ${formatCount(scanCpu)} per CPU second (median of ${scans.length})`);
    const profileDir = knobs.profile ? join(dir, 'profile') : undefined;
    const run = await catchUpInChild(dir, profileDir);
    log(`[catchup] projector: ${formatCount(run.rate)} events/s, ${formatCount(run.cpuRate)} per CPU second, RSS +${run.rssGrowthMb.toFixed(0)} MB`);
    const ratio = run.rate / scan;
    const report = [
      ...reportHeading('Catch-up benchmark', 'npm run bench:catchup', started, machine),
      '',
      '## What ran',
      '',
      `- **Log**: ${formatCount(knobs.payments * 4)} events in a fresh SQLite event store, four per completed payment (PaymentRequested, SeatReserved, PointsDebited, PaymentCompleted), each payment its own stream.`,
      `- **Subscriber**: the process's projector (bus/projector.ts) running the \`payments\` and \`saga-traces\` read models from position 0 on a fresh read store (synchronous=NORMAL, the default for read models), batches of ${knobs.maxBatch} (CONSUMER_MAX_BATCH): each batch's documents are read, evolved and committed with both checkpoints in one transaction. It runs in a process of its own; its resident memory is sampled every 50 ms, and growth is the peak minus the RSS once the stores were open, before the first event was read.`,
      `- **Baseline**: a raw scan of the same file in the same run: \`SELECT * FROM events ORDER BY position\` with both JSON columns parsed, nothing else (median of ${scans.length}).`,
      '',
      '## Figures',
      '',
      markdownTable(
        ['figure', 'projector', 'raw scan', 'ratio', 'goal', 'met?'],
        [
          ['events/s', formatCount(run.rate), formatCount(scan), formatRatio(ratio), '≥ 0.5× the raw scan', ratio >= 0.5 ? 'yes' : 'NO'],
          ['events per CPU second', formatCount(run.cpuRate), formatCount(scanCpu), formatRatio(run.cpuRate / scanCpu), '(the same, less moved by other load)', '—'],
          ['RSS growth', `${run.rssGrowthMb.toFixed(0)} MB`, '—', '—', '≤ 100 MB', run.rssGrowthMb <= 100 ? 'yes' : 'NO'],
          ['time', `${run.seconds.toFixed(1)} s`, `${((knobs.payments * 4) / scan).toFixed(1)} s`, '—', '—', '—'],
          ['payments projected', formatCount(run.documents), '—', '—', formatCount(knobs.payments), run.documents === knobs.payments ? 'yes' : 'NO'],
        ],
      ),
      '',
      ...(existsSync(NOTES) ? [readFileSync(NOTES, 'utf8').trim(), ''] : []),
      ...(profileDir ? [profileSection(profileDir, '## Where the catch-up process spends its CPU'), ''] : []),
    ].join('\n');
    writeFileSync(fileURLToPath(new URL('../../bench/results/catchup.md', import.meta.url)), report);
    log('[catchup] wrote bench/results/catchup.md');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const asChild = process.argv.indexOf('--catch-up');
const run = asChild >= 0 ? catchUp(process.argv[asChild + 1]!).then((result) => process.send!(result)) : main();
run.catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
