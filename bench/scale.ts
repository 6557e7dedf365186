/**
 * `npm run bench:scale`: does a second process per role buy payments per
 * second on this machine? The same closed loop (fans paying, each following
 * its payment with the long poll to the end before paying again) against the
 * all-in-one process, the supervised multi-process layout (`--cluster`) with
 * one instance per role, and with two; and against a bare Fastify route that
 * completes a payment inside the request, the machine's baseline. Each layout
 * starts from a copy of the same prepared store (fans ACTIVE, charged,
 * holding a seat). Writes bench/results/scale.md.
 *
 * Knobs (environment variables, defaults in brackets):
 *   SCALE_FANS         [64]      fans paying at once
 *   SCALE_MS           [15000]   length of each closed loop
 *   SCALE_HOLDS        [12000]   holds prepared (the most payments one layout can make)
 *   SCALE_CONNECTIONS  [256]     client connections
 *   SCALE_INSTANCES    [1,2]     the cluster layouts to measure (CLUSTER_INSTANCES)
 *   SCALE_GROUPS       [api+projector,services]  one more cluster layout, one instance of each group (CLUSTER_GROUPS); empty: none
 *   SCALE_SYNCHRONOUS  [FULL]    the event log's SQLITE_SYNCHRONOUS in every layout (NORMAL: no fsync per commit, to see what the fsyncs cost)
 *   SCALE_CPU_PROFILE  [0]       1: run every process under `node --cpu-prof` and list each role's hottest functions
 *
 * Goal (from the scale-out issue): the multi-process layout ≥ 1.3× the all-in-one's rate.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteEventStore } from '../infra/eventstore/sqlite.js';
import type { SagaInput, SagaOutput } from './load/saga-payments.js';
import { startBare } from './support/bare-process.js';
import { integer, integers } from './support/knobs.js';
import { formatLatency } from './support/latency.js';
import { describeMachine } from './support/machine.js';
import { reportHeading } from './support/report.js';
import { runLoad } from './support/run-load.js';
import { prepareHolds, type PreparedHold } from './support/saga-prepare.js';
import type { PhaseFigures } from './support/saga-goals.js';
import { bareFigures, drain, systemFigures, targetsFor, waitUntilReady, type Phase } from './support/saga-phase.js';
import { startSystem } from './support/system-process.js';
import { cpuBetween, cpuByRole, rolesByPid } from './support/process-cpu.js';
import { roleProfilesSection } from './support/cpu-profile.js';
import { formatCount, formatRatio, markdownTable } from './support/table.js';
import { allHold, checkStore, receiverEffects, settledText, verdictSection, waitUntilSettled, type Verdict } from './support/verdict.js';

const env = process.env;
const knobs = {
  fans: integer(env, 'SCALE_FANS', 64, 1),
  durationMs: integer(env, 'SCALE_MS', 15_000, 1_000),
  holds: integer(env, 'SCALE_HOLDS', 12_000, 1),
  connections: integer(env, 'SCALE_CONNECTIONS', 256, 1),
  instances: integers(env, 'SCALE_INSTANCES', [1, 2]),
  groups: env.SCALE_GROUPS ?? 'api+projector,services',
  profile: integer(env, 'SCALE_CPU_PROFILE', 0, 0) === 1,
  synchronous: env.SCALE_SYNCHRONOUS ?? 'FULL',
};
const GOAL_RATIO = 1.3;
const PRICE = 50_000;
const HOUR = 3_600_000;
/** The longest the saga's tail is waited for after the closed loop. */
const SETTLE_MS = 120_000;
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Layout {
  label: string;
  args: string[];
  knobs: Record<string, string>;
}

const layouts: Layout[] = [
  { label: 'all-in-one (npm start)', args: [], knobs: {} },
  ...knobs.instances.map((n) => ({ label: `--cluster, ${n} per role`, args: ['--cluster'], knobs: { CLUSTER_INSTANCES: String(n) } })),
  ...(knobs.groups ? [{ label: `--cluster, groups ${knobs.groups}`, args: ['--cluster'], knobs: { CLUSTER_INSTANCES: '1', CLUSTER_GROUPS: knobs.groups } }] : []),
];

interface Measured {
  layout: Layout;
  figures: PhaseFigures;
  /** Events appended from the phase's start until the system stopped, per completed payment. */
  eventsPerPayment: number;
  /** CPU seconds each role's processes used during the closed loop. */
  cpu: Map<string, number>;
  /** With SCALE_CPU_PROFILE: each role's hottest functions. */
  profile: string | undefined;
  verdict: Verdict;
}

