import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { backoffMs } from '../../domains/dataplatform/backoff.js';
import type { Arrival } from '../faults/receiver.js';
import type { LoadAck, LoadSummary } from '../faults/payment-load.js';
import { acknowledged } from './load-process.js';
import { loadAverage, machineLines, type describeMachine } from './machine.js';
import { distribution, median, type Distribution } from './percentiles.js';
import type { RoleProcesses } from './role-processes.js';
import type { DeliveryFacts, SagaTally } from './saga-tally.js';
import { formatCount, formatRatio, markdownTable } from './table.js';

/** What bench:unreliable measured of its three phases' deliveries, and the report it writes from them (bench/results/unreliable.md). */

/** The run's knobs (bench/unreliable.ts documents them), as the report states them. */
export interface UnreliableKnobs {
  payments: number;
  rate: number;
  failureRate: number;
  hangRate: number;
  backoffMs: number;
  maxBackoffMs: number;
  maxAttempts: number;
  timeoutMs: number;
  settleTimeoutMs: number;
}

export interface Phase {
  name: string;
  summary: LoadSummary;
  acks: LoadAck[];
  settled: boolean;
  unsettled: string;
  /** ms from the load's end to every delivery ended. */
  settleMs: number;
}

export interface ReportInput {
  knobs: UnreliableKnobs;
  /** How long a hung request hangs, and how often the timers look: set by the run from its knobs. */
  hangMs: number;
  timerPollMs: number;
  started: Date;
  machine: ReturnType<typeof describeMachine>;
  phases: Phase[];
  tally: SagaTally;
  records: Array<{ paymentId: string; idempotencyKey: string; attempts: number }>;
  /** Every request of the two failing phases, as the receiver saw it. */
  arrivals: { control: Arrival[]; unreliable: Arrival[] };
  processes: RoleProcesses;
  verdictText: string;
  verdictOk: boolean;
}

/** The deliveries of the payments a phase acknowledged. */
function deliveriesOf(phase: Phase, tally: SagaTally): Array<[string, DeliveryFacts]> {
  return acknowledged(phase.acks, 'payment').flatMap((id) => {
    const delivery = tally.deliveries.get(id);
    return delivery ? [[id, delivery] as [string, DeliveryFacts]] : [];
  });
}

function phaseFigures(phase: Phase, tally: SagaTally) {
  const deliveries = deliveriesOf(phase, tally);
  const payments = acknowledged(phase.acks, 'payment').map((id) => tally.payments.get(id));
  const completed = payments.filter((p) => p?.status === 'COMPLETED');
  const ends = deliveries.flatMap(([, d]) => (d.endedAt === undefined ? [] : [d.endedAt]));
  const lastCompleted = Math.max(...completed.map((p) => p!.endedAt ?? 0));
  const firstRequested = Math.min(...payments.map((p) => p?.requestedAt ?? Infinity));
  const lastEnd = ends.length > 0 ? Math.max(...ends) : NaN;
  return {
    payments: payments.length,
    completed: completed.length,
    deliveries: deliveries.length,
    succeeded: deliveries.filter(([, d]) => d.status === 'SUCCEEDED').length,
    deadLettered: deliveries.filter(([, d]) => d.status === 'DEAD_LETTERED').length,
    pending: deliveries.filter(([, d]) => d.status === 'PENDING').length,
    perDelivery: ends.length > 0 ? distribution(deliveries.flatMap(([, d]) => (d.endedAt === undefined ? [] : [d.endedAt - d.scheduledAt]))) : undefined,
    /** From the last payment completing to the last delivery ending: the tail the failures add. */
    tailMs: lastEnd - lastCompleted,
    /** From the first payment requested to the last delivery ending. */
    spanMs: lastEnd - firstRequested,
    attempts: deliveries.map(([, d]) => d.attempts),
  };
}

/** Probability that a delivery ends at attempt k when each attempt fails with probability p, at most `max` attempts. */
function expectedShare(k: number, p: number, max: number): number {
  return k < max ? p ** (k - 1) * (1 - p) : p ** (max - 1);
}

const ms = (value: number) => `${Math.round(value)} ms`;
const spread = (d: Distribution | undefined) => (d ? `${ms(d.p50)} / ${ms(d.p95)} / ${ms(d.max)}` : '—');

