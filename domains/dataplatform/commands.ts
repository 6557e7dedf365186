import type { Backoff } from './backoff.js';
import type { DeliveryOutcome } from './outcome.js';
import type { CancellationPayload, DeliveryPayload, MessageKind } from './events.js';

/** How hard to try; it travels in the command so the decider stays free of configuration. */
export interface DeliveryPolicy extends Backoff {
  /** Attempts per round (a redrive starts a new round). */
  maxAttempts: number;
}

export type ScheduleDelivery = { type: 'Schedule'; data: { payload: DeliveryPayload; dueAt: string } };

/** Send the refunded payment's cancellation from `dueAt`, but never before its reservation's delivery has ended. */
export type ScheduleCancellation = { type: 'ScheduleCancellation'; data: { payload: CancellationPayload; dueAt: string } };

/**
 * The outcome of attempt number `attempt` of one message (`kind` absent: the
 * reservation); `jitter` ∈ [0, 1) spreads the retry (the randomness stays outside the decider).
 */
export type RecordAttempt = {
  type: 'RecordAttempt';
  data: { attempt: number; outcome: DeliveryOutcome; now: string; jitter: number; policy: DeliveryPolicy; kind?: 'cancellation' };
};

/**
 * Takes a dead-lettered message back for a fresh round of attempts (from the
 * CLI or the console). Without `kind`, the payment's dead letter, whichever it
 * is: at most one of the two can be redriven at any time (a dead-lettered
 * reservation cannot be once its cancellation is under way), so the operator
 * names the payment and the decider, seeing the whole stream, picks the message.
 */
export type Redrive = { type: 'Redrive'; data: { now: string; kind?: MessageKind } };

export type DeliveryCommand = ScheduleDelivery | ScheduleCancellation | RecordAttempt | Redrive;
