import type { PaymentFailureReason, PaymentRef, RefundReason } from './events.js';

/** The client pays for a hold; the route derives paymentId from the reservation and reads the clock. */
export interface RequestPayment {
  type: 'RequestPayment';
  data: PaymentRef & { now: string; deadlineMs: number };
}

/** The points were debited: the saga's last step succeeded. */
export interface CompletePayment {
  type: 'CompletePayment';
  data: { now: string };
}

/** A step refused (seat or points), or the deadline passed. */
export interface FailPayment {
  type: 'FailPayment';
  data: { reason: PaymentFailureReason; now: string };
}

/**
 * Give a payment back. USER: its buyer cancels (the route), before `cutoffAt`;
 * a pending payment cannot be cancelled yet. SCHEDULE_CANCELLED: the schedule
 * is cancelled (a reaction), whatever the cutoff; a pending payment fails.
 */
export interface RequestRefund {
  type: 'RequestRefund';
  data: { reason: RefundReason; now: string; cutoffAt?: string };
}

/** The points came back after every seat was released: the refund is done. */
export interface CompleteRefund {
  type: 'CompleteRefund';
  data: { now: string };
}

export type PaymentCommand = RequestPayment | CompletePayment | FailPayment | RequestRefund | CompleteRefund;
