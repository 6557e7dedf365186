import { isEvent } from '../../bus/decider.js';
import type { Reaction, Target } from '../../bus/reaction.js';
import type { PointEvent } from '../point/events.js';
import type { SeatEvent } from '../reservation/events.js';
import type { PaymentCommand } from './commands.js';
import type { PaymentEvent } from './events.js';
import { payment, paymentStream, type PaymentState } from './payment.js';

type PaymentReaction = Reaction<PaymentState, PaymentCommand, PaymentEvent>;

/**
 * The seat's or the points' answer settles the payment. Whichever comes first
 * wins; the aggregate ignores the rest once the payment has ended.
 */
export const settlePaymentOnOutcome: PaymentReaction = {
  name: 'payment.settlePaymentOnOutcome',
  aggregate: payment,
  eventTypes: ['SeatReservationRejected', 'DebitFailed', 'PointsDebited'],
  react(event) {
    // The event's own time, not the clock: a replay decides the same way.
    const now = event.created.toISOString();
    const settle = (paymentId: string, command: PaymentCommand): Target<PaymentCommand>[] => [
      { streamId: paymentStream(paymentId), command },
    ];
    if (isEvent<SeatEvent, 'SeatReservationRejected'>(event, 'SeatReservationRejected')) {
      return settle(event.data.paymentId, { type: 'FailPayment', data: { reason: event.data.reason, now } });
    }
    if (isEvent<PointEvent, 'DebitFailed'>(event, 'DebitFailed')) {
      return settle(event.data.paymentId, { type: 'FailPayment', data: { reason: 'INSUFFICIENT_BALANCE', now } });
    }
    if (isEvent<PointEvent, 'PointsDebited'>(event, 'PointsDebited')) {
      return settle(event.data.paymentId, { type: 'CompletePayment', data: { now } });
    }
    return [];
  },
};

/**
 * The points came back: a refund under way is done (its seats were released
 * before the points, see point.refundOnRefundReleased). The points also come
 * back for failed payments; the aggregate ends only a REFUNDING one.
 */
export const completeRefundOnPointsRefunded: PaymentReaction = {
  name: 'payment.completeRefundOnPointsRefunded',
  aggregate: payment,
  eventTypes: ['PointsRefunded'],
  react(event) {
    if (!isEvent<PointEvent, 'PointsRefunded'>(event, 'PointsRefunded')) return [];
    return [{ streamId: paymentStream(event.data.paymentId), command: { type: 'CompleteRefund', data: { now: event.created.toISOString() } } }];
  },
};

/**
 * A seat of a cancelled schedule was withdrawn while RESERVED: its payment is
 * refunded if it completed, failed if it is still pending. The seats of one
 * payment each say so; the aggregate makes every repeat a no-op.
 */
export const refundPaymentOnSeatWithdrawn: PaymentReaction = {
  name: 'payment.refundPaymentOnSeatWithdrawn',
  aggregate: payment,
  eventTypes: ['SeatWithdrawn'],
  react(event) {
    if (!isEvent<SeatEvent, 'SeatWithdrawn'>(event, 'SeatWithdrawn')) return [];
    const { paymentId } = event.data;
    if (paymentId === undefined) return [];
    return [
      {
        streamId: paymentStream(paymentId),
        command: { type: 'RequestRefund', data: { reason: 'SCHEDULE_CANCELLED', now: event.created.toISOString() } },
        // The payment's saga, not the schedule's: its trace then shows how it ended.
        correlationId: paymentId,
      },
    ];
  },
};

export const reactions: readonly PaymentReaction[] = [settlePaymentOnOutcome, completeRefundOnPointsRefunded, refundPaymentOnSeatWithdrawn];
