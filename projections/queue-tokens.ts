import type { Doc } from '../infra/readstore/port.js';
import { positionKey } from '../infra/readstore/position-key.js';
import { isEvent } from '../bus/decider.js';
import type { Projection } from '../bus/projection.js';
import type { QueueEvent } from '../domains/queue/events.js';
import type { TicketStatus } from '../domains/queue/ticket.js';

export interface QueueTokenDoc extends Doc {
  tokenId: string;
  userId: string;
  status: TicketStatus;
  issuedAt: string;
  /**
   * The global position of the issue, the order of the line, as a position
   * key: fixed-width digits that compare as strings exactly as positions do,
   * in both read stores. A JSON number would round an EventStoreDB position
   * (up to 128 bits) and put tokens issued apart at one place.
   */
  issuedPosition: string;
  activatedAt: string | null;
  expiresAt: string | null;
  expiredAt: string | null;
}

/** Every token and its status: the admission tick reads the line from it, the token route the place in it. */
export const queueTokens: Projection<QueueTokenDoc> = {
  name: 'queue-tokens',
  collection: { name: 'queue_tokens', indexes: ['userId', 'activatedAt', ['status', 'issuedPosition']] },
  eventTypes: ['QueueTokenIssued', 'QueueTokenActivated', 'QueueTokenExpired'],
  ids: (event) => [(event.data as { tokenId: string }).tokenId],
  evolve(doc, event) {
    if (isEvent<QueueEvent, 'QueueTokenIssued'>(event, 'QueueTokenIssued')) {
      const { tokenId, userId, issuedAt } = event.data;
      return { id: tokenId, tokenId, userId, status: 'WAITING', issuedAt, issuedPosition: positionKey(event.position), activatedAt: null, expiresAt: null, expiredAt: null };
    }
    if (!doc) return null;
    if (isEvent<QueueEvent, 'QueueTokenActivated'>(event, 'QueueTokenActivated')) {
      return { ...doc, status: 'ACTIVE', activatedAt: event.data.activatedAt, expiresAt: event.data.expiresAt };
    }
    if (isEvent<QueueEvent, 'QueueTokenExpired'>(event, 'QueueTokenExpired')) {
      return { ...doc, status: 'EXPIRED', expiredAt: event.data.expiredAt };
    }
    return doc;
  },
};
