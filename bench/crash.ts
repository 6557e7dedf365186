/**
 * `npm run bench:crash`: the seven services and the API as eight processes on
 * one SQLite DATA_DIR, under a steady payment load from a separate process,
 * while a random one of them is SIGKILLed every interval and started again at
 * once. Afterwards the load stops, the system settles, and every
 * acknowledged request must be in the store, every payment must have ended,
 * and the six invariants must hold. The same load without kills runs first,
 * in the same run, as the baseline. Writes bench/results/crash.md.
 *
 * Knobs (environment variables, defaults in brackets):
 *   CRASH_KILLS               [100]    SIGKILLs, one every interval
 *   CRASH_KILL_INTERVAL_MS    [1500]   time between kills (each one jittered by ±25%)
 *   CRASH_RATE                [5]      journeys started per second (token, charge, hold, pay), both phases
 *   CRASH_BASELINE_MS         [30000]  length of the load without kills
 *   CRASH_SEED                [1]      which process each kill picks (a seeded PRNG)
 *   CRASH_PAYMENT_DEADLINE_MS [10000]  PAYMENT_DEADLINE_MS of the system under test
 *   CRASH_RECEIVER_FAILURE_RATE [0.1]  share of data platform requests answered 503
 *   CRASH_SETTLE_TIMEOUT_MS   [120000] how long settling may take before the run says it did not
 *   CRASH_PROBES              [40]     lost-answer probes after the load (a POST, the API killed while it runs,
 *                                      the same POST retried with its Idempotency-Key), shared among four routes
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROLES, type Role } from '../infra/runner.js';
import type { LoadAck, LoadPlan, LoadSummary } from './faults/payment-load.js';
import { registerSeats, type SeatPlan } from './support/catalogue-fixture.js';
import { benchSystem } from './support/bench-system.js';
import { invariantVerdict, verdictSection } from './support/invariant-verdict.js';
import { integer } from './support/knobs.js';
import { acknowledged, startLoad } from './support/load-process.js';
import { PROBED_ROUTES, probeLostAnswer, type ProbeResult } from './support/lost-answer-probe.js';
import { describeMachine, loadAverage, machineLines } from './support/machine.js';
import { distribution } from './support/percentiles.js';
import { startReceiver } from './support/receiver-process.js';
import { RoleProcesses } from './support/role-processes.js';
import { SagaTally } from './support/saga-tally.js';
import { describeUnsettled, waitUntilSettled } from './support/settle.js';
import { formatCount, formatRatio, markdownTable } from './support/table.js';

const env = process.env;
const failureShare = (() => {
  const raw = env.CRASH_RECEIVER_FAILURE_RATE;
  const value = raw === undefined || raw === '' ? 0.1 : Number(raw);
  if (!(value >= 0 && value <= 1)) throw new RangeError('CRASH_RECEIVER_FAILURE_RATE must be within [0, 1]');
  return value;
})();
const knobs = {
  kills: integer(env, 'CRASH_KILLS', 100, 1),
  intervalMs: integer(env, 'CRASH_KILL_INTERVAL_MS', 1_500, 1),
  rate: integer(env, 'CRASH_RATE', 5, 1),
  baselineMs: integer(env, 'CRASH_BASELINE_MS', 30_000, 1),
  seed: integer(env, 'CRASH_SEED', 1, 0),
  deadlineMs: integer(env, 'CRASH_PAYMENT_DEADLINE_MS', 10_000, 1),
  receiverFailureRate: failureShare,
  settleTimeoutMs: integer(env, 'CRASH_SETTLE_TIMEOUT_MS', 120_000, 0),
  probes: integer(env, 'CRASH_PROBES', 40, 0),
};

const PRICE = 100;
const ADMIN_TOKEN = 'crash-bench-admin';

const log = (line: string) => process.stderr.write(`[crash] ${line}\n`);

/** mulberry32: a small seeded PRNG, so a run's sequence of victims can be repeated. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Kill {
  role: Role;
  /** The process had not said it was ready: killed during its start (catch-up). */
  whileStarting: boolean;
  /** ms from the restart to ready, once known. */
  readyMs: number | undefined;
  restartFailed: boolean;
}

