import type { PaymentRef } from '../payment/events.js';
import type { DomainEvent } from '../../bus/decider.js';

/** The delivery of one paid reservation to the data platform (stream `delivery-{paymentId}`). */

/** What the data platform receives, exactly as sent. */
export type DeliveryPayload = PaymentRef & { paidAt: string };

export type DeliveryScheduled = DomainEvent<'DeliveryScheduled', { paymentId: string; payload: DeliveryPayload; dueAt: string }>;

/**
 * `payload` goes beyond the shared convention on purpose: a timer is set from
 * one event alone, and the retry it sets must carry what it will send.
 */
export type DeliveryAttemptFailed = DomainEvent<
  'DeliveryAttemptFailed',
  { paymentId: string; attempt: number; status: number | null; error: string; retryAt: string; payload: DeliveryPayload }
>;

export type DeliverySucceeded = DomainEvent<
  'DeliverySucceeded',
  { paymentId: string; attempt: number; status: number; deliveredAt: string }
>;

export type DeliveryDeadLettered = DomainEvent<
  'DeliveryDeadLettered',
  { paymentId: string; attempts: number; status: number | null; error: string; deadLetteredAt: string }
>;

/** Back from the dead-letter list for a fresh round of attempts; `payload` for the same reason as above. */
export type DeliveryRedriven = DomainEvent<
  'DeliveryRedriven',
  { paymentId: string; redrivenAt: string; dueAt: string; payload: DeliveryPayload }
>;

export type DeliveryEvent =
  | DeliveryScheduled
  | DeliveryAttemptFailed
  | DeliverySucceeded
  | DeliveryDeadLettered
  | DeliveryRedriven;

export const dataplatformEventTypes = [
  'DeliveryScheduled',
  'DeliveryAttemptFailed',
  'DeliverySucceeded',
  'DeliveryDeadLettered',
  'DeliveryRedriven',
] as const satisfies readonly DeliveryEvent['type'][];
