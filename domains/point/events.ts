import type { PaymentRef } from '../payment/events.js';

/** The point ledger of one user (stream `points-{userId}`). */

export interface PointsCharged {
  type: 'PointsCharged';
  data: { userId: string; chargeId: string; amount: number; balanceAfter: number; chargedAt: string };
}

export interface PointsDebited {
  type: 'PointsDebited';
  data: PaymentRef & { balanceAfter: number; debitedAt: string };
}

export interface DebitFailed {
  type: 'DebitFailed';
  data: PaymentRef & { reason: 'INSUFFICIENT_BALANCE'; balance: number; failedAt: string };
}

export interface PointsRefunded {
  type: 'PointsRefunded';
  data: PaymentRef & { balanceAfter: number; refundedAt: string };
}

/**
 * The payment failed before any debit: recorded so that a SeatReserved that
 * arrives later (the TIMEOUT race) never debits for a dead payment.
 */
export interface DebitVoided {
  type: 'DebitVoided';
  data: PaymentRef & { voidedAt: string };
}

export type PointEvent = PointsCharged | PointsDebited | DebitFailed | PointsRefunded | DebitVoided;

export const pointEventTypes = [
  'PointsCharged',
  'PointsDebited',
  'DebitFailed',
  'PointsRefunded',
  'DebitVoided',
] as const satisfies readonly PointEvent['type'][];