interface Phase {
  name: string;
  summary: LoadSummary;
  acks: LoadAck[];
  /** From the first journey's start to the last one's (ms). */
  loadMs: number;
  settleMs: number;
  settled: boolean;
  unsettled: string;
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const started = new Date();
  const receiver = await startReceiver({ failureRate: knobs.receiverFailureRate });
  const system = await benchSystem(
    'crash',
    {
      ADMIN_TOKEN,
      QUEUE_ADMIT_INTERVAL_MS: '200',
    QUEUE_MAX_ACTIVE: '10000',
    PAYMENT_DEADLINE_MS: String(knobs.deadlineMs),
    DATA_PLATFORM_URL: receiver.url,
    DELIVERY_BACKOFF_MS: '200',
    DELIVERY_MAX_BACKOFF_MS: '2000',
    },
    { readyTimeoutMs: 60_000 },
  );
  const { dir, base, processes, config, stores } = system;
  // Services log at info only to say "service started" (how readiness is seen); the API logs every request at info.
  const roleEnv = (role: Role): NodeJS.ProcessEnv => ({ LOG_LEVEL: role === 'api' ? 'warn' : 'info' });
  const tally = new SagaTally();
  const kills: Kill[] = [];
  const phases: Phase[] = [];
  const foundDown: Role[] = [];
  let verdictText = '';
  let seats: SeatPlan;

  try {
    log(`starting ${ROLES.length} processes on ${dir}`);
    await Promise.all(ROLES.map((role) => processes.start(role, [role], roleEnv(role))));
    // The crash phase's load is stopped after the last restart; its duration is only a bound.
    const crashBoundMs = knobs.kills * knobs.intervalMs + 60_000;
    const journeysWithin = (durationMs: number) => Math.ceil((durationMs / 1000) * knobs.rate) + 1;
    seats = await registerSeats(base, ADMIN_TOKEN, journeysWithin(knobs.baselineMs) + journeysWithin(crashBoundMs), PRICE);
    let nextJourney = 0;

    const plan = (name: string, durationMs: number): LoadPlan => ({
      base,
      ratePerSecond: knobs.rate,
      maxJourneys: journeysWithin(durationMs),
      durationMs,
      firstJourney: nextJourney,
      scheduleIds: seats.scheduleIds,
      seatCount: seats.seatCount,
      price: PRICE,
      userPrefix: `crash-${name}`,
      maxInFlight: 200,
      stepAttempts: 40,
      retryDelayMs: 250,
      admissionWaitMs: 30_000,
      drainMs: 30_000,
    });

    const runPhase = async (name: string, durationMs: number, during: () => Promise<void>) => {
      const thePlan = plan(name, durationMs);
      nextJourney += thePlan.maxJourneys;
      const load = startLoad(thePlan);
      await during();
      const summary = await load.stop();
      const waitFrom = Date.now();
      const settle = await waitUntilSettled(stores, config, tally, { timeoutMs: knobs.settleTimeoutMs });
      const phase: Phase = {
        name,
        summary,
        acks: load.acks,
        loadMs: Math.max(1, summary.lastStartAt - summary.startedAt),
        // From the end of the load's last journey, not from when its process had closed.
        settleMs: waitFrom + settle.ms - summary.endedAt,
        settled: settle.state.settled,
        unsettled: describeUnsettled(settle.state),
      };
      phases.push(phase);
      log(`${name}: ${summary.journeysStarted} journeys, ${summary.journeysPaid} paid; settled ${phase.settled} ${(phase.settleMs / 1000).toFixed(2)} s after the last journey (${phase.unsettled})`);
    };

    log(`baseline: ${knobs.rate} journeys/s for ${knobs.baselineMs} ms, no kills`);
    await runPhase('baseline', knobs.baselineMs, () => sleep(knobs.baselineMs));

    log(`crash: ${knobs.kills} SIGKILLs, one every ${knobs.intervalMs} ms, under the same load`);
    const random = seeded(knobs.seed);
    const restarts: Promise<void>[] = [];
    await runPhase('crash', crashBoundMs, async () => {
      const t0 = performance.now();
      for (let k = 0; k < knobs.kills; k++) {
        // Jittered by ±25%: kills on a fixed beat fall into step with the load's own beat and miss requests in flight.
        const jitter = (random() - 0.5) * 0.5 * knobs.intervalMs;
        const wait = t0 + (k + 1) * knobs.intervalMs + jitter - performance.now();
        if (wait > 0) await sleep(wait);
        const role = ROLES[Math.floor(random() * ROLES.length)]!;
        const kill: Kill = { role, whileStarting: false, readyMs: undefined, restartFailed: false };
        try {
          kill.whileStarting = !processes.isReady(role);
          await processes.signal(role, 'SIGKILL');
        } catch {
          // Not running: its last start failed. Counted, and started again below.
          foundDown.push(role);
        }
        kills.push(kill);
        const restartedAt = performance.now();
        restarts.push(
          processes.start(role, [role], roleEnv(role)).then(
            () => {
              kill.readyMs = performance.now() - restartedAt;
            },
            () => {
              kill.restartFailed = true;
            },
          ),
        );
        if ((k + 1) % 10 === 0) log(`${k + 1} kills`);
      }
      await Promise.all(restarts);
      for (const role of ROLES) {
        if (!processes.isReady(role)) {
          foundDown.push(role);
          await processes.start(role, [role], roleEnv(role));
        }
      }
    });

    const probes: ProbeResult[] = [];
    if (knobs.probes > 0) {
      log(`${knobs.probes} lost-answer probes: a POST, the API killed while it runs, the POST retried`);
      const probeSeats = await registerSeats(base, ADMIN_TOKEN, knobs.probes, PRICE);
      const context = {
        base,
        adminToken: ADMIN_TOKEN,
        processes,
        apiEnv: roleEnv('api'),
        store: stores.events,
        scheduleId: probeSeats.scheduleIds[0]!,
        firstSeat: 1,
        random,
        // The API appends within a few ms, then waits for its read models (a poll of 20 ms) before it answers.
        killDelayMs: { min: 2, max: 30 },
      };
      for (let n = 0; n < knobs.probes; n++) probes.push(await probeLostAnswer(context, PROBED_ROUTES[n % PROBED_ROUTES.length]!, n));
      const settle = await waitUntilSettled(stores, config, tally, { timeoutMs: knobs.settleTimeoutMs });
      if (!settle.state.settled) log(`after the probes: ${describeUnsettled(settle.state)}`);
    }

    log('stopping the processes (SIGTERM) for the invariant check');
    await processes.stopAll();
    await tally.catchUp(stores.events);
    const records = await receiver.records();
    const verdict = await invariantVerdict(stores, config, records);
    verdictText = verdictSection(verdict, `the receiver's ${formatCount(records.length)} records (its own process, never killed) for invariant 5`);
    log(verdict.ok ? 'invariants hold' : 'INVARIANTS FAIL');

    writeReport({ started, machine, phases, kills, foundDown, tally, processes, verdictText, probes, records: records.length, requests: records.reduce((n, r) => n + r.attempts, 0) });
  } finally {
    await system.close();
    await receiver.stop();
  }
}

