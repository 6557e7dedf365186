/**
 * `npm run bench:rush`: the ticket rush. The whole system (every role in one
 * process, the mock data platform on) runs from the build in a child process
 * on a fresh data directory; a load generator in another process plays
 * RUSH_USERS fans who join the waiting line at once, wait for admission as
 * etaMs advises, hold a random free seat (another one on a 409), top up, pay
 * and follow the payment to its end, until every seat is paid for. The same
 * client then runs against a bare Fastify server that answers the same routes
 * from memory (bench/support/bare-ticketing.ts), and every figure is shown
 * beside that baseline. The store is checked against the six invariants
 * afterwards. Writes bench/results/rush.md.
 *
 * Knobs (environment variables, defaults in brackets):
 *   RUSH_USERS               [20000]  fans
 *   RUSH_SCHEDULES           [20]     schedules of the one concert
 *   RUSH_SEATS               [50]     seats per schedule
 *   RUSH_PRICE               [50000]  points per seat (each buyer charges exactly that)
 *   RUSH_MAX_MS              [120000] the rush stops after this, sold out or not
 *   RUSH_ARRIVAL_MS          [0]      fans arrive spread over this (0: all at once, the rush)
 *   RUSH_QUEUE_MAX_ACTIVE    [200]    QUEUE_MAX_ACTIVE of the system (and of the baseline)
 *   RUSH_ADMIT_INTERVAL_MS   [100]    QUEUE_ADMIT_INTERVAL_MS
 *   RUSH_TOKEN_TTL_MS        [30000]  QUEUE_TOKEN_TTL_MS: a fan who gave up frees the slot after this
 *   RUSH_LINE_CONNECTIONS    [512]    client connections for joining and polling the line
 *   RUSH_SHOP_CONNECTIONS    [256]    client connections for seats, holds, charges and payments
 *   RUSH_POLL_MIN_MS         [250]    a waiting fan polls after etaMs, kept within these bounds, ±25% jitter
 *   RUSH_POLL_MAX_MS         [10000]
 *   RUSH_POLL_UNKNOWN_MS     [2000]   the poll interval while the server has no estimate (etaMs null)
 *   RUSH_REPLAY              [1]      also check invariant 6 (rebuild every read model in memory, rerun every reaction)
 *   RUSH_BASELINE            [1]      run the bare Fastify baseline too
 *   RUSH_CPU_PROFILE         [1]      run the system under `node --cpu-prof` and list its hottest functions
 *   RUSH_KEEP_DIR            [unset]  keep the system's data directory here (empty or new) for `bench:replay`
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RushOutput } from './load/rush-users.js';
import { integer } from './support/knobs.js';
import { formatLatency, quantiles, type Quantiles } from './support/latency.js';
import { profileSection } from './support/cpu-profile.js';
import { reportHeading } from './support/report.js';
import { describeMachine } from './support/machine.js';
import { formatCounts, summarize } from './support/recorder.js';
import { rushBare, rushSystem, SETTLE_MS, type RushShape, type SystemRush } from './support/rush-run.js';
import { formatCount, formatRatio, markdownTable } from './support/table.js';
import { allHold, checkStore, settledText, verdictSection } from './support/verdict.js';

const env = process.env;
const shape: RushShape = {
  users: integer(env, 'RUSH_USERS', 20_000, 1),
  schedules: integer(env, 'RUSH_SCHEDULES', 20, 1),
  seats: integer(env, 'RUSH_SEATS', 50, 1),
  price: integer(env, 'RUSH_PRICE', 50_000, 1),
  maxMs: integer(env, 'RUSH_MAX_MS', 120_000, 1_000),
  arrivalMs: integer(env, 'RUSH_ARRIVAL_MS', 0, 0),
  queueMaxActive: integer(env, 'RUSH_QUEUE_MAX_ACTIVE', 200, 1),
  admitIntervalMs: integer(env, 'RUSH_ADMIT_INTERVAL_MS', 100, 1),
  tokenTtlMs: integer(env, 'RUSH_TOKEN_TTL_MS', 30_000, 1_000),
  lineConnections: integer(env, 'RUSH_LINE_CONNECTIONS', 512, 1),
  shopConnections: integer(env, 'RUSH_SHOP_CONNECTIONS', 256, 1),
  pollMinMs: integer(env, 'RUSH_POLL_MIN_MS', 250, 1),
  pollMaxMs: integer(env, 'RUSH_POLL_MAX_MS', 10_000, 1),
  pollUnknownMs: integer(env, 'RUSH_POLL_UNKNOWN_MS', 2_000, 1),
  seatLooks: 10,
  holdAttempts: 10,
  lookPauseMs: 300,
  payWaitMs: 5_000,
  payWaitRounds: 12,
};
const replay = integer(env, 'RUSH_REPLAY', 1, 0) === 1;
const baseline = integer(env, 'RUSH_BASELINE', 1, 0) === 1;
const profile = integer(env, 'RUSH_CPU_PROFILE', 1, 0) === 1;
const keepDir = env.RUSH_KEEP_DIR ? resolve(env.RUSH_KEEP_DIR) : undefined;

const log = (line: string) => process.stderr.write(`${line}\n`);
const totalSeats = shape.schedules * shape.seats;

interface Figures {
  soldOut: boolean;
  /** Booking opened (first fan arrived) → the last seat's payment completed; the whole run when not sold out. */
  windowMs: number;
  holdsPerSecond: number;
  paymentsPerSecond: number;
  peakPaymentsPerSecond: number;
  conflictShare: number;
  saga: Quantiles;
  lineWait: Quantiles;
  bought: number;
}

