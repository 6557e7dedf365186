import { formatLatency, type Quantiles } from './latency.js';
import { formatCount, formatRatio, markdownTable } from './table.js';

/** What one phase of bench:saga measured, for the system or the bare baseline. */
export interface PhaseFigures {
  label: string;
  offered: number | null;
  sent: number;
  accepted: number;
  completed: number;
  failed: Record<string, number>;
  /** Completed payments per second, from the phase's start to its last completion. */
  throughput: number;
  /** Scheduled start → PaymentCompleted appended (open loop); sent → completion (closed loop). */
  endToEnd: Quantiles;
  /** PaymentRequested appended → PaymentCompleted appended, both from the store. */
  saga: Quantiles;
  post: Quantiles;
  postStatuses: Record<string, number>;
  sendLagP99: number;
  drained: boolean;
}

/** The pipeline issue's goals for bench:saga. */
/** The closed loop's rate, as a share of the bare route's in the same run. */
const GOAL_CLOSED_RATIO = 0.1;
const GOAL_CLOSED_P99_MS = 100;
/** The closed-loop goals are set for this many fans; another count is reported but not judged. */
const GOAL_CLOSED_FANS = 64;
const GOAL_P99_RATE = 500;
const GOAL_SUSTAINED_OFFERED = 2_000;
const GOAL_SUSTAINED = 1_500;
export const GOAL_P99_MS = 50;

const rate = (value: number) => `${formatCount(value)}/s`;

/** The goals next to what the system and the bare route did in the same run. */
export function goalTable(system: PhaseFigures[], bare: PhaseFigures[] | undefined, closedConcurrency: number): string {
  const closed = system.at(-1)!;
  const bareClosed = bare?.at(-1);
  const closedRatio = bareClosed ? closed.throughput / bareClosed.throughput : undefined;
  const judged = closedConcurrency === GOAL_CLOSED_FANS;
  const at = (figures: PhaseFigures[] | undefined, offered: number) => figures?.find((f) => f.offered === offered);
  const atGoalRate = at(system, GOAL_P99_RATE);
  const bareAtGoalRate = at(bare, GOAL_P99_RATE);
  const sustained = at(system, GOAL_SUSTAINED_OFFERED);
  const bareSustained = at(bare, GOAL_SUSTAINED_OFFERED);
  const notRun = (figure: string, goal: string) => [figure, 'not run (SAGA_RATES)', '—', '—', goal, '—'];
  const rows = [
    [
      `completed payments/s, closed loop of ${closedConcurrency} fans`,
      rate(closed.throughput),
      bareClosed ? rate(bareClosed.throughput) : '—',
      closedRatio === undefined ? '—' : formatRatio(closedRatio),
      `≥ ${GOAL_CLOSED_RATIO}× the bare route`,
      closedRatio === undefined || !judged ? '—' : closedRatio >= GOAL_CLOSED_RATIO ? 'yes' : 'NO',
    ],
    [
      'request → COMPLETED p99, closed loop',
      formatLatency(closed.endToEnd.p99),
      bareClosed ? formatLatency(bareClosed.endToEnd.p99) : '—',
      bareClosed ? formatRatio(closed.endToEnd.p99 / bareClosed.endToEnd.p99) : '—',
      `≤ ${GOAL_CLOSED_P99_MS} ms`,
      !judged ? '—' : closed.endToEnd.p99 <= GOAL_CLOSED_P99_MS ? 'yes' : 'NO',
    ],
    atGoalRate
      ? [
          `request → COMPLETED p99 at ${GOAL_P99_RATE}/s`,
          formatLatency(atGoalRate.endToEnd.p99),
          bareAtGoalRate ? formatLatency(bareAtGoalRate.endToEnd.p99) : '—',
          bareAtGoalRate ? formatRatio(atGoalRate.endToEnd.p99 / bareAtGoalRate.endToEnd.p99) : '—',
          `≤ ${GOAL_P99_MS} ms`,
          atGoalRate.endToEnd.p99 <= GOAL_P99_MS && atGoalRate.completed === atGoalRate.sent ? 'yes' : 'NO',
        ]
      : notRun(`request → COMPLETED p99 at ${GOAL_P99_RATE}/s`, `≤ ${GOAL_P99_MS} ms`),
    sustained
      ? [
          `completed payments/s at ${formatCount(GOAL_SUSTAINED_OFFERED)}/s offered`,
          rate(sustained.throughput),
          bareSustained ? rate(bareSustained.throughput) : '—',
          bareSustained ? formatRatio(sustained.throughput / bareSustained.throughput) : '—',
          `≥ ${formatCount(GOAL_SUSTAINED)}/s`,
          sustained.throughput >= GOAL_SUSTAINED ? 'yes' : 'NO',
        ]
      : notRun(`completed payments/s at ${formatCount(GOAL_SUSTAINED_OFFERED)}/s offered`, `≥ ${formatCount(GOAL_SUSTAINED)}/s`),
  ];
  return markdownTable(['figure', 'system', 'bare Fastify', 'ratio (system ÷ bare)', 'goal', 'met?'], rows);
}
