import type { PaymentRef } from '../payment/events.js';

/** A top-up from the charge route; `chargeId` is its idempotency key. */
export type Charge = { type: 'Charge'; data: { userId: string; chargeId: string; amount: number; now: string } };

/** The saga's debit for a reserved seat. */
export type Debit = { type: 'Debit'; data: PaymentRef & { now: string } };

/** The compensation for a failed payment: refund a debit, or void one that never happened. */
export type Refund = { type: 'Refund'; data: PaymentRef & { now: string } };

export type PointCommand = Charge | Debit | Refund;
