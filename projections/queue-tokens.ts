import type { Doc } from '../infra/readstore/port.js';
import { positionKey } from '../infra/readstore/position-key.js';
import { isEvent } from '../bus/decider.js';
import type { Projection } from '../bus/projection.js';
import type { QueueEvent, QueueServiceEvent } from '../domains/queue/events.js';
import type { TicketStatus } from '../domains/queue/ticket.js';

/**
 * A token's place in the line: its ticket's status, and ADMITTED between the
 * admission decision and the activation on the token's own stream. ADMITTED
 * takes a slot like ACTIVE (the admitter counts both); the API never shows
 * it: a token's status comes from its own stream, where it is still WAITING.
 */
export type LineStatus = TicketStatus | 'ADMITTED';

export interface QueueTokenDoc extends Doc {
  tokenId: string;
  userId: string;
  status: LineStatus;
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
  eventTypes: ['QueueTokenIssued', 'QueueTokensAdmitted', 'QueueTokenActivated', 'QueueTokenExpired'],
  ids: (event) =>
    isEvent<QueueServiceEvent, 'QueueTokensAdmitted'>(event, 'QueueTokensAdmitted')
      ? event.data.tokens.map((token) => token.tokenId)
      : [(event.data as { tokenId: string }).tokenId],
  evolve(doc, event) {
    if (isEvent<QueueEvent, 'QueueTokenIssued'>(event, 'QueueTokenIssued')) {
      const { tokenId, userId, issuedAt } = event.data;
      return { id: tokenId, tokenId, userId, status: 'WAITING', issuedAt, issuedPosition: positionKey(event.position), activatedAt: null, expiresAt: null, expiredAt: null };
    }
    if (!doc) return null;
    if (isEvent<QueueServiceEvent, 'QueueTokensAdmitted'>(event, 'QueueTokensAdmitted')) {
      // A decision names only tokens its view showed WAITING; the check keeps
      // any other (an activated or expired one) from being counted twice or revived.
      return doc.status === 'WAITING' ? { ...doc, status: 'ADMITTED' } : doc;
    }
    if (isEvent<QueueEvent, 'QueueTokenActivated'>(event, 'QueueTokenActivated')) {
      return { ...doc, status: 'ACTIVE', activatedAt: event.data.activatedAt, expiresAt: event.data.expiresAt };
    }
    if (isEvent<QueueEvent, 'QueueTokenExpired'>(event, 'QueueTokenExpired')) {
      return { ...doc, status: 'EXPIRED', expiredAt: event.data.expiredAt };
    }
    return doc;
  },
};
