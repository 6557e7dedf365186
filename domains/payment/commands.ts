import type { PaymentFailureReason, PaymentRef } from './events.js';

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

export type PaymentCommand = RequestPayment | CompletePayment | FailPayment;
