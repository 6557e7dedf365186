import { Rejection, type Aggregate } from '../../bus/decider.js';
import type { Charge, Debit, PointCommand, Refund } from './commands.js';
import type { PointEvent } from './events.js';
import { refOf } from '../payment/ref.js';

/** What happened to one payment in this wallet; each is final for its paymentId except DEBITED → REFUNDED. */
export type PaymentOutcome =
  | { status: 'DEBITED'; amount: number }
  | { status: 'DEBIT_FAILED' }
  | { status: 'REFUNDED'; amount: number }
  | { status: 'VOIDED' };

export interface WalletState {
  balance: number;
  /** Charge ids already applied: a retried charge request changes nothing. */
  charges: ReadonlySet<string>;
  payments: ReadonlyMap<string, PaymentOutcome>;
}

export const MAX_CHARGE = 10_000_000;

function charge({ data }: Charge, state: WalletState): PointEvent[] {
  if (!Number.isInteger(data.amount) || data.amount < 1 || data.amount > MAX_CHARGE) {
    throw new Rejection('invalid', 'INVALID_AMOUNT', `amount must be an integer from 1 to ${MAX_CHARGE}, got ${data.amount}`);
  }
  if (state.charges.has(data.chargeId)) return [];
  return [
    {
      type: 'PointsCharged',
      data: {
        userId: data.userId,
        chargeId: data.chargeId,
        amount: data.amount,
        balanceAfter: state.balance + data.amount,
        chargedAt: data.now,
      },
    },
  ];
}

function debit({ data }: Debit, state: WalletState): PointEvent[] {
  // Debited, failed, refunded or voided before: the saga already has its answer.
  if (state.payments.has(data.paymentId)) return [];
  const ref = refOf(data);
  if (state.balance < ref.amount) {
    return [
      { type: 'DebitFailed', data: { ...ref, reason: 'INSUFFICIENT_BALANCE', balance: state.balance, failedAt: data.now } },
    ];
  }
  return [{ type: 'PointsDebited', data: { ...ref, balanceAfter: state.balance - ref.amount, debitedAt: data.now } }];
}

function refund({ data }: Refund, state: WalletState): PointEvent[] {
  const ref = refOf(data);
  const outcome = state.payments.get(ref.paymentId);
  if (outcome === undefined) {
    // Failed before the debit arrived: void it so that a late SeatReserved never debits.
    return [{ type: 'DebitVoided', data: { ...ref, voidedAt: data.now } }];
  }
  if (outcome.status !== 'DEBITED') return []; // refunded or voided already, or there was nothing to take back
  // Give back what was taken, whatever amount the failure event carries.
  return [
    {
      type: 'PointsRefunded',
      data: { ...ref, amount: outcome.amount, balanceAfter: state.balance + outcome.amount, refundedAt: data.now },
    },
  ];
}

function withPayment(state: WalletState, paymentId: string, outcome: PaymentOutcome, balance = state.balance): WalletState {
  return { ...state, balance, payments: new Map(state.payments).set(paymentId, outcome) };
}

/** A user's points (stream `points-{userId}`): charges, the saga's debits and their compensations. */
export const wallet: Aggregate<WalletState, PointCommand, PointEvent> = {
  category: 'points',
  initialState: () => ({ balance: 0, charges: new Set(), payments: new Map() }),
  decide(command, state) {
    switch (command.type) {
      case 'Charge':
        return charge(command, state);
      case 'Debit':
        return debit(command, state);
      case 'Refund':
        return refund(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'PointsCharged':
        return { ...state, balance: event.data.balanceAfter, charges: new Set(state.charges).add(event.data.chargeId) };
      case 'PointsDebited':
        return withPayment(state, event.data.paymentId, { status: 'DEBITED', amount: event.data.amount }, event.data.balanceAfter);
      case 'DebitFailed':
        return withPayment(state, event.data.paymentId, { status: 'DEBIT_FAILED' });
      case 'PointsRefunded':
        return withPayment(state, event.data.paymentId, { status: 'REFUNDED', amount: event.data.amount }, event.data.balanceAfter);
      case 'DebitVoided':
        return withPayment(state, event.data.paymentId, { status: 'VOIDED' });
    }
  },
};

export const pointsStream = (userId: string) => `${wallet.category}-${userId}`;
