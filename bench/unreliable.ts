/**
 * `npm run bench:unreliable`: the data platform misbehaves. The receiver (its
 * own process, the project's mock behind a hook) answers half of all requests
 * 503 and lets some hang past DELIVERY_TIMEOUT_MS before carrying on (so the
 * effect happens but the answer is lost). N payments go through the real
 * system (every role in one process, load from another); then every delivery
 * must have succeeded or been dead-lettered, the receiver must hold exactly
 * one record per delivered payment, and the invariants must hold. The same N
 * payments against a receiver that never fails run first, in the same run,
 * as the baseline. Writes bench/results/unreliable.md.
 *
 * Knobs (environment variables, defaults in brackets):
 *   UNRELIABLE_PAYMENTS      [500]   payments per phase
 *   UNRELIABLE_RATE          [20]    journeys started per second
 *   UNRELIABLE_FAILURE_RATE  [0.5]   share of requests answered 503
 *   UNRELIABLE_HANG_RATE     [0.1]   share of requests that hang past the sender's timeout
 *   DELIVERY_BACKOFF_MS      [200]   the policy under test (shortened from 1000 so the run is short)
 *   DELIVERY_MAX_BACKOFF_MS  [3200]  (shortened from 60000)
 *   DELIVERY_MAX_ATTEMPTS    [10]    (the default)
 *   DELIVERY_TIMEOUT_MS      [1000]  (shortened from 5000); a hang lasts this + 500 ms
 *   UNRELIABLE_SETTLE_TIMEOUT_MS [180000] how long the deliveries may take before the run says they did not end
 */
import { fraction } from '../infra/config.js';
import { ROLES } from '../infra/runner.js';
import { registerSeats } from './support/catalogue-fixture.js';
import { benchSystem } from './support/bench-system.js';
import { invariantVerdict, verdictSection } from './support/invariant-verdict.js';
import { integer } from './support/knobs.js';
import { startLoad } from './support/load-process.js';
import { describeMachine } from './support/machine.js';
import { writeReport, type Phase, type UnreliableKnobs } from './support/unreliable-report.js';
import { startReceiver } from './support/receiver-process.js';
import { SagaTally } from './support/saga-tally.js';
import { describeUnsettled, waitUntilSettled } from './support/settle.js';
import { formatCount } from './support/table.js';

const env = process.env;
const knobs: UnreliableKnobs = {
  payments: integer(env, 'UNRELIABLE_PAYMENTS', 500, 1),
  rate: integer(env, 'UNRELIABLE_RATE', 20, 1),
  failureRate: fraction(env, 'UNRELIABLE_FAILURE_RATE', 0.5),
  hangRate: fraction(env, 'UNRELIABLE_HANG_RATE', 0.1),
  backoffMs: integer(env, 'DELIVERY_BACKOFF_MS', 200, 1),
  maxBackoffMs: integer(env, 'DELIVERY_MAX_BACKOFF_MS', 3_200, 1),
  maxAttempts: integer(env, 'DELIVERY_MAX_ATTEMPTS', 10, 1),
  timeoutMs: integer(env, 'DELIVERY_TIMEOUT_MS', 1_000, 1),
  settleTimeoutMs: integer(env, 'UNRELIABLE_SETTLE_TIMEOUT_MS', 180_000, 1),
};
const HANG_MS = knobs.timeoutMs + 500;
const PRICE = 100;
const ADMIN_TOKEN = 'unreliable-bench-admin';
const TIMER_POLL_MS = 50;

const log = (line: string) => process.stderr.write(`[unreliable] ${line}\n`);

