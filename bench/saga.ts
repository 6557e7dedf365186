/**
 * `npm run bench:saga`: how many payments the choreographed saga completes
 * per second, and how long each takes, on this machine. Holds are prepared
 * in advance (one fan per payment, ACTIVE, charged, holding a seat), written
 * through the application commands before the system starts, so the runs
 * measure `POST /payments` and the saga behind it alone. The whole system
 * (every role in one process) runs from the build in a child process; the
 * load generator is another process. Open loop at fixed rates, then a closed
 * loop for the maximum; the same phases against a bare Fastify server that
 * completes a payment in memory inside the request are the baseline. Writes
 * bench/results/saga.md and bench/results/saga-latency.svg.
 *
 * Knobs (environment variables, defaults in brackets):
 *   SAGA_RATES              [500,2000]      offered payments/s of the open-loop phases
 *   SAGA_DURATION_MS        [10000]         length of each open-loop phase
 *   SAGA_CLOSED_CONCURRENCY [64]            fans paying at once in the closed loop (each follows its payment to the end)
 *   SAGA_CLOSED_MS          [10000]         length of the closed-loop phase
 *   SAGA_CLOSED_MAX         [15000]         holds prepared for the closed loop
 *   SAGA_CONNECTIONS        [512]           client connections
 *   SAGA_CPU_PROFILE        [1]             run the system under `node --cpu-prof` and list its hottest functions
 *   SAGA_BASELINE           [1]             run the bare Fastify baseline too
 *   SAGA_TRACING            [0]             1: the system exports every span over OTLP/HTTP to a sink in this process
 *                                           (0: no OTEL_* variable, tracing off as by default; compare the two)
 *
 * Goals (from the pipeline issue): closed loop of 64 fans ≥ 0.1× the bare route's rate with p99 ≤ 100 ms;
 * open loop p99 ≤ 50 ms from request to COMPLETED at 500/s, and ≥ 1,500 completed/s at 2,000/s offered.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteEventStore } from '../infra/eventstore/sqlite.js';
import type { SagaInput, SagaOutput } from './load/saga-payments.js';
import { startBare, type BareProcess } from './support/bare-process.js';
import { profileSection } from './support/cpu-profile.js';
import { integer, integers } from './support/knobs.js';
import { formatLatency, type Quantiles } from './support/latency.js';
import { reportHeading } from './support/report.js';
import { describeMachine } from './support/machine.js';
import { formatCounts } from './support/recorder.js';
import { runLoad } from './support/run-load.js';
import { knobsForPreparedHolds, prepareHolds, type PreparedHold } from './support/saga-prepare.js';
import { renderSvg } from './support/svg-plot.js';
import { startSystem } from './support/system-process.js';
import { startOtlpSink, type OtlpSink } from './support/otlp-sink.js';
import { formatCount, markdownTable } from './support/table.js';
import { GOAL_P99_MS, goalTable, type PhaseFigures } from './support/saga-goals.js';
import { bareFigures, drain, PHASE_DRAIN_MS, systemFigures, targetsFor, waitUntilReady, type Phase } from './support/saga-phase.js';
import { allHold, checkStore, receiverEffects, settledText, verdictSection, waitUntilSettled, type Settled } from './support/verdict.js';

const env = process.env;
const knobs = {
  rates: integers(env, 'SAGA_RATES', [500, 2_000]),
  durationMs: integer(env, 'SAGA_DURATION_MS', 10_000, 1_000),
  closedConcurrency: integer(env, 'SAGA_CLOSED_CONCURRENCY', 64, 1),
  closedMs: integer(env, 'SAGA_CLOSED_MS', 10_000, 1_000),
  closedMax: integer(env, 'SAGA_CLOSED_MAX', 15_000, 1),
  connections: integer(env, 'SAGA_CONNECTIONS', 512, 1),
  profile: integer(env, 'SAGA_CPU_PROFILE', 1, 0) === 1,
  baseline: integer(env, 'SAGA_BASELINE', 1, 0) === 1,
  tracing: integer(env, 'SAGA_TRACING', 0, 0) === 1,
};
const PRICE = 50_000;
const HOUR = 3_600_000;
/** The longest the saga's tail (deliveries, the ranking, every read model) is waited for after the last phase. */
const SETTLE_MS = 120_000;

const log = (line: string) => process.stderr.write(`${line}\n`);


