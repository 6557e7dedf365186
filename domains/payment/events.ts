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
  | 'TIMEOUT';

export type PaymentRequested = DomainEvent<'PaymentRequested', PaymentRef & { requestedAt: string; deadlineAt: string }>;

export type PaymentCompleted = DomainEvent<'PaymentCompleted', PaymentRef & { requestedAt: string; completedAt: string }>;

export type PaymentFailed = DomainEvent<
  'PaymentFailed',
  PaymentRef & { reason: PaymentFailureReason; requestedAt: string; failedAt: string }
>;

export type PaymentEvent = PaymentRequested | PaymentCompleted | PaymentFailed;

export const paymentEventTypes = [
  'PaymentRequested',
  'PaymentCompleted',
  'PaymentFailed',
] as const satisfies readonly PaymentEvent['type'][];
