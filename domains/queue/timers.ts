import { isEvent } from '../../bus/decider.js';
import type { TimerRule } from '../../bus/reaction.js';
import type { QueueCommand } from './commands.js';
import type { QueueEvent } from './events.js';
import { ticket, type TicketState } from './ticket.js';

type QueueTimer = TimerRule<TicketState, QueueCommand, QueueEvent>;

/**
 * An active token ends at its expiresAt. Admission is not here: it is a
 * periodic tick over the whole line (see admission.ts), not a per-stream deadline.
 */
export const tokenExpiry: QueueTimer = {
  name: 'queue.tokenExpiry',
  aggregate: ticket,
  eventTypes: ['QueueTokenActivated', 'QueueTokenExpired'],
  schedule(event) {
    if (isEvent<QueueEvent, 'QueueTokenActivated'>(event, 'QueueTokenActivated')) {
      const { tokenId, expiresAt } = event.data;
      return [{ op: 'set', key: tokenId, dueAt: expiresAt, streamId: event.streamId, payload: { tokenId } }];
    }
    if (isEvent<QueueEvent, 'QueueTokenExpired'>(event, 'QueueTokenExpired')) {
      return [{ op: 'cancel', key: event.data.tokenId }];
    }
    return [];
  },
  fire(timer, now) {
    const tokenId = timer.payload.tokenId;
    if (typeof tokenId !== 'string') throw new TypeError(`timer ${timer.key} has no tokenId in its payload`);
    return [{ streamId: timer.streamId, command: { type: 'Expire', data: { tokenId, now: now.toISOString(), reason: 'TTL' } } }];
  },
};

export const timers: readonly QueueTimer[] = [tokenExpiry];