function plan(holds: PreparedHold[]): Phase[] {
  let next = 0;
  const take = (n: number) => holds.slice(next, (next += n));
  return [
    ...knobs.rates.map((rate) => ({
      label: `open loop ${formatCount(rate)}/s`,
      load: { kind: 'open' as const, rate, durationMs: knobs.durationMs },
      targets: take(Math.round((rate * knobs.durationMs) / 1000)),
    })),
    {
      label: `closed loop, ${knobs.closedConcurrency} at once`,
      load: { kind: 'closed' as const, concurrency: knobs.closedConcurrency, durationMs: knobs.closedMs },
      targets: take(knobs.closedMax),
    },
  ];
}


async function runSystem(dir: string, holds: PreparedHold[], phases: Phase[], profileDir: string | undefined, sink: OtlpSink | undefined) {
  const system = await startSystem({
    dataDir: dir,
    cpuProfileDir: profileDir,
    knobs: {
      ...knobsForPreparedHolds(holds, HOUR),
      ...(sink ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint } : {}),
    },
  });
  const store = new SqliteEventStore({ file: join(dir, 'events.db') });
  try {
    const readyMs = await waitUntilReady(system, holds);
    log(`[saga] system caught up with ${formatCount(holds.length)} prepared holds in ${(readyMs / 1000).toFixed(1)} s`);
    const figures: PhaseFigures[] = [];
    const tails: Settled[] = [];
    for (const phase of phases) {
      const head = (await store.headPosition()) ?? 0n;
      log(`[saga] system: ${phase.label}`);
      const output = await runLoad<SagaInput, SagaOutput>('saga-payments', {
        url: system.url,
        connections: knobs.connections,
        phase: phase.load,
        targets: targetsFor(system.queueSecret, phase.targets),
        waitMs: 5_000,
      });
      const accepted = output.payments.filter((p) => p.status === 202).length;
      const { ends, drained } = await drain(store, head, accepted);
      const result = systemFigures(phase, output, ends, drained);
      log(`[saga]   ${formatCount(result.completed)} completed, ${result.throughput.toFixed(0)}/s, end-to-end p50 ${formatLatency(result.endToEnd.p50)} p99 ${formatLatency(result.endToEnd.p99)}`);
      figures.push(result);
      // The next phase starts on a quiet system: deliveries, the ranking and every read model caught up with this one.
      tails.push(await waitUntilSettled(dir, system.url, SETTLE_MS));
    }
    const settled = tails.at(-1)!;
    const receiver = await receiverEffects(system.mockUrl);
    await store.close();
    const stopCode = await system.stop();
    return { figures, tails, readyMs, settled, receiver, stopCode, knobs: system.env };
  } finally {
    await store.close();
    await system.stop();
  }
}

