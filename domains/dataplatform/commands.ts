import type { Backoff } from './backoff.js';
import type { DeliveryOutcome } from './outcome.js';
import type { DeliveryPayload } from './events.js';

/** How hard to try; it travels in the command so the decider stays free of configuration. */
export interface DeliveryPolicy extends Backoff {
  /** Attempts per round (a redrive starts a new round). */
  maxAttempts: number;
}

export type ScheduleDelivery = { type: 'Schedule'; data: { payload: DeliveryPayload; dueAt: string } };

/** The outcome of attempt number `attempt`; `jitter` ∈ [0, 1) spreads the retry (the randomness stays outside the decider). */
export type RecordAttempt = {
  type: 'RecordAttempt';
  data: { attempt: number; outcome: DeliveryOutcome; now: string; jitter: number; policy: DeliveryPolicy };
};

/** Takes a dead-lettered delivery back for a fresh round of attempts (from the CLI). */
export type Redrive = { type: 'Redrive'; data: { now: string } };

export type DeliveryCommand = ScheduleDelivery | RecordAttempt | Redrive;
