import type { DomainEvent } from '../../bus/decider.js';
import type { PaymentRef } from '../payment/events.js';

/** The point ledger of one user (stream `points-{userId}`). */

export type PointsCharged = DomainEvent<
  'PointsCharged',
  { userId: string; chargeId: string; amount: number; balanceAfter: number; chargedAt: string }
>;

export type PointsDebited = DomainEvent<'PointsDebited', PaymentRef & { balanceAfter: number; debitedAt: string }>;

export type DebitFailed = DomainEvent<
  'DebitFailed',
  PaymentRef & { reason: 'INSUFFICIENT_BALANCE'; balance: number; failedAt: string }
>;

/** The compensation: a failed payment's debit given back. */
export type PointsRefunded = DomainEvent<'PointsRefunded', PaymentRef & { balanceAfter: number; refundedAt: string }>;

/**
 * The payment failed before any debit: recorded so that a SeatReserved that
 * arrives later (the TIMEOUT race) never debits for a dead payment.
 */
export type DebitVoided = DomainEvent<'DebitVoided', PaymentRef & { voidedAt: string }>;

export type PointEvent = PointsCharged | PointsDebited | DebitFailed | PointsRefunded | DebitVoided;

export const pointEventTypes = [
  'PointsCharged',
  'PointsDebited',
  'DebitFailed',
  'PointsRefunded',
  'DebitVoided',
] as const satisfies readonly PointEvent['type'][];
