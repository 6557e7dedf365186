import { isEvent } from '../../bus/decider.js';
import type { Reaction } from '../../bus/reaction.js';
import type { PaymentEvent } from '../payment/events.js';
import type { SeatEvent } from '../reservation/events.js';
import type { PointCommand } from './commands.js';
import type { PointEvent } from './events.js';
import { refOf, seatsOf } from '../payment/ref.js';
import { pointsStream, wallet, type WalletState } from './wallet.js';

type PointReaction = Reaction<WalletState, PointCommand, PointEvent>;

/**
 * The seat is reserved for this payment: take the points. A reservation's
 * seats are reserved in order, so only its last seat's SeatReserved means all
 * of them are: the payment's amount is debited once, on that one.
 */
export const debitOnSeatReserved: PointReaction = {
  name: 'point.debitOnSeatReserved',
  aggregate: wallet,
  eventTypes: ['SeatReserved'],
  react(event) {
    if (!isEvent<SeatEvent, 'SeatReserved'>(event, 'SeatReserved')) return [];
    if (event.data.seatNo !== seatsOf(event.data).at(-1)) return [];
    const ref = refOf(event.data);
    // The event's own time, not the clock: a replay decides the same way.
    return [{ streamId: pointsStream(ref.userId), command: { type: 'Debit', data: { ...ref, now: event.created.toISOString() } } }];
  },
};

/** The payment failed: give the points back, or void a debit that has not happened yet. */
export const refundOnPaymentFailed: PointReaction = {
  name: 'point.refundOnPaymentFailed',
  aggregate: wallet,
  eventTypes: ['PaymentFailed'],
  react(event) {
    if (!isEvent<PaymentEvent, 'PaymentFailed'>(event, 'PaymentFailed')) return [];
    const ref = refOf(event.data);
    return [{ streamId: pointsStream(ref.userId), command: { type: 'Refund', data: { ...ref, now: event.created.toISOString() } } }];
  },
};

/**
 * A refund released the last seat of its reservation (they are released in
 * order, so every seat is free): give the payment's points back. The wallet
 * refunds a paymentId once, whatever else asks.
 */
export const refundOnRefundReleased: PointReaction = {
  name: 'point.refundOnRefundReleased',
  aggregate: wallet,
  eventTypes: ['SeatReleased'],
  react(event) {
    if (!isEvent<SeatEvent, 'SeatReleased'>(event, 'SeatReleased') || !event.data.refund) return [];
    if (event.data.seatNo !== seatsOf(event.data).at(-1)) return [];
    const ref = refOf(event.data);
    return [{ streamId: pointsStream(ref.userId), command: { type: 'Refund', data: { ...ref, now: event.created.toISOString() } } }];
  },
};

export const reactions: readonly PointReaction[] = [debitOnSeatReserved, refundOnPaymentFailed, refundOnRefundReleased];
