import { isEvent } from '../../bus/decider.js';
import type { Reaction } from '../../bus/reaction.js';
import type { PaymentEvent } from '../payment/events.js';
import { seatsOf } from '../payment/ref.js';
import type { DeliveryCommand } from './commands.js';
import { delivery, deliveryStream, type DeliveryState } from './delivery.js';
import type { CancellationPayload, DeliveryEvent } from './events.js';

type DeliveryReaction = Reaction<DeliveryState, DeliveryCommand, DeliveryEvent>;

/** Every completed payment goes to the data platform, due at once. */
export const scheduleDeliveryOnPaymentCompleted: DeliveryReaction = {
  name: 'dataplatform.scheduleDeliveryOnPaymentCompleted',
  aggregate: delivery,
  eventTypes: ['PaymentCompleted'],
  react(event) {
    if (!isEvent<PaymentEvent, 'PaymentCompleted'>(event, 'PaymentCompleted')) return [];
    const { paymentId, reservationId, userId, concertId, scheduleId, seatNo, amount, completedAt } = event.data;
    const payload = { paymentId, reservationId, userId, concertId, scheduleId, seatNo, amount, paidAt: completedAt };
    return [{ streamId: deliveryStream(paymentId), command: { type: 'Schedule', data: { payload, dueAt: completedAt } } }];
  },
};

/**
 * Every refunded payment's cancellation goes to the data platform, due when
 * it was refunded; the decider holds it back while the reservation's own
 * delivery is still under way.
 */
export const scheduleCancellationOnPaymentRefunded: DeliveryReaction = {
  name: 'dataplatform.scheduleCancellationOnPaymentRefunded',
  aggregate: delivery,
  eventTypes: ['PaymentRefunded'],
  react(event) {
    if (!isEvent<PaymentEvent, 'PaymentRefunded'>(event, 'PaymentRefunded')) return [];
    const { paymentId, reservationId, userId, scheduleId, amount, refundedAt, reason } = event.data;
    const payload: CancellationPayload = { paymentId, reservationId, userId, scheduleId, seatNos: seatsOf(event.data).sort((a, b) => a - b), amount, refundedAt, reason };
    return [{ streamId: deliveryStream(paymentId), command: { type: 'ScheduleCancellation', data: { payload, dueAt: refundedAt } } }];
  },
};

export const reactions: readonly DeliveryReaction[] = [scheduleDeliveryOnPaymentCompleted, scheduleCancellationOnPaymentRefunded];
