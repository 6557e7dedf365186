import { isEvent } from '../../bus/decider.js';
import type { Reaction } from '../../bus/reaction.js';
import type { PaymentEvent } from '../payment/events.js';
import type { QueueCommand } from './commands.js';
import type { QueueEvent, QueueServiceEvent } from './events.js';
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

/**
 * An admission decision becomes each admitted token's activation, on the
 * token's own stream. As a reaction (not a step of the tick that decided) it
 * survives a crash of the admitter between the decision and the activations,
 * and each instance activates the tokens of the streams it owns. Time and TTL
 * come from the decision, so a late or replayed activation ends when the
 * decision said; a token no longer WAITING (already active, or expired) is
 * left as it is by the ticket.
 */
export const activateAdmittedTokens: QueueReaction = {
  name: 'queue.activateAdmittedTokens',
  aggregate: ticket,
  eventTypes: ['QueueTokensAdmitted'],
  react(event) {
    if (!isEvent<QueueServiceEvent, 'QueueTokensAdmitted'>(event, 'QueueTokensAdmitted')) return [];
    const { tokens, admittedAt, ttlMs } = event.data;
    return tokens.map(({ tokenId, userId }) => ({
      streamId: queueStream(userId),
      command: { type: 'Activate', data: { tokenId, now: admittedAt, ttlMs } },
      // A token's events are one correlation, from its issue to its expiry.
      correlationId: tokenId,
    }));
  },
};

export const reactions: readonly QueueReaction[] = [expireTokenOnPaymentCompleted, activateAdmittedTokens];