interface ReportInput {
  probes: ProbeResult[];
  started: Date;
  machine: ReturnType<typeof describeMachine>;
  phases: Phase[];
  kills: Kill[];
  foundDown: Role[];
  tally: SagaTally;
  processes: RoleProcesses;
  verdictText: string;
  records: number;
  /** Requests the receiver saw for the keys it kept (failed ones and repeats included). */
  requests: number;
}

function phaseFigures(phase: Phase, tally: SagaTally) {
  const payments = acknowledged(phase.acks, 'payment');
  const holds = acknowledged(phase.acks, 'hold');
  const charges = acknowledged(phase.acks, 'charge');
  const found = payments.filter((id) => tally.payments.has(id));
  const ended = found.map((id) => tally.payments.get(id)!);
  const completed = ended.filter((p) => p.status === 'COMPLETED');
  const failed = ended.filter((p) => p.status === 'FAILED');
  const reasons = new Map<string, number>();
  for (const p of failed) reasons.set(p.reason ?? '?', (reasons.get(p.reason ?? '?') ?? 0) + 1);
  const latencies = ended.filter((p) => p.endedAt !== undefined).map((p) => p.endedAt! - p.requestedAt);
  return {
    payments: payments.length,
    paymentsFound: found.length,
    holds: holds.length,
    holdsFound: holds.filter((id) => tally.holds.has(id)).length,
    charges: charges.length,
    chargesFound: charges.filter((id) => tally.charges.has(id)).length,
    ended: ended.filter((p) => p.status !== 'PENDING').length,
    completed: completed.length,
    failed: failed.length,
    reasons,
    completedPerSecond: (completed.length * 1000) / phase.loadMs,
    latency: latencies.length > 0 ? distribution(latencies) : undefined,
  };
}

