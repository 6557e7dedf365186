import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROLES, type Role } from '../../infra/runner.js';
import type { LoadAck, LoadSummary } from '../faults/payment-load.js';
import { acknowledged } from './load-process.js';
import { PROBED_ROUTES, type ProbeResult } from './lost-answer-probe.js';
import { loadAverage, machineLines, type describeMachine } from './machine.js';
import { distribution } from './percentiles.js';
import type { RoleProcesses } from './role-processes.js';
import type { SagaTally } from './saga-tally.js';
import { formatCount, formatRatio, markdownTable } from './table.js';

/** What bench:crash measured of its phases and kills, and the report it writes from them (bench/results/crash.md). */

/** The run's knobs (bench/crash.ts documents them), as the report states them. */
export interface CrashKnobs {
  kills: number;
  intervalMs: number;
  rate: number;
  baselineMs: number;
  seed: number;
  deadlineMs: number;
  receiverFailureRate: number;
  settleTimeoutMs: number;
  probes: number;
  /** One seat's price, which each journey charges and pays. */
  price: number;
}

export interface Kill {
  role: Role;
  /** The process had not said it was ready: killed during its start (catch-up). */
  whileStarting: boolean;
  /** ms from the restart to ready, once known. */
  readyMs: number | undefined;
  restartFailed: boolean;
}

export interface Phase {
  name: string;
  summary: LoadSummary;
  acks: LoadAck[];
  /** From the first journey's start to the last one's (ms). */
  loadMs: number;
  settleMs: number;
  settled: boolean;
  unsettled: string;
}

export interface ReportInput {
  knobs: CrashKnobs;
  probes: ProbeResult[];
  started: Date;
  machine: ReturnType<typeof describeMachine>;
  phases: Phase[];
  kills: Kill[];
  foundDown: Role[];
  tally: SagaTally;
  processes: RoleProcesses;
  verdictText: string;
  /** Every invariant held: the verdict's own answer, not a count of them read from its text. */
  invariantsHold: boolean;
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

export function writeReport(input: ReportInput): void {
  const { phases, kills, tally, processes, knobs } = input;
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

  const met = allFound(crash) && crash.ended === crash.paymentsFound && crashPhase.settled && pendingAtEnd === 0 && input.invariantsHold;
  const seconds = ((Date.now() - input.started.getTime()) / 1000).toFixed(0);
  const report = [
    '# Crash benchmark: SIGKILL under load',
    '',
    `Generated by \`npm run bench:crash\` on ${input.started.toISOString()} (${seconds} s). Do not edit by hand: run it again.`,
    '',
    'Eight processes (`node dist/infra/main.js --service <role>` for the seven services and the API) share one',
    'SQLite DATA_DIR (event store and read store files, WAL, synchronous FULL). A separate load process starts',
    `${knobs.rate} journeys a second; each is a new user taking the whole path over HTTP: queue token, wait for ACTIVE,`,
    `charge ${knobs.price} points (Idempotency-Key), hold a seat of its own (so every payment could complete), pay. A step that gets no`,
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
  const out = fileURLToPath(new URL('../../../bench/results/crash.md', import.meta.url));
  writeFileSync(out, report);
  process.stdout.write(`${report}\n`);
  process.stderr.write('[crash] report written to bench/results/crash.md\n');
}

