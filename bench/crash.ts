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
import { setTimeout as sleep } from 'node:timers/promises';
import { ROLES, type Role } from '../infra/runner.js';
import type { LoadPlan } from './faults/payment-load.js';
import { registerSeats, type SeatPlan } from './support/catalogue-fixture.js';
import { benchSystem } from './support/bench-system.js';
import { invariantVerdict, verdictSection } from './support/invariant-verdict.js';
import { integer } from './support/knobs.js';
import { startLoad } from './support/load-process.js';
import { PROBED_ROUTES, probeLostAnswer, type ProbeResult } from './support/lost-answer-probe.js';
import { describeMachine } from './support/machine.js';
import { startReceiver } from './support/receiver-process.js';
import { SagaTally } from './support/saga-tally.js';
import { describeUnsettled, waitUntilSettled } from './support/settle.js';
import { formatCount } from './support/table.js';
import { writeReport, type CrashKnobs, type Kill, type Phase } from './support/crash-report.js';

const env = process.env;
const failureShare = (() => {
  const raw = env.CRASH_RECEIVER_FAILURE_RATE;
  const value = raw === undefined || raw === '' ? 0.1 : Number(raw);
  if (!(value >= 0 && value <= 1)) throw new RangeError('CRASH_RECEIVER_FAILURE_RATE must be within [0, 1]');
  return value;
})();
const PRICE = 100;
const knobs: CrashKnobs = {
  price: PRICE,
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
  let invariantsHold = false;
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
    invariantsHold = verdict.ok;
    verdictText = verdictSection(verdict, `the receiver's ${formatCount(records.length)} records (its own process, never killed) for invariant 5`);
    log(verdict.ok ? 'invariants hold' : 'INVARIANTS FAIL');

    writeReport({ knobs, started, machine, phases, kills, foundDown, tally, processes, verdictText, invariantsHold, probes, records: records.length, requests: records.reduce((n, r) => n + r.attempts, 0) });
  } finally {
    await system.close();
    await receiver.stop();
  }
}

await main();