function writeReport(input: ReportInput): void {
  const { phases, kills, tally, processes } = input;
  const [baselinePhase, crashPhase] = phases as [Phase, Phase];
  const base = phaseFigures(baselinePhase, tally);
  const crash = phaseFigures(crashPhase, tally);
  const acknowledgedPayments = new Set([...acknowledged(baselinePhase.acks, 'payment'), ...acknowledged(crashPhase.acks, 'payment')]);
  // The load's users only: the lost-answer probes below make payments of their own.
  const unacknowledgedInStore = [...tally.payments].filter(([id, p]) => p.userId.startsWith('crash-') && !acknowledgedPayments.has(id)).length;
  const pendingAtEnd = tally.pendingPayments();

  const ratio = (a: number, b: number) => (b === 0 ? '—' : formatRatio(a / b));
  const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const lat = (f: ReturnType<typeof phaseFigures>) => (f.latency ? `${f.latency.p50.toFixed(0)} / ${f.latency.p95.toFixed(0)} / ${f.latency.max.toFixed(0)} ms` : '—');
  const of = (found: number, all: number) => `${formatCount(found)} of ${formatCount(all)}`;
  const reasonText = (reasons: Map<string, number>) => [...reasons].map(([r, n]) => `${r} ${n}`).join(', ') || 'none';
  const allFound = (f: ReturnType<typeof phaseFigures>) => f.paymentsFound === f.payments && f.holdsFound === f.holds && f.chargesFound === f.charges;

  const rows = [
    ['kills (SIGKILL)', formatCount(kills.length), '0', '—', `≥ 100 by default`, kills.length >= 100 ? 'yes' : 'no (knob)'],
    ['journeys started (token → charge → hold → pay)', formatCount(crashPhase.summary.journeysStarted), formatCount(baselinePhase.summary.journeysStarted), '—', '—', '—'],
    ['payments acknowledged (202)', formatCount(crash.payments), formatCount(base.payments), ratio(crash.payments / crashPhase.summary.journeysStarted, base.payments / baselinePhase.summary.journeysStarted), '—', '—'],
    ['completed payments / s of load', crash.completedPerSecond.toFixed(2), base.completedPerSecond.toFixed(2), ratio(crash.completedPerSecond, base.completedPerSecond), '—', '—'],
    ['acknowledged payments found in the store', of(crash.paymentsFound, crash.payments), of(base.paymentsFound, base.payments), '—', 'all', crash.paymentsFound === crash.payments ? 'yes' : 'NO'],
    ['acknowledged holds (201) found in the store', of(crash.holdsFound, crash.holds), of(base.holdsFound, base.holds), '—', 'all', crash.holdsFound === crash.holds ? 'yes' : 'NO'],
    ['acknowledged charges (200) found in the store', of(crash.chargesFound, crash.charges), of(base.chargesFound, base.charges), '—', 'all', crash.chargesFound === crash.charges ? 'yes' : 'NO'],
    ['acknowledged payments ended COMPLETED or FAILED', of(crash.ended, crash.paymentsFound), of(base.ended, base.paymentsFound), '—', 'all', crash.ended === crash.paymentsFound ? 'yes' : 'NO'],
    ['  of which COMPLETED', formatCount(crash.completed), formatCount(base.completed), '—', '—', '—'],
    ['  of which FAILED (reasons)', `${crash.failed} (${reasonText(crash.reasons)})`, `${base.failed} (${reasonText(base.reasons)})`, '—', '—', '—'],
    ['saga time p50 / p95 / max (PaymentRequested → end, store times)', lat(crash), lat(base), crash.latency && base.latency ? ratio(crash.latency.p95, base.latency.p95) : '—', '—', '—'],
    ['time to settle after the load stopped', crashPhase.settled ? secs(crashPhase.settleMs) : `not settled in ${secs(crashPhase.settleMs)}`, baselinePhase.settled ? secs(baselinePhase.settleMs) : 'not settled', ratio(crashPhase.settleMs, baselinePhase.settleMs), 'settles', crashPhase.settled ? 'yes' : 'NO'],
  ];

  const byRole = ROLES.map((role) => {
    const mine = kills.filter((k) => k.role === role);
    const ready = mine.flatMap((k) => (k.readyMs === undefined ? [] : [k.readyMs]));
    const d = ready.length > 0 ? distribution(ready) : undefined;
    const warnings = [...(processes.warnings.get(role) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
    const warned = warnings.reduce((n, [, c]) => n + c, 0);
    return [
      role,
      String(mine.length),
      String(mine.filter((k) => k.whileStarting).length),
      String(mine.filter((k) => k.readyMs !== undefined).length),
      d ? `${d.p50.toFixed(0)} / ${d.max.toFixed(0)} ms` : '—',
      String(processes.unexpectedExits.filter((e) => e.name === role).length),
      warned === 0 ? '0' : `${warned}: ${warnings.slice(0, 2).map(([m, c]) => `"${m}" ×${c}`).join(', ')}`,
    ];
  });

  const clientRows = (phase: Phase) =>
    Object.entries(phase.summary.responses)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, n]) => `${key}: ${n}`)
      .join('; ');
  const abandoned = (phase: Phase) =>
    Object.entries(phase.summary.abandoned)
      .map(([why, n]) => `${why} (${n})`)
      .join('; ') || 'none';

  const probeRows = PROBED_ROUTES.map((route) => {
    const mine = input.probes.filter((p) => p.route === route);
    const lost = mine.filter((p) => p.first === null);
    const answered = lost.filter((p) => p.retry !== null && p.retry >= 200 && p.retry < 300);
    const refused = lost.filter((p) => p.retry === null || p.retry >= 300);
    const codes = [...new Set(refused.map((p) => `${String(p.retry)} ${p.retryCode ?? ''}`.trim()))].join(', ');
    const wrongEffects = mine.filter((p) => p.effects !== 1).length;
    return [
      route,
      String(mine.length),
      String(lost.length),
      String(answered.length),
      refused.length === 0 ? '0' : `${refused.length} (${codes})`,
      String(wrongEffects),
      refused.length === 0 && wrongEffects === 0 ? 'yes' : 'NO',
    ];
  });
  const probesOk = probeRows.every((row) => row[6] === 'yes');
  const probeFindings: string[] = [];
  const refusedHolds = input.probes.filter((p) => p.route === 'POST /reservations' && p.first === null && (p.retry === null || p.retry >= 300));
  if (refusedHolds.length > 0) {
    probeFindings.push(
      `- **A retried hold is refused by the client's own lost hold** (${refusedHolds.length} of the probes above): every POST /reservations mints a new reservation id, and the Idempotency-Key's record is written only when the answer is sent; when the API dies between the SeatHeld append and the answer, the retry (same key) asks for the seat under a new id and gets 409 SEAT_UNAVAILABLE. The seat stays HELD for the user, who never learns the reservation id, until the hold expires (HOLD_TTL_MS).`,
    );
  }
  const doubledConcerts = input.probes.filter((p) => p.route === 'POST /concerts' && p.effects > 1);
  if (doubledConcerts.length > 0) {
    probeFindings.push(
      `- **A retried POST /concerts registers the concert twice** (${doubledConcerts.length} of the probes above): the concert id is minted per request, so a retry after a lost answer (same Idempotency-Key) is a new concert with new schedules.`,
    );
  }

  const met = allFound(crash) && crash.ended === crash.paymentsFound && crashPhase.settled && pendingAtEnd === 0 && input.verdictText.includes('all 6 invariants hold');
  const seconds = ((Date.now() - input.started.getTime()) / 1000).toFixed(0);
  const report = [
    '# Crash benchmark: SIGKILL under load',
    '',
    `Generated by \`npm run bench:crash\` on ${input.started.toISOString()} (${seconds} s). Do not edit by hand: run it again.`,
    '',
    'Eight processes (`node dist/infra/main.js --service <role>` for the seven services and the API) share one',
    'SQLite DATA_DIR (event store and read store files, WAL, synchronous FULL). A separate load process starts',
    `${knobs.rate} journeys a second; each is a new user taking the whole path over HTTP: queue token, wait for ACTIVE,`,
    `charge ${PRICE} points (Idempotency-Key), hold a seat of its own (so every payment could complete), pay. A step that gets no`,
    'answer or a 5xx is retried with the same Idempotency-Key every 250 ms, as a client would while the API restarts.',
    'The data platform receiver is its own process (never killed), so killing `dataplatform` loses nothing it kept.',
    '',
    ...machineLines(input.machine),
    `- load average (1 min) at the end: ${loadAverage().toFixed(2)}`,
    '',
    'Settings of the system under test (everything else at its default): ' +
      `PAYMENT_DEADLINE_MS=${knobs.deadlineMs}, QUEUE_ADMIT_INTERVAL_MS=200, QUEUE_MAX_ACTIVE=10000 (the line is not what is measured), ` +
      `DELIVERY_BACKOFF_MS=200, DELIVERY_MAX_BACKOFF_MS=2000, receiver failure share ${knobs.receiverFailureRate}.`,
    '',
    `Phases, in this order in one run: **baseline**, the load for ${knobs.baselineMs / 1000} s with no kills; then **crash**, the same load while`,
    `every ${knobs.intervalMs} ms (±25%) one of the eight processes, picked by a PRNG seeded ${knobs.seed}, is SIGKILLed and started again at`,
    'once (not waiting for the previous restart: a process may be killed again while it starts). After the last kill and',
    'every restart, the load stops (journeys in flight finish), and the system must settle: every checkpoint (reactions,',
    'timers, read models of every process) at the head of $all, no payment PENDING, every completed payment delivered or',
    'dead-lettered. Ratios are crash ÷ baseline.',
    '',
    markdownTable(['figure', 'crash', 'baseline', 'ratio', 'goal', 'met?'], rows),
    '',
    `Payments of the load in the store that it never saw acknowledged (an answer lost to a kill, its retry refused): ${unacknowledgedInStore}. PENDING payments at the end: ${pendingAtEnd}. Events parked by reactions: ${tally.parked}. Events in the store: ${formatCount(tally.events)}.`,
    '',
    `The receiver kept ${formatCount(input.records)} records, one per key, from the ${formatCount(input.requests)} requests it saw for those keys (503s and repeats of a lost answer included).`,
    '',
    '## Kills per process',
    '',
    markdownTable(['process', 'kills', 'killed while starting', 'restarted and ready', 'restart → ready p50 / max', 'exits not by us', 'warnings logged (top)'], byRole),
    '',
    input.foundDown.length > 0 ? `Found not running when its turn came (its start had failed): ${input.foundDown.join(', ')}.` : 'No process was ever found down: every restart came up.',
    ...processes.unexpectedExits.slice(0, 5).map((e) => `- ${e.name} exited by itself (code ${String(e.code)}, signal ${String(e.signal)}): ${e.stderr.trim().split('\n').slice(-3).join(' / ')}`),
    '',
    '## Lost answers: a kill while the API handles a POST',
    '',
    'The load rarely has a POST in flight at the instant of a kill, so after it each probe makes that instant: a new',
    `user sends one POST with an Idempotency-Key, the API is SIGKILLed 2–30 ms later, started again, and the same POST is`,
    'retried with the same key. API.md: retries return the first answer. Sent from this process (the timing must be',
    'tight with the kill); the effect is counted in the store afterwards (SeatHeld of the user, PointsCharged with the',
    'key as charge id, PaymentRequested for the reservation, ConcertRegistered with the title).',
    '',
    input.probes.length === 0
      ? 'No probes (CRASH_PROBES=0).'
      : markdownTable(['route', 'probes', 'answer lost', 'retry answered 2xx', 'retry refused', 'effects ≠ 1', 'met?'], probeRows),
    '',
    ...(probeFindings.length > 0 ? [...probeFindings, ''] : []),
    '## What the client saw',
    '',
    `- crash: ${clientRows(crashPhase)}`,
    `- crash: ${crashPhase.summary.retries} retries; journeys given up: ${abandoned(crashPhase)}; holds refused 409 on a retry whose first try had held the seat: ${crashPhase.summary.holdRefusedAfterRetry}`,
    `- baseline: ${clientRows(baselinePhase)}`,
    `- baseline: ${baselinePhase.summary.retries} retries; journeys given up: ${abandoned(baselinePhase)}`,
    '',
    input.verdictText,
    '',
    met ? '**Crash verdict: nothing acknowledged was lost, every payment ended, the system settled, and the invariants hold.**' : '**Crash verdict: FAILED (see the rows marked NO and the invariants above).**',
    '',
    probesOk
      ? '**Lost-answer verdict: every retry of a lost answer got the first answer, and every effect is in the store once.**'
      : '**Lost-answer verdict: FAILED: a retry with the same Idempotency-Key after a lost answer was refused, or an effect is in the store twice (see the table above).**',
    '',
  ].join('\n');
  const out = fileURLToPath(new URL('../../bench/results/crash.md', import.meta.url));
  writeFileSync(out, report);
  process.stdout.write(`${report}\n`);
  log('report written to bench/results/crash.md');
}

await main();
