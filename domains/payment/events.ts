import type { DomainEvent } from '../../bus/decider.js';

/**
 * The saga reference: every saga event carries it, so that each service can
 * key its own step (and its compensation) by paymentId without asking anyone.
 * Defined once here, because the payment is what the saga is about.
 */
export interface PaymentRef {
  paymentId: string;
  reservationId: string;
  userId: string;
  concertId: string;
  scheduleId: string;
  /** On a seat's events, that seat; elsewhere the reservation's first seat. */
  seatNo: number;
  amount: number;
  /**
   * Every seat of the reservation, ascending, when it has more than one (absent
   * on single-seat payments, and on every event written before reservations
   * could hold several seats): see seatsOf.
   */
  seatNos?: number[];
}

/** Why a payment ended FAILED: the seat's, the points' or the deadline's answer. */
export type PaymentFailureReason =
  | 'HOLD_EXPIRED'
  | 'NOT_HOLDER'
  | 'ALREADY_RESERVED'
  | 'INSUFFICIENT_BALANCE'
  | 'TIMEOUT'
  | 'SCHEDULE_CANCELLED';

/** Who gave a completed payment back: its buyer, or the box office by cancelling the schedule. */
export type RefundReason = 'USER' | 'SCHEDULE_CANCELLED';

export type PaymentRequested = DomainEvent<'PaymentRequested', PaymentRef & { requestedAt: string; deadlineAt: string }>;

export type PaymentCompleted = DomainEvent<'PaymentCompleted', PaymentRef & { requestedAt: string; completedAt: string }>;

export type PaymentFailed = DomainEvent<
  'PaymentFailed',
  PaymentRef & { reason: PaymentFailureReason; requestedAt: string; failedAt: string }
>;

/**
 * A completed payment is to be given back. The reservation releases its seats
 * (in order, like the confirmation), then the points come back, then the
 * payment is REFUNDED: each service undoes only its own step.
 */
export type RefundRequested = DomainEvent<
  'RefundRequested',
  PaymentRef & { reason: RefundReason; requestedAt: string; completedAt: string; refundRequestedAt: string }
>;

/** The points are back and every seat is free: the payment is REFUNDED, for good. */
export type PaymentRefunded = DomainEvent<
  'PaymentRefunded',
  PaymentRef & { reason: RefundReason; requestedAt: string; completedAt: string; refundedAt: string }
>;

export type PaymentEvent = PaymentRequested | PaymentCompleted | PaymentFailed | RefundRequested | PaymentRefunded;

export const paymentEventTypes = [
  'PaymentRequested',
  'PaymentCompleted',
  'PaymentFailed',
  'RefundRequested',
  'PaymentRefunded',
] as const satisfies readonly PaymentEvent['type'][];