async function measure(template: string, holds: PreparedHold[], layout: Layout): Promise<Measured> {
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-scale-run-'));
  cpSync(template, dir, { recursive: true });
  const profileDir = knobs.profile ? mkdtempSync(join(os.tmpdir(), 'bench-scale-profile-')) : undefined;
  const system = await startSystem({
    dataDir: dir,
    cpuProfileDir: profileDir,
    // The all-in-one names every role so that nothing seeds the demo catalogue; the cluster seeds only an empty store.
    args: layout.args.length > 0 ? layout.args : undefined,
    knobs: {
      ...layout.knobs,
      SQLITE_SYNCHRONOUS: knobs.synchronous,
      QUEUE_MAX_ACTIVE: String(holds.length + 1_000),
      QUEUE_ADMIT_INTERVAL_MS: '100',
      QUEUE_TOKEN_TTL_MS: String(HOUR),
      HOLD_TTL_MS: String(HOUR),
    },
  });
  const store = new SqliteEventStore({ file: join(dir, 'events.db') });
  try {
    const readyMs = await waitUntilReady(system, holds);
    log(`[scale] ${layout.label}: caught up in ${(readyMs / 1000).toFixed(1)} s; closed loop of ${knobs.fans} for ${knobs.durationMs / 1000} s`);
    const phase: Phase = { label: layout.label, load: { kind: 'closed', concurrency: knobs.fans, durationMs: knobs.durationMs }, targets: holds };
    const head = (await store.headPosition()) ?? 0n;
    const cpuBefore = cpuByRole(system.pid);
    const output = await runLoad<SagaInput, SagaOutput>('saga-payments', {
      url: system.url,
      connections: knobs.connections,
      phase: phase.load,
      targets: targetsFor(system.queueSecret, holds),
      waitMs: 5_000,
    });
    const cpu = cpuBetween(cpuBefore, cpuByRole(system.pid));
    const roles = rolesByPid(system.pid);
    const { ends, drained } = await drain(store, head, output.payments.filter((p) => p.status === 202).length);
    const figures = systemFigures(phase, output, ends, drained);
    log(`[scale]   ${formatCount(figures.completed)} completed, ${figures.throughput.toFixed(0)}/s, p50 ${formatLatency(figures.endToEnd.p50)} p99 ${formatLatency(figures.endToEnd.p99)}`);
    // The saga's tail (retried deliveries, the ranking, every model) settles before the check, as in bench:saga.
    const settled = await waitUntilSettled(dir, system.url, SETTLE_MS);
    if (settled.ms === null) log(`[scale]   the tail did not settle in ${SETTLE_MS / 1000} s: ${settledText(settled, SETTLE_MS)}`);
    const receiver = await receiverEffects(system.mockUrl);
    await system.stop();
    const appended = Number(((await store.headPosition()) ?? head) - head);
    await store.close();
    const profile = profileDir ? roleProfilesSection(profileDir, roles) : undefined;
    return { layout, figures, cpu, profile, eventsPerPayment: appended / Math.max(1, figures.completed), verdict: await checkStore(dir, { receiver, replay: false }) };
  } finally {
    await store.close();
    await system.stop();
    rmSync(dir, { recursive: true, force: true });
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  }
}

