import type { PaymentRef, RefundReason } from '../payment/events.js';
import type { DomainEvent } from '../../bus/decider.js';

/**
 * What one payment sends the data platform, in its stream `delivery-{paymentId}`:
 * the paid reservation, and once the payment is refunded, its cancellation.
 * Both go through the same attempts, backoff and dead letter; the events of
 * the attempts say which message they are about with `kind`.
 */

/** What the data platform receives for a paid reservation, exactly as sent. */
export type DeliveryPayload = PaymentRef & { paidAt: string };

/** What the data platform receives for a refunded payment, exactly as sent (API.md "Data platform: cancellations"). */
export interface CancellationPayload {
  paymentId: string;
  reservationId: string;
  userId: string;
  scheduleId: string;
  /** Every seat of the reservation, ascending. */
  seatNos: number[];
  amount: number;
  refundedAt: string;
  reason: RefundReason;
}

/**
 * Which message an event is about. Absent means the reservation: every event
 * written before cancellations existed reads as it did.
 */
export type MessageKind = 'reservation' | 'cancellation';

/** The message and its payload together, so that narrowing on `kind` narrows the payload. */
export type Message =
  | { kind?: undefined; payload: DeliveryPayload }
  | { kind: 'cancellation'; payload: CancellationPayload };

/** Just the kind, on the events that carry no payload. */
export type KindOf = { kind?: undefined } | { kind: 'cancellation' };

/** Due at `dueAt`; the timer sets the first attempt from it. A cancellation's is written only once the reservation's delivery has ended. */
export type DeliveryScheduled = DomainEvent<'DeliveryScheduled', { paymentId: string; dueAt: string } & Message>;

/**
 * `payload` goes beyond the shared convention on purpose: a timer is set from
 * one event alone, and the retry it sets must carry what it will send.
 */
export type DeliveryAttemptFailed = DomainEvent<
  'DeliveryAttemptFailed',
  { paymentId: string; attempt: number; status: number | null; error: string; retryAt: string } & Message
>;

export type DeliverySucceeded = DomainEvent<
  'DeliverySucceeded',
  { paymentId: string; attempt: number; status: number; deliveredAt: string } & KindOf
>;

export type DeliveryDeadLettered = DomainEvent<
  'DeliveryDeadLettered',
  { paymentId: string; attempts: number; status: number | null; error: string; deadLetteredAt: string } & KindOf
>;

/** Back from the dead-letter list for a fresh round of attempts; `payload` for the same reason as above. */
export type DeliveryRedriven = DomainEvent<
  'DeliveryRedriven',
  { paymentId: string; redrivenAt: string; dueAt: string } & Message
>;

/**
 * The payment was refunded while its reservation was still on its way: the
 * cancellation waits, unsent and with no timer, until the decision that ends
 * the reservation's delivery makes it due (a DeliveryScheduled of kind
 * cancellation). A cancellation must never overtake its reservation.
 */
export type CancellationDeferred = DomainEvent<
  'CancellationDeferred',
  { paymentId: string; payload: CancellationPayload; deferredAt: string }
>;

export type DeliveryEvent =
  | DeliveryScheduled
  | DeliveryAttemptFailed
  | DeliverySucceeded
  | DeliveryDeadLettered
  | DeliveryRedriven
  | CancellationDeferred;

export const dataplatformEventTypes = [
  'DeliveryScheduled',
  'DeliveryAttemptFailed',
  'DeliverySucceeded',
  'DeliveryDeadLettered',
  'DeliveryRedriven',
  'CancellationDeferred',
] as const satisfies readonly DeliveryEvent['type'][];

/**
 * The key that names one message of one payment: the data platform's
 * Idempotency-Key, the timer's key and the read model's id. The reservation's
 * is the paymentId, as it always was.
 */
export function messageKey(kind: MessageKind | undefined, paymentId: string): string {
  return kind === 'cancellation' ? `cancel-${paymentId}` : paymentId;
}