async function runBare(holds: PreparedHold[], phases: Phase[]): Promise<PhaseFigures[]> {
  const bare: BareProcess = await startBare({ QUEUE_MAX_ACTIVE: String(holds.length + 1_000), QUEUE_ADMIT_INTERVAL_MS: '100' });
  try {
    for (let from = 0; from < holds.length; from += 2_000) {
      const response = await fetch(`${bare.url}/bench/holds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ holds: holds.slice(from, from + 2_000) }),
      });
      if (!response.ok) throw new Error(`the bare server refused the prepared holds: ${response.status}`);
    }
    const figures: PhaseFigures[] = [];
    for (const phase of phases) {
      log(`[saga] bare Fastify: ${phase.label}`);
      const output = await runLoad<SagaInput, SagaOutput>('saga-payments', {
        url: bare.url,
        connections: knobs.connections,
        phase: phase.load,
        targets: targetsFor(bare.queueSecret, phase.targets),
        waitMs: 5_000,
      });
      figures.push(bareFigures(phase, output));
    }
    return figures;
  } finally {
    await bare.stop();
  }
}

const quartet = (q: Quantiles) => (q.count === 0 ? '—' : [q.p50, q.p95, q.p99, q.max].map(formatLatency).join(' / '));
const rate = (value: number) => `${formatCount(value)}/s`;

function phaseTable(system: PhaseFigures[], bare: PhaseFigures[] | undefined): string {
  return markdownTable(
    ['phase', 'payments', 'completed', 'failed', 'completed/s', 'request → COMPLETED p50 / p95 / p99 / max', 'saga in the store p50 / p95 / p99 / max', 'POST /payments p50 / p99', 'bare: completed/s', 'bare: request → COMPLETED p50 / p95 / p99 / max'],
    system.map((f, i) => {
      const b = bare?.[i];
      return [
        f.label,
        formatCount(f.sent),
        formatCount(f.completed),
        formatCounts(f.failed) + (f.drained ? '' : ' (some still PENDING)'),
        rate(f.throughput),
        quartet(f.endToEnd),
        quartet(f.saga),
        `${formatLatency(f.post.p50)} / ${formatLatency(f.post.p99)}`,
        b ? rate(b.throughput) : '—',
        b ? quartet(b.endToEnd) : '—',
      ];
    }),
  );
}

/** The highest offered rate the system kept up with: ≥ 95% of it completed per second, every payment completed, p99 under a second. */
function saturation(system: PhaseFigures[]): string {
  const open = system.filter((f) => f.offered !== null);
  const keptUp = (f: PhaseFigures) => f.throughput >= 0.95 * f.offered! && f.completed === f.sent && f.endToEnd.p99 < 1_000;
  const held = open.filter(keptUp);
  const broke = open.find((f) => !keptUp(f));
  const closed = system.at(-1)!;
  const top = held.at(-1);
  if (!broke) return `The system kept up with every offered rate (up to ${rate(open.at(-1)!.offered!)}); the closed loop reached ${rate(closed.throughput)}.`;
  return `Saturation: the system kept up with ${top ? rate(top.offered!) : 'none of the offered rates'} and not with ${rate(broke.offered!)} (${rate(broke.throughput)} completed, p99 ${formatLatency(broke.endToEnd.p99)}); the closed loop, ${knobs.closedConcurrency} fans paying at once, reached ${rate(closed.throughput)} at p50 ${formatLatency(closed.endToEnd.p50)}. Past saturation payments queue up in the saga's subscriptions, and latency grows with the time spent above capacity.`;
}

async function plot(system: PhaseFigures[], bare: PhaseFigures[] | undefined): Promise<string> {
  const rows = [
    ...system.flatMap((f) => (f.offered === null ? [] : (['p50', 'p95', 'p99'] as const).map((p) => ({ rate: f.offered, percentile: p, ms: f.endToEnd[p], server: 'system' })))),
    ...(bare ?? []).flatMap((f) => (f.offered === null ? [] : (['p50', 'p95', 'p99'] as const).map((p) => ({ rate: f.offered, percentile: p, ms: Math.max(0.1, f.endToEnd[p]), server: 'bare Fastify' })))),
  ];
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Payment: request → COMPLETED latency vs offered rate', subtitle: 'open loop; system = the choreographed saga, bare Fastify = completed in the request' },
    width: 520,
    height: 320,
    background: 'white',
    data: { values: rows },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'rate', type: 'quantitative', scale: { type: 'log' }, title: 'offered payments/s' },
          y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms, log scale)' },
          color: { field: 'percentile', type: 'nominal' },
          strokeDash: { field: 'server', type: 'nominal' },
          shape: { field: 'server', type: 'nominal' },
        },
      },
      { mark: { type: 'rule', color: 'red', strokeDash: [2, 2] }, encoding: { y: { datum: GOAL_P99_MS } } },
    ],
  });
}

