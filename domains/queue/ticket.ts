import { Rejection, type Aggregate } from '../../bus/decider.js';
import type { Activate, Expire, IssueToken, QueueCommand } from './commands.js';
import type { QueueEvent } from './events.js';

export type TicketStatus = 'WAITING' | 'ACTIVE' | 'EXPIRED';

export interface Ticket {
  tokenId: string;
  userId: string;
  status: TicketStatus;
  issuedAt: string;
  activatedAt?: string;
  expiresAt?: string;
  expiredAt?: string;
}

export interface TicketState {
  /** The user's latest token; every earlier one is EXPIRED. */
  current: Ticket | null;
}

const ms = (iso: string) => Date.parse(iso);

/** An ACTIVE token whose time is up is no longer live, even before its timer has fired. */
const lapsed = (ticket: Ticket, now: string) => ticket.expiresAt !== undefined && ms(now) >= ms(ticket.expiresAt);

function issue({ data }: IssueToken, { current }: TicketState): QueueEvent[] {
  const issued: QueueEvent = { type: 'QueueTokenIssued', data: { tokenId: data.tokenId, userId: data.userId, issuedAt: data.now } };
  if (current === null || current.status === 'EXPIRED') return [issued];
  if (current.status === 'WAITING') return [];
  if (!lapsed(current, data.now)) return [];
  // Close the lapsed token in the same append, so that the stream never shows two live tokens.
  return [
    { type: 'QueueTokenExpired', data: { tokenId: current.tokenId, userId: current.userId, expiredAt: data.now, reason: 'TTL' } },
    issued,
  ];
}

function activate({ data }: Activate, { current }: TicketState): QueueEvent[] {
  if (!Number.isInteger(data.ttlMs) || data.ttlMs < 1) {
    throw new Rejection('invalid', 'INVALID_TTL', `ttlMs must be a positive integer, got ${data.ttlMs}`);
  }
  // A second admission of the same token (two ticks racing) or of a stale one changes nothing.
  if (current === null || current.tokenId !== data.tokenId || current.status !== 'WAITING') return [];
  return [
    {
      type: 'QueueTokenActivated',
      data: {
        tokenId: current.tokenId,
        userId: current.userId,
        activatedAt: data.now,
        expiresAt: new Date(ms(data.now) + data.ttlMs).toISOString(),
      },
    },
  ];
}

function expire({ data }: Expire, { current }: TicketState): QueueEvent[] {
  if (current === null || current.status !== 'ACTIVE') return [];
  if (data.tokenId !== undefined && data.tokenId !== current.tokenId) return [];
  if (data.reason === 'TTL' && !lapsed(current, data.now)) return [];
  // A token admitted after the payment completed is not the one that paid: this keeps a
  // replayed PaymentCompleted from expiring the user's newer token.
  if (data.reason === 'PAYMENT_COMPLETED' && current.activatedAt !== undefined && ms(current.activatedAt) > ms(data.now)) {
    return [];
  }
  return [
    { type: 'QueueTokenExpired', data: { tokenId: current.tokenId, userId: current.userId, expiredAt: data.now, reason: data.reason } },
  ];
}

/** A user's place in line (stream `queue-{userId}`): one live token at a time, WAITING → ACTIVE → EXPIRED. */
export const ticket: Aggregate<TicketState, QueueCommand, QueueEvent> = {
  category: 'queue',
  initialState: () => ({ current: null }),
  decide(command, state) {
    switch (command.type) {
      case 'IssueToken':
        return issue(command, state);
      case 'Activate':
        return activate(command, state);
      case 'Expire':
        return expire(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'QueueTokenIssued':
        return { current: { ...event.data, status: 'WAITING' } };
      case 'QueueTokenActivated': {
        if (state.current?.tokenId !== event.data.tokenId) return state;
        const { activatedAt, expiresAt } = event.data;
        return { current: { ...state.current, status: 'ACTIVE', activatedAt, expiresAt } };
      }
      case 'QueueTokenExpired': {
        if (state.current?.tokenId !== event.data.tokenId) return state;
        return { current: { ...state.current, status: 'EXPIRED', expiredAt: event.data.expiredAt } };
      }
    }
  },
};

export const queueStream = (userId: string) => `${ticket.category}-${userId}`;