async function main(): Promise<void> {
  const machine = describeMachine();
  const started = new Date();
  const receiver = await startReceiver({ failureRate: 0, hangRate: 0, hangMs: HANG_MS });
  const system = await benchSystem('unreliable', {
    ADMIN_TOKEN,
    QUEUE_ADMIT_INTERVAL_MS: '200',
    QUEUE_MAX_ACTIVE: '10000',
    TIMER_POLL_MS: String(TIMER_POLL_MS),
    DATA_PLATFORM_URL: receiver.url,
    DELIVERY_BACKOFF_MS: String(knobs.backoffMs),
    DELIVERY_MAX_BACKOFF_MS: String(knobs.maxBackoffMs),
    DELIVERY_MAX_ATTEMPTS: String(knobs.maxAttempts),
    DELIVERY_TIMEOUT_MS: String(knobs.timeoutMs),
    LOG_LEVEL: 'warn',
  });
  const { dir, base, processes, config, stores } = system;
  const tally = new SagaTally();
  const phases: Phase[] = [];

  try {
    log(`starting every role in one process on ${dir}`);
    await processes.start('system', ROLES);
    const seats = await registerSeats(base, ADMIN_TOKEN, knobs.payments * 3 + 10, PRICE);
    let nextJourney = 0;

    const runPhase = async (name: string) => {
      const load = startLoad({
        base,
        ratePerSecond: knobs.rate,
        maxJourneys: knobs.payments,
        durationMs: (knobs.payments / knobs.rate) * 1000 + 1_000,
        firstJourney: nextJourney,
        scheduleIds: seats.scheduleIds,
        seatCount: seats.seatCount,
        price: PRICE,
        userPrefix: `unreliable-${name.replace(/[^A-Za-z0-9]+/g, '-')}`,
        maxInFlight: 200,
        stepAttempts: 10,
        retryDelayMs: 250,
        admissionWaitMs: 30_000,
        drainMs: 30_000,
      });
      nextJourney += knobs.payments;
      const summary = await load.finished;
      const waitFrom = Date.now();
      const settle = await waitUntilSettled(stores, config, tally, { timeoutMs: knobs.settleTimeoutMs, pollMs: 100 });
      const settleMs = waitFrom + settle.ms - summary.endedAt;
      phases.push({ name, summary, acks: load.acks, settled: settle.state.settled, unsettled: describeUnsettled(settle.state), settleMs });
      log(`${name}: ${summary.journeysPaid} payments; settled ${settle.state.settled} ${(settleMs / 1000).toFixed(1)} s after the load (${describeUnsettled(settle.state)})`);
    };

    const arrivalsSoFar = async () => (await receiver.arrivals()).length;
    log(`baseline: ${knobs.payments} payments, a receiver that never fails`);
    await runPhase('baseline');
    const afterBaseline = await arrivalsSoFar();

    // The control: failures without hangs, so that what the hangs do to the timing stands out.
    log(`503s only: ${knobs.payments} payments, ${knobs.failureRate * 100}% 503, no hangs`);
    await receiver.setMode({ failureRate: knobs.failureRate, hangRate: 0 });
    await runPhase('503s only');
    const afterControl = await arrivalsSoFar();

    log(`unreliable: ${knobs.payments} payments, ${knobs.failureRate * 100}% 503, ${knobs.hangRate * 100}% hang ${HANG_MS} ms`);
    await receiver.setMode({ failureRate: knobs.failureRate, hangRate: knobs.hangRate });
    await runPhase('unreliable');

    await processes.stopAll();
    await tally.catchUp(stores.events);
    const records = await receiver.records();
    const everyArrival = await receiver.arrivals();
    const arrivals = { control: everyArrival.slice(afterBaseline, afterControl), unreliable: everyArrival.slice(afterControl) };
    const verdict = await invariantVerdict(stores, config, records);
    log(verdict.ok ? 'invariants hold' : 'INVARIANTS FAIL');
    writeReport({
      knobs,
      hangMs: HANG_MS,
      timerPollMs: TIMER_POLL_MS,
      started,
      machine,
      phases,
      tally,
      records,
      arrivals,
      processes,
      verdictText: verdictSection(verdict, `the receiver's ${formatCount(records.length)} records (one per Idempotency-Key) for invariant 5`),
      verdictOk: verdict.ok,
    });
  } finally {
    await system.close();
    await receiver.stop();
  }
}

await main();