async function main() {
  const machine = describeMachine();
  const started = new Date();
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-saga-'));
  const profileDir = knobs.profile ? mkdtempSync(join(os.tmpdir(), 'bench-saga-profile-')) : undefined;
  try {
    const openCount = knobs.rates.reduce((sum, r) => sum + Math.round((r * knobs.durationMs) / 1000), 0);
    const total = openCount + knobs.closedMax;
    log(`[saga] preparing ${formatCount(total)} holds`);
    const prepStarted = performance.now();
    const holds = await prepareHolds(dir, total, { price: PRICE, holdTtlMs: HOUR });
    const prepMs = performance.now() - prepStarted;
    const phases = plan(holds);
    const sink = knobs.tracing ? await startOtlpSink() : undefined;
    const run = await runSystem(dir, holds, phases, profileDir, sink).finally(() => sink?.close());
    const exported = sink?.received();
    const tracing = exported
      ? `tracing on: every span exported over OTLP/HTTP (batched, protobuf) to a sink in the bench process, which took ${formatCount(exported.requests)} exports, ${(exported.bytes / 1e6).toFixed(1)} MB`
      : 'tracing off (no `OTEL_*` variable, the default: the SDK is not loaded; `SAGA_TRACING=1` exports every span)';
    log('[saga] checking the invariants');
    const verdict = await checkStore(dir, { receiver: run.receiver, replay: true });
    const bare = knobs.baseline ? await runBare(holds, phases) : undefined;
    const svg = await plot(run.figures, bare);
    writeFileSync(fileURLToPath(new URL('../../bench/results/saga-latency.svg', import.meta.url)), svg);

    const command = [
      ...Object.entries(env)
        .filter(([name]) => name.startsWith('SAGA_'))
        .map(([name, value]) => `${name}=${value}`),
      'npm run bench:saga',
    ].join(' ');
    const systemKnobs = Object.entries(run.knobs)
      .filter(([name]) => ['QUEUE_MAX_ACTIVE', 'QUEUE_ADMIT_INTERVAL_MS', 'QUEUE_TOKEN_TTL_MS', 'HOLD_TTL_MS', 'DELIVERY_BACKOFF_MS', 'DELIVERY_MAX_BACKOFF_MS'].includes(name))
      .map(([name, value]) => `\`${name}=${value}\``)
      .join(', ');
    const report = [
      ...reportHeading('Saga throughput and latency benchmark', command, started, machine),
      '',
      '## What ran',
      '',
      `- **Prepared in advance** (not measured): ${formatCount(holds.length)} fans, each with a queue token, exactly one seat's price in points (${formatCount(PRICE)}) and one seat held, written through the application commands (\`registerConcert\`, \`issueToken\`, \`chargePoints\`, \`holdSeat\`) into a fresh data directory in ${(prepMs / 1000).toFixed(1)} s; the system then admitted every token through its own queue and brought every subscriber to the head in ${(run.readyMs / 1000).toFixed(1)} s before the first phase. So each measured payment is \`POST /payments\` and the saga alone: PaymentRequested → SeatReserved → PointsDebited → PaymentCompleted, with the delivery to the mock data platform, the ranking and the token expiry behind it.`,
      `- **System**: \`node dist/infra/main.js\` with every role in one process (the seven services, the API, the mock data platform failing 20% of deliveries) on that directory, default durability (\`SQLITE_SYNCHRONOUS=FULL\`), ${tracing}, with ${systemKnobs}; everything else at its default${knobs.profile ? '; run under `node --cpu-prof` (a sampling profiler: a few percent of overhead)' : ''}.`,
      `- **Load**: a separate Node process (bench/load/saga-payments.ts, an undici pool of ${knobs.connections} connections, all opened before each phase's clock starts, so connection setup is not counted). Open loop: \`POST /payments\` at ${knobs.rates.map((r) => `${formatCount(r)}/s`).join(', ')} for ${(knobs.durationMs / 1000).toFixed(0)} s each, every payment sent at its scheduled instant whatever the answers do. Closed loop: ${knobs.closedConcurrency} fans at once, each paying then following its payment with \`GET /payments/:id?waitMs=5000\` to the end before the next fan pays, for ${(knobs.closedMs / 1000).toFixed(0)} s. Between phases the bench waits (up to ${PHASE_DRAIN_MS / 1000} s) for every payment of the phase to end, then (up to ${SETTLE_MS / 1000} s) for the rest of the saga's tail, deliveries, the ranking and every read model, so that each phase starts on a quiet system: ${run.tails.map((t, i) => `${phases[i]!.label} ${settledText(t, SETTLE_MS)}`).join('; ')}.`,
      '- **Request → COMPLETED** runs from the instant the payment was due to be sent (open loop; the send in the closed loop) to the `created` time of its PaymentCompleted event in the store, read back afterwards: the client\'s clock and the system\'s are the same machine\'s. **Saga in the store** runs from PaymentRequested to PaymentCompleted, both as stored. **Completed/s** counts completed payments from the phase\'s start to its last completion, so a backlog drained after the phase counts against the rate.',
      '- **Baseline**: the same load process and phases against a bare Fastify server in its own process (bench/support/bare-ticketing.ts) holding the same prepared fans in Maps: same route, schema and signed token check, the payment completed inside the request; its request → COMPLETED is the time to its answer.',
      '',
      '## Goals',
      '',
      goalTable(run.figures, bare, knobs.closedConcurrency),
      '',
      saturation(run.figures),
      '',
      '## Every phase',
      '',
      'Latencies in ms: p50 / p95 / p99 / max.',
      '',
      phaseTable(run.figures, bare),
      '',
      'Latency against the offered rate (open-loop phases; the red rule is the 50 ms goal):',
      '',
      '![request → COMPLETED latency vs offered rate](saga-latency.svg)',
      '',
      profileDir ? profileSection(profileDir) : '',
      '',
      verdictSection(
        verdict,
        `Checked with \`checkInvariants\` (infra/invariants.ts) on the system's store after a graceful stop (the saga's tail, every subscriber reaching the head included, ${settledText(run.settled, SETTLE_MS)} once the last phase ended), with the mock data platform's records as the receiver; invariant 6 through the CLI's \`replayCheck\`, which took ${((verdict.replayMs ?? 0) / 1000).toFixed(1)} s.`,
      ),
      '',
    ].join('\n');
    writeFileSync(fileURLToPath(new URL('../../bench/results/saga.md', import.meta.url)), report);
    console.log(report);
    log('report written to bench/results/saga.md and bench/results/saga-latency.svg');
    if (!allHold(verdict)) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  }
}

await main();