function figuresOf(output: RushOutput): Figures {
  const bought = output.completedAt.length;
  const soldOut = bought >= totalSeats;
  const windowMs = soldOut ? Math.max(...output.completedAt) - output.startedAt : output.endedAt - output.startedAt;
  const perSecond = new Map<number, number>();
  for (const at of output.completedAt) {
    const second = Math.floor((at - output.startedAt) / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  const holds = output.recording['POST /reservations'];
  const holdAnswers = holds ? Object.values(holds.statuses).reduce((a, b) => a + b, 0) : 0;
  return {
    soldOut,
    windowMs,
    holdsPerSecond: (output.holdsAt.length * 1000) / windowMs,
    paymentsPerSecond: (bought * 1000) / windowMs,
    peakPaymentsPerSecond: Math.max(0, ...perSecond.values()),
    conflictShare: holdAnswers === 0 ? 0 : (holds?.statuses['409'] ?? 0) / holdAnswers,
    saga: quantiles(output.sagaMs),
    lineWait: quantiles(output.lineWaitMs),
    bought,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (value: number) => `${value.toFixed(1)}/s`;
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const quartet = (q: Quantiles) => (q.count === 0 ? '—' : [q.p50, q.p95, q.p99, q.max].map(formatLatency).join(' / '));

function mainTable(system: Figures, bare: Figures | undefined): string {
  const ratio = (a: number, b: number | undefined) => (b === undefined || !(b > 0) ? '—' : formatRatio(a / b));
  const row = (figure: string, value: string, base: string, r: string, goal = '—', met = '—') => [figure, value, base, r, goal, met];
  return markdownTable(
    ['figure', 'system', 'bare Fastify', 'ratio (system ÷ bare)', 'goal', 'met?'],
    [
      row('seats sold', `${formatCount(system.bought)} of ${formatCount(totalSeats)}`, bare ? `${formatCount(bare.bought)} of ${formatCount(totalSeats)}` : '—', '—', 'all', system.soldOut ? 'yes' : 'NO'),
      row(
        system.soldOut ? 'time to sell out (the window)' : 'run time, not sold out (the window)',
        seconds(system.windowMs),
        bare ? seconds(bare.windowMs) : '—',
        // Not sold out when the time ran out: selling out would have taken longer still.
        `${!system.soldOut && bare?.soldOut ? '≥ ' : ''}${ratio(system.windowMs, bare?.windowMs)}`,
      ),
      row('holds/s (mean over the window above)', rate(system.holdsPerSecond), bare ? rate(bare.holdsPerSecond) : '—', ratio(system.holdsPerSecond, bare?.holdsPerSecond)),
      row('payments completed/s (mean over the window)', rate(system.paymentsPerSecond), bare ? rate(bare.paymentsPerSecond) : '—', ratio(system.paymentsPerSecond, bare?.paymentsPerSecond)),
      row('payments completed/s (best 1-s window)', rate(system.peakPaymentsPerSecond), bare ? rate(bare.peakPaymentsPerSecond) : '—', ratio(system.peakPaymentsPerSecond, bare?.peakPaymentsPerSecond)),
      row('409 share of POST /reservations', percent(system.conflictShare), bare ? percent(bare.conflictShare) : '—', '—'),
      row('saga latency p50 (requestedAt → completedAt)', formatLatency(system.saga.p50), bare ? formatLatency(bare.saga.p50) : '—', '—'),
      row('saga latency p95', formatLatency(system.saga.p95), bare ? formatLatency(bare.saga.p95) : '—', '—'),
      row('saga latency p99', formatLatency(system.saga.p99), bare ? formatLatency(bare.saga.p99) : '—', '—'),
      row('saga latency max', formatLatency(system.saga.max), bare ? formatLatency(bare.saga.max) : '—', '—'),
      row('wait in line p50 / p99 (issued → ACTIVE)', `${formatLatency(system.lineWait.p50)} / ${formatLatency(system.lineWait.p99)}`, bare ? `${formatLatency(bare.lineWait.p50)} / ${formatLatency(bare.lineWait.p99)}` : '—', ratio(system.lineWait.p50, bare?.lineWait.p50)),
    ],
  );
}

function routeTable(system: RushOutput, bare: RushOutput | undefined): string {
  const bareRoutes = new Map(bare ? summarize(bare.recording).map((s) => [s.route, s]) : []);
  return markdownTable(
    ['route', 'requests', 'system p50 / p95 / p99 / max', 'bare p50 / p95 / p99 / max', 'p99 ratio', 'system answers', 'system errors'],
    summarize(system.recording).map((s) => {
      const b = bareRoutes.get(s.route);
      return [
        s.route,
        formatCount(s.requests),
        quartet(s.latency),
        b ? quartet(b.latency) : '—',
        b && b.latency.p99 > 0 ? formatRatio(s.latency.p99 / b.latency.p99) : '—',
        formatCounts(s.statuses),
        formatCounts(s.errors),
      ];
    }),
  );
}

function outcomeTable(system: RushOutput, bare: RushOutput | undefined): string {
  const kinds = [...new Set([...Object.keys(system.outcomes), ...Object.keys(bare?.outcomes ?? {})])].sort();
  return markdownTable(
    ['how a fan\'s run ended', 'system', 'bare Fastify'],
    kinds.map((kind) => [kind, formatCount(system.outcomes[kind] ?? 0), bare ? formatCount(bare.outcomes[kind] ?? 0) : '—']),
  );
}

function dataDirectory(): { dir: string; keep: boolean } {
  if (!keepDir) return { dir: mkdtempSync(join(os.tmpdir(), 'bench-rush-')), keep: false };
  if (existsSync(keepDir) && readdirSync(keepDir).length > 0) throw new Error(`RUSH_KEEP_DIR ${keepDir} is not empty`);
  mkdirSync(keepDir, { recursive: true });
  return { dir: keepDir, keep: true };
}

async function main() {
  const machine = describeMachine();
  const started = new Date();
  const { dir, keep } = dataDirectory();
  const profileDir = profile ? mkdtempSync(join(os.tmpdir(), 'bench-rush-profile-')) : undefined;
  let run: SystemRush;
  let verdict;
  let hotSpots = '';
  try {
    run = await rushSystem(dir, shape, { cpuProfileDir: profileDir });
    if (profileDir) hotSpots = profileSection(profileDir);
    log(`[rush] checking the invariants${replay ? ' (with the replay of invariant 6)' : ''}`);
    verdict = await checkStore(dir, { receiver: run.receiver, replay });
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  }
  const bare = baseline ? await rushBare(shape) : undefined;
  const system = figuresOf(run.output);
  const bareFigures = bare ? figuresOf(bare) : undefined;

  const command = [
    ...Object.entries(env)
      .filter(([name]) => name.startsWith('RUSH_'))
      // A directory is this machine's business, not the report's.
      .map(([name, value]) => `${name}=${name === 'RUSH_KEEP_DIR' ? '…' : value}`),
    'npm run bench:rush',
  ].join(' ');
  const knobs = Object.entries(run.knobs)
    .map(([name, value]) => `\`${name}=${value}\``)
    .join(', ');
  const report = [
    ...reportHeading('Ticket rush benchmark', command, started, machine),
    '',
    '## What ran',
    '',
    `- **System**: \`node dist/infra/main.js\` with every role in one process (the seven services, the API and the mock data platform), on a fresh SQLite data directory, default durability (\`SQLITE_SYNCHRONOUS=FULL\`), with ${knobs}; every other knob at its default${profile ? '; run under `node --cpu-prof` (a sampling profiler: a few percent of overhead)' : ''} (holds 5 min, payment deadline 30 s, the mock data platform failing 20% of deliveries). One concert of ${shape.schedules} schedules × ${shape.seats} seats (${formatCount(totalSeats)} seats at ${formatCount(shape.price)} points) registered through \`POST /concerts\`.`,
    `- **Load**: a separate Node process (bench/load/rush-users.ts, undici pools of ${shape.lineConnections} connections for the line and ${shape.shopConnections} for shopping) plays ${formatCount(shape.users)} fans arriving ${shape.arrivalMs === 0 ? 'all at once' : `over ${seconds(shape.arrivalMs)}`}. Each: \`POST /queue/tokens\`; polls \`GET /queue/tokens/current\` after the server's \`etaMs\` (kept within ${shape.pollMinMs}–${shape.pollMaxMs} ms, ±25% jitter) until ACTIVE; \`GET /schedules/:id/seats\` of a random schedule; \`POST /reservations\` on a random AVAILABLE seat (another one after a 409; at most ${shape.holdAttempts} holds and ${shape.seatLooks} seat maps, ${shape.lookPauseMs} ms apart, before giving up); \`POST /users/:id/points/charge\` of the price; \`POST /payments\`; \`GET /payments/:id?waitMs=${shape.payWaitMs}\` until it ends. The load stops when every seat is paid for (or after ${seconds(shape.maxMs)}); fans still in line then are cut off. Latency runs from the client's call (waiting for a free connection included) to the last byte of the answer.`,
    `- **Baseline**: the same load process, knobs and concert against a bare Fastify server in its own process (bench/support/bare-ticketing.ts): the same routes, schemas, signed tokens and admission rule (${shape.queueMaxActive} active, a tick every ${shape.admitIntervalMs} ms), state in Maps, a payment completed inside \`POST /payments\`. ${bare ? '' : '(Not run this time: RUSH_BASELINE=0.)'}`,
    '- Time to sell out runs from the first fan\'s arrival (booking opens) to the `completedAt` of the last seat\'s payment; the rates are means over that window. Saga latency is `completedAt − requestedAt` of each completed payment as the payment itself reports it.',
    '',
    '## Figures',
    '',
    mainTable(system, bareFigures),
    '',
    `The load ended by ${run.output.stoppedBy}; the saga's tail (deliveries with retries, every subscriber reaching the head) ${settledText(run.settled, SETTLE_MS)}. Schedules in \`GET /rankings/sold-out\`: ${run.soldOutSchedules} of ${shape.schedules}.`,
    '',
    '## Latency per route',
    '',
    'p50 / p95 / p99 / max in ms, as the client saw them; the long poll `GET /payments/:id?waitMs` includes the wait for the payment to end.',
    '',
    routeTable(run.output, bare),
    '',
    '## How each fan\'s run ended',
    '',
    outcomeTable(run.output, bare),
    '',
    hotSpots,
    '',
    verdictSection(
      verdict,
      `Checked with \`checkInvariants\` (infra/invariants.ts) on the system's store after a graceful stop, with the mock data platform's records as the receiver${replay ? `; invariant 6 through the CLI's \`replayCheck\` (every read model projected from zero in memory against the live one, every reaction rerun against a store that only counts), which took ${seconds(verdict.replayMs ?? 0)}` : ''}. 0 double bookings is invariant 1; "balances consistent" is invariant 3.`,
    ),
    '',
    keep ? `The system's data directory was kept for \`npm run bench:replay\` (REPLAY_DATA_DIR).` : '',
  ].join('\n');
  const out = fileURLToPath(new URL('../../bench/results/rush.md', import.meta.url));
  writeFileSync(out, report);
  console.log(report);
  log('report written to bench/results/rush.md');
  if (!allHold(verdict) || !system.soldOut) process.exitCode = 1;
}

await main();