/** Attempts per delivery, against the distribution that an attempt failing with probability p predicts. */
function histogramRows(attempts: readonly number[], p: number, knobs: UnreliableKnobs): string[][] {
  return Array.from({ length: knobs.maxAttempts }, (_, i) => i + 1).map((k) => {
    const n = attempts.filter((a) => a === k).length;
    return [String(k), formatCount(n), `${((n / Math.max(1, attempts.length)) * 100).toFixed(1)}%`, `${(expectedShare(k, p, knobs.maxAttempts) * 100).toFixed(1)}%`];
  });
}

interface BackoffSamples {
  /** retryAt − the attempt's start (its arrival at the receiver). */
  fromStart: number[];
  /** retryAt − the DeliveryAttemptFailed record time. */
  decided: number[];
  /** The next request's arrival − the failure's record time: what the receiver really waited. */
  actual: number[];
  /** retryAt − attempt start outside the policy's window. */
  outside: number;
}

/**
 * Per failed attempt n and kind of failure: what the policy allows, what the decider set and when the next
 * request really came. The receiver's arrivals for a key are its attempts in order (every attempt reaches it).
 */
function backoffOf(deliveries: Array<[string, DeliveryFacts]>, arrivals: readonly Arrival[], knobs: UnreliableKnobs) {
  const arrivalsByKey = new Map<string, number[]>();
  for (const arrival of arrivals) arrivalsByKey.set(arrival.key, [...(arrivalsByKey.get(arrival.key) ?? []), arrival.at]);
  for (const times of arrivalsByKey.values()) times.sort((a, b) => a - b);
  const rows: string[][] = [];
  const perKind = new Map<string, BackoffSamples>();
  for (let n = 1; n < knobs.maxAttempts; n++) {
    const cap = backoffMs(n, { baseMs: knobs.backoffMs, maxMs: knobs.maxBackoffMs }, 1);
    const floor = backoffMs(n, { baseMs: knobs.backoffMs, maxMs: knobs.maxBackoffMs }, 0);
    for (const kind of ['503', 'timeout'] as const) {
      const samples: BackoffSamples = { fromStart: [], decided: [], actual: [], outside: 0 };
      for (const [paymentId, delivery] of deliveries) {
        const times = arrivalsByKey.get(paymentId) ?? [];
        for (const failure of delivery.failures) {
          if (failure.attempt !== n || (failure.status === null) !== (kind === 'timeout')) continue;
          samples.decided.push(failure.retryAt - failure.recordedAt);
          const startedAt = times[n - 1];
          const next = times[n];
          if (startedAt !== undefined) {
            samples.fromStart.push(failure.retryAt - startedAt);
            // The fire time is taken a few ms before the request leaves: allow for that below the window.
            if (failure.retryAt - startedAt < floor - 50 || failure.retryAt - startedAt > cap) samples.outside++;
          }
          if (next !== undefined) samples.actual.push(next - failure.recordedAt);
        }
      }
      if (samples.decided.length === 0) continue;
      const all = perKind.get(kind) ?? { fromStart: [], decided: [], actual: [], outside: 0 };
      all.fromStart.push(...samples.fromStart);
      all.decided.push(...samples.decided);
      all.actual.push(...samples.actual);
      all.outside += samples.outside;
      perKind.set(kind, all);
      const show = (values: number[]) => (values.length > 0 ? spread(distribution(values)) : '—');
      rows.push([String(n), kind, String(samples.decided.length), `${floor}–${cap} ms`, show(samples.fromStart), show(samples.decided), show(samples.actual)]);
    }
  }
  return { rows, perKind };
}

const BACKOFF_HEADER = ['n', 'failure', 'count', 'policy window', 'retryAt − attempt start', 'retryAt − failure recorded', 'next request − failure recorded'];

