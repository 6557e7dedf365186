import { isEvent } from '../../bus/decider.js';
import type { Reaction } from '../../bus/reaction.js';
import type { PaymentEvent } from '../payment/events.js';
import type { DeliveryCommand } from './commands.js';
import { delivery, deliveryStream, type DeliveryState } from './delivery.js';
import type { DeliveryEvent } from './events.js';

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

export const reactions: readonly DeliveryReaction[] = [scheduleDeliveryOnPaymentCompleted];