async function measureBare(holds: PreparedHold[]): Promise<PhaseFigures> {
  const bare = await startBare({ QUEUE_MAX_ACTIVE: String(holds.length + 1_000), QUEUE_ADMIT_INTERVAL_MS: '100' });
  try {
    for (let from = 0; from < holds.length; from += 2_000) {
      const response = await fetch(`${bare.url}/bench/holds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ holds: holds.slice(from, from + 2_000) }) });
      if (!response.ok) throw new Error(`the bare server refused the prepared holds: ${response.status}`);
    }
    const phase: Phase = { label: 'bare Fastify', load: { kind: 'closed', concurrency: knobs.fans, durationMs: knobs.durationMs }, targets: holds };
    log(`[scale] bare Fastify: closed loop of ${knobs.fans}`);
    const output = await runLoad<SagaInput, SagaOutput>('saga-payments', { url: bare.url, connections: knobs.connections, phase: phase.load, targets: targetsFor(bare.queueSecret, holds), waitMs: 5_000 });
    return bareFigures(phase, output);
  } finally {
    await bare.stop();
  }
}

function cpuTable(runs: Measured[]): string {
  const roles = [...new Set(runs.flatMap((run) => [...run.cpu.keys()]))].sort();
  if (roles.length === 0) return '(no /proc on this machine: no figures)';
  const total = (run: Measured) => [...run.cpu.values()].reduce((a, b) => a + b, 0);
  return markdownTable(
    ['layout', 'CPU s in all', 'CPU ms per payment', ...roles],
    runs.map((run) => [
      run.layout.label,
      total(run).toFixed(1),
      ((1000 * total(run)) / Math.max(1, run.figures.completed)).toFixed(1),
      ...roles.map((role) => (run.cpu.has(role) ? run.cpu.get(role)!.toFixed(1) : '—')),
    ]),
  );
}

const quartet = (f: PhaseFigures) => [f.endToEnd.p50, f.endToEnd.p95, f.endToEnd.p99, f.endToEnd.max].map(formatLatency).join(' / ');

async function main() {
  const machine = describeMachine();
  const started = new Date();
  const template = mkdtempSync(join(os.tmpdir(), 'bench-scale-'));
  try {
    log(`[scale] preparing ${formatCount(knobs.holds)} holds`);
    const holds = await prepareHolds(template, knobs.holds, { price: PRICE, holdTtlMs: HOUR });
    const runs: Measured[] = [];
    for (const layout of layouts) runs.push(await measure(template, holds, layout));
    const bare = await measureBare(holds);
    const single = runs[0]!.figures.throughput;
    const best = Math.max(...runs.slice(1).map((run) => run.figures.throughput));
    const command = [...Object.entries(env).filter(([name]) => name.startsWith('SCALE_')).map(([name, value]) => `${name}=${value}`), 'npm run bench:scale'].join(' ');
    const report = [
      ...reportHeading('Scale-out benchmark: one process against several', command, started, machine),
      '',
      '## What ran',
      '',
      `- **Prepared once** (not measured): ${formatCount(holds.length)} fans, each with a queue token, one seat's price in points and one seat held; every layout starts from its own copy of that store and admits the tokens through its own queue before the clock starts.`,
      `- **Layouts**: \`node dist/infra/main.js\` with every role in one process; \`--cluster\` (the supervised multi-process layout: one projector, CLUSTER_INSTANCES processes of each service and of the api, the api workers sharing one port) at ${knobs.instances.join(' and ')} per role${knobs.groups ? `, and with CLUSTER_GROUPS=${knobs.groups} (the roles of a group sharing one process, one process per group)` : ''}. SQLite at durability ${knobs.synchronous} (FULL is the default), mock data platform failing 20% of deliveries.`,
      `- **Load**: one separate process, ${knobs.connections} connections; a closed loop of ${knobs.fans} fans for ${knobs.durationMs / 1000} s: each \`POST /payments\`, then \`GET /payments/:id?waitMs=5000\` until the payment ends, then the next fan's hold. Request → COMPLETED runs from the send to the PaymentCompleted event's time in the store. The bare Fastify baseline completes the payment inside the request.`,
      '',
      '## Figures',
      '',
      markdownTable(
        ['layout', 'completed', 'completed/s', '× all-in-one', '× bare', 'request → COMPLETED p50 / p95 / p99 / max (ms)', 'POST p50 / p99', 'events per payment'],
        [
          ...runs.map(({ layout, figures, eventsPerPayment }) => [
            layout.label,
            formatCount(figures.completed),
            formatCount(figures.throughput),
            formatRatio(figures.throughput / single),
            formatRatio(figures.throughput / bare.throughput),
            quartet(figures),
            `${formatLatency(figures.post.p50)} / ${formatLatency(figures.post.p99)}`,
            eventsPerPayment.toFixed(1),
          ]),
          ['bare Fastify (baseline)', formatCount(bare.completed), formatCount(bare.throughput), '—', '1×', quartet(bare), `${formatLatency(bare.post.p50)} / ${formatLatency(bare.post.p99)}`, '—'],
        ],
      ),
      '',
      '## Where the cores went',
      '',
      `CPU seconds used by each role's processes during the closed loop (from /proc; the loop ran ${knobs.durationMs / 1000} s, so ${(2 * knobs.durationMs) / 1000} s would be both cores), and per completed payment:`,
      '',
      cpuTable(runs),
      '',
      ...runs.flatMap(({ layout, profile }) =>
        profile === undefined ? [] : [`**${layout.label}** under \`node --cpu-prof\` (each process over its whole run, the preparation included):`, '', profile, ''],
      ),
      `Goal: the multi-process layout at ≥ ${GOAL_RATIO}× the all-in-one's rate. Best multi-process layout: ${formatRatio(best / single)}: **${best / single >= GOAL_RATIO ? 'met' : 'missed'}**.`,
      '',
      ...runs.map(({ layout, verdict }) => verdictSection(verdict, `${layout.label}: checked on its store after a graceful stop (invariant 6, the full replay, is left to bench:saga).`)),
      '',
    ].join('\n');
    writeFileSync(fileURLToPath(new URL('../../bench/results/scale.md', import.meta.url)), report);
    console.log(report);
    log('report written to bench/results/scale.md');
    if (!runs.every((run) => allHold(run.verdict))) process.exitCode = 1;
  } finally {
    rmSync(template, { recursive: true, force: true });
  }
}

await main();