export function writeReport(input: ReportInput): void {
  const { tally, records, arrivals, knobs } = input;
  const [basePhase, controlPhase, badPhase] = input.phases as [Phase, Phase, Phase];
  const base = phaseFigures(basePhase, tally);
  const control = phaseFigures(controlPhase, tally);
  const bad = phaseFigures(badPhase, tally);
  const badDeliveries = deliveriesOf(badPhase, tally);
  const pFail = knobs.hangRate + (1 - knobs.hangRate) * knobs.failureRate;
  const histogram = histogramRows(bad.attempts, pFail, knobs);
  const controlHistogram = histogramRows(control.attempts, knobs.failureRate, knobs);
  const backoff = backoffOf(badDeliveries, arrivals.unreliable, knobs);
  const controlBackoff = backoffOf(deliveriesOf(controlPhase, tally), arrivals.control, knobs);
  const perKind = backoff.perKind;

  // One effect per key: records for delivered payments, and for nothing else.
  const recordsByPayment = new Map<string, number>();
  for (const r of records) recordsByPayment.set(r.paymentId, (recordsByPayment.get(r.paymentId) ?? 0) + 1);
  const onePerKey = (deliveries: Array<[string, DeliveryFacts]>) => {
    const succeeded = deliveries.filter(([, d]) => d.status === 'SUCCEEDED');
    return { succeeded: succeeded.length, withOne: succeeded.filter(([id]) => recordsByPayment.get(id) === 1).length };
  };
  const badKeys = onePerKey(badDeliveries);
  const controlKeys = onePerKey(deliveriesOf(controlPhase, tally));
  const baseKeys = onePerKey(deliveriesOf(basePhase, tally));
  const deadLettered = [...tally.deliveries].filter(([, d]) => d.status === 'DEAD_LETTERED');
  const deadWithRecord = deadLettered.filter(([id]) => (recordsByPayment.get(id) ?? 0) > 0).length;
  const strayRecords = [...recordsByPayment.keys()].filter((id) => tally.payments.get(id)?.status !== 'COMPLETED').length;
  const attemptsRecorded = badDeliveries.reduce((n, [, d]) => n + d.attempts, 0);
  const hung = arrivals.unreliable.filter((a) => a.hung).length;

  const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? formatRatio(a / b) : '—');
  const secs = (value: number) => (Number.isFinite(value) ? `${(value / 1000).toFixed(1)} s` : '—');
  const allEnded = bad.pending === 0 && control.pending === 0 && input.phases.every((p) => p.settled);
  const oneEffect = badKeys.withOne === badKeys.succeeded && controlKeys.withOne === controlKeys.succeeded && baseKeys.withOne === baseKeys.succeeded && strayRecords === 0;
  const mean = (values: readonly number[]) => (values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)).toFixed(2);
  const predictedMean = (p: number) => ((1 - p ** knobs.maxAttempts) / (1 - p)).toFixed(2);
  const rows = [
    ['payments acknowledged (202)', formatCount(bad.payments), formatCount(control.payments), formatCount(base.payments), '—', '—', '—'],
    ['payments COMPLETED (deliveries scheduled)', formatCount(bad.completed), formatCount(control.completed), formatCount(base.completed), '—', '—', '—'],
    ['deliveries ended: SUCCEEDED + DEAD_LETTERED', `${formatCount(bad.succeeded)} + ${bad.deadLettered} of ${formatCount(bad.deliveries)}`, `${formatCount(control.succeeded)} + ${control.deadLettered} of ${formatCount(control.deliveries)}`, `${formatCount(base.succeeded)} + ${base.deadLettered} of ${formatCount(base.deliveries)}`, '—', 'all ended', allEnded ? 'yes' : 'NO'],
    ['mean attempts per delivery (predicted)', `${mean(bad.attempts)} (${predictedMean(pFail)})`, `${mean(control.attempts)} (${predictedMean(knobs.failureRate)})`, mean(base.attempts), '—', '—', '—'],
    ['dead letters (predicted)', `${bad.deadLettered} (${(bad.deliveries * pFail ** knobs.maxAttempts).toFixed(1)})`, `${control.deadLettered} (${(control.deliveries * knobs.failureRate ** knobs.maxAttempts).toFixed(1)})`, String(base.deadLettered), '—', '—', '—'],
    ['delivery time p50 / p95 / max (scheduled → ended)', spread(bad.perDelivery), spread(control.perDelivery), spread(base.perDelivery), bad.perDelivery && base.perDelivery ? ratio(bad.perDelivery.p95, base.perDelivery.p95) : '—', '—', '—'],
    ['time to full delivery after the last payment completed', secs(bad.tailMs), secs(control.tailMs), secs(base.tailMs), ratio(bad.tailMs, base.tailMs), '—', '—'],
    ['time to full delivery from the first payment', secs(bad.spanMs), secs(control.spanMs), secs(base.spanMs), ratio(bad.spanMs, base.spanMs), '—', '—'],
    ['delivered payments with exactly one receiver record', `${formatCount(badKeys.withOne)} of ${formatCount(badKeys.succeeded)}`, `${formatCount(controlKeys.withOne)} of ${formatCount(controlKeys.succeeded)}`, `${formatCount(baseKeys.withOne)} of ${formatCount(baseKeys.succeeded)}`, '—', 'all', oneEffect ? 'yes' : 'NO'],
    ['receiver records for payments not COMPLETED (whole run)', String(strayRecords), '', '', '—', '0', strayRecords === 0 ? 'yes' : 'NO'],
    ['requests the receiver saw vs attempts the events record', `${formatCount(arrivals.unreliable.length)} vs ${formatCount(attemptsRecorded)}`, `${formatCount(arrivals.control.length)} vs ${formatCount(deliveriesOf(controlPhase, tally).reduce((n, [, d]) => n + d.attempts, 0))}`, '—', '—', 'equal', arrivals.unreliable.length === attemptsRecorded ? 'yes' : 'NO'],
  ];

  const kindLines = (found: Map<string, BackoffSamples>) =>
    [...found].map(
      ([kind, d]) =>
        `- after a ${kind}: retryAt − the attempt's start ${spread(distribution(d.fromStart))} (outside the policy's window: ${d.outside}); retryAt − the failure's record time ${spread(distribution(d.decided))}; next request − the failure's record time ${d.actual.length > 0 ? spread(distribution(d.actual)) : '—'}.`,
    );
  const deadLines = deadLettered.slice(0, 5).map(([id, d]) => `- ${id}: ${d.attempts} attempts, last: ${d.failures.at(-1)?.error ?? '?'}${(recordsByPayment.get(id) ?? 0) > 0 ? ' (the receiver has its record: a hung attempt went through)' : ''}`);

  // What the timing shows, said only when the figures show it.
  const findings: string[] = [];
  const afterTimeout = perKind.get('timeout');
  if (afterTimeout && afterTimeout.decided.length > 0 && median(afterTimeout.decided) < 0) {
    findings.push(
      `- **No backoff after a timeout.** The wait is counted from when the attempt started (the scheduler's \`now\`, taken before the send), not from when it failed. With DELIVERY_TIMEOUT_MS (${knobs.timeoutMs} ms) longer than the wait, retryAt is already past when the failure is recorded (median ${ms(median(afterTimeout.decided))}) and the next request leaves at once (median ${afterTimeout.actual.length > 0 ? ms(median(afterTimeout.actual)) : '—'} after the failure). With the defaults (timeout 5000 ms, base 1000 ms) the first three retries after a timeout would go out back to back, at a receiver that is already too slow.`,
    );
  }
  const after503 = perKind.get('503');
  const control503 = controlBackoff.perKind.get('503');
  if (after503 && control503 && after503.actual.length > 0 && control503.actual.length > 0) {
    const lateBy = median(after503.actual) - median(after503.decided);
    const controlLateBy = median(control503.actual) - median(control503.decided);
    if (lateBy > 300 && controlLateBy < 150) {
      findings.push(
        `- **One hung request holds up every delivery due meanwhile.** After a 503 the next request came ${ms(lateBy)} later than its retryAt (median) while other requests hung, against ${ms(controlLateBy)} in the 503s-only control: the scheduler fires a batch of due timers together and starts no new batch until the slowest send of the last one has returned, so a send waiting out its timeout delays all others.`,
      );
    }
  }

  const seconds = ((Date.now() - input.started.getTime()) / 1000).toFixed(0);
  const warnings = [...(input.processes.warnings.get('system') ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
  const report = [
    '# Unreliable data platform benchmark',
    '',
    `Generated by \`npm run bench:unreliable\` on ${input.started.toISOString()} (${seconds} s). Do not edit by hand: run it again.`,
    '',
    'The real system (every role in one process, `node dist/infra/main.js --service …` for all eight, SQLite in a',
    `temp DATA_DIR) delivers every completed payment to a receiver in its own process: the project's mock data platform`,
    '(one record per Idempotency-Key) behind a hook. A separate load process runs the journeys over HTTP (token, charge,',
    `hold, pay: ${knobs.payments} payments per phase at ${knobs.rate} journeys/s, each on its own seat).`,
    '',
    ...machineLines(input.machine),
    `- load average (1 min) at the end: ${loadAverage().toFixed(2)}`,
    '',
    `Delivery policy under test: DELIVERY_BACKOFF_MS=${knobs.backoffMs}, DELIVERY_MAX_BACKOFF_MS=${knobs.maxBackoffMs}, DELIVERY_MAX_ATTEMPTS=${knobs.maxAttempts},`,
    `DELIVERY_TIMEOUT_MS=${knobs.timeoutMs} (defaults 1000 / 60000 / 10 / 5000: shortened so the run is short); TIMER_POLL_MS=${input.timerPollMs}. The wait after`,
    'failed attempt n is min(max, base·2^(n−1)) with equal jitter: in [cap/2, cap].',
    '',
    'Three phases in one run, each ending when every delivery has ended:',
    '',
    '- **baseline**: a receiver that never fails;',
    `- **503s only**: ${knobs.failureRate * 100}% of requests answered 503, nothing hangs (the control for the timing);`,
    `- **unreliable**: ${knobs.failureRate * 100}% answered 503 and ${knobs.hangRate * 100}% hung for ${input.hangMs} ms (past the sender's timeout) before being processed`,
    `  as usual, so a hung request may record its effect while the sender sees a timeout. An attempt fails from the sender's side with p = ${pFail.toFixed(2)}.`,
    '',
    'Ratios are unreliable ÷ baseline.',
    '',
    markdownTable(['figure', 'unreliable', '503s only', 'baseline', 'ratio', 'goal', 'met?'], rows),
    '',
    `The receiver saw ${formatCount(arrivals.unreliable.length)} requests in the unreliable phase, ${hung} of them hung. Dead-lettered deliveries whose effect nevertheless reached the receiver (a hung attempt that went through): ${deadWithRecord}.`,
    '',
    ...(findings.length > 0 ? ['## What the timing shows', '', ...findings, ''] : []),
    '## Attempts per delivery',
    '',
    'Unreliable phase:',
    '',
    markdownTable(['attempts', 'deliveries', 'share', `predicted (p = ${pFail.toFixed(2)})`], histogram),
    '',
    '503s-only phase:',
    '',
    markdownTable(['attempts', 'deliveries', 'share', `predicted (p = ${knobs.failureRate.toFixed(2)})`], controlHistogram),
    '',
    '## Backoff observed',
    '',
    'Per failed attempt n and failure kind: the policy window; retryAt − the attempt\'s start (its arrival at the',
    'receiver); retryAt − the DeliveryAttemptFailed record time; and the next request\'s arrival − that record time',
    '(what the receiver really waited). p50 / p95 / max.',
    '',
    'Unreliable phase:',
    '',
    markdownTable(BACKOFF_HEADER, backoff.rows),
    '',
    ...kindLines(perKind),
    '',
    '503s-only phase (the control):',
    '',
    markdownTable(BACKOFF_HEADER, controlBackoff.rows),
    '',
    ...kindLines(controlBackoff.perKind),
    '',
    ...(deadLines.length > 0 ? ['Dead letters (first five):', '', ...deadLines, ''] : []),
    warnings.length > 0 ? `Warnings the system logged: ${warnings.slice(0, 4).map(([m, c]) => `"${m}" ×${c}`).join(', ')}.` : 'The system logged no warnings.',
    '',
    input.verdictText,
    '',
    allEnded && oneEffect && input.verdictOk
      ? '**Unreliable verdict: every delivery ended, one effect per key at the receiver, and the invariants hold.**'
      : '**Unreliable verdict: FAILED (see the rows marked NO and the invariants above).**',
    '',
  ].join('\n');
  const out = fileURLToPath(new URL('../../../bench/results/unreliable.md', import.meta.url));
  writeFileSync(out, report);
  process.stdout.write(`${report}\n`);
  process.stderr.write('[unreliable] report written to bench/results/unreliable.md\n');
}

