import { isEvent } from '../../bus/decider.js';
import type { Reaction } from '../../bus/reaction.js';
import type { PaymentEvent } from '../payment/events.js';
import type { QueueCommand } from './commands.js';
import type { QueueEvent } from './events.js';
import { queueStream, ticket, type TicketState } from './ticket.js';

type QueueReaction = Reaction<TicketState, QueueCommand, QueueEvent>;

/** A user who has paid leaves the line, freeing a slot; without an active token this changes nothing. */
export const expireTokenOnPaymentCompleted: QueueReaction = {
  name: 'queue.expireTokenOnPaymentCompleted',
  aggregate: ticket,
  eventTypes: ['PaymentCompleted'],
  react(event) {
    if (!isEvent<PaymentEvent, 'PaymentCompleted'>(event, 'PaymentCompleted')) return [];
    return [
      {
        streamId: queueStream(event.data.userId),
        command: { type: 'Expire', data: { now: event.created.toISOString(), reason: 'PAYMENT_COMPLETED' } },
      },
    ];
  },
};

export const reactions: readonly QueueReaction[] = [expireTokenOnPaymentCompleted];
