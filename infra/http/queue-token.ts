import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { EventStore, Position, RecordedEvent } from '../eventstore/port.js';
import type { Clock } from '../clock.js';
import { isStreamNotFound } from '../eventstore/errors.js';
import { fold } from '../../bus/decider.js';
import type { QueueEvent } from '../../domains/queue/events.js';
import { queueStream, ticket, type TicketStatus } from '../../domains/queue/ticket.js';
import { verify, type TokenClaims } from '../../domains/queue/token.js';
import { HttpProblem } from './errors.js';

/** A genuine token as the queue's own stream tells it, at the time of the request. */
export interface QueueTokenState extends TokenClaims {
  /** EXPIRED also for an ACTIVE token past its expiresAt whose timer has not fired yet. */
  status: TicketStatus;
  issuedAt: string;
  /** Where its QueueTokenIssued sits in $all: the order of the line. */
  issuedPosition: Position;
  expiresAt: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the queue-token guard. */
    queueToken: QueueTokenState | null;
  }
}

async function userStream(store: EventStore, userId: string): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(queueStream(userId));
  } catch (error) {
    if (isStreamNotFound(error)) return [];
    throw error;
  }
}

/**
 * The state of one token, read from its user's stream (the aggregate, not a
 * read model: a token admitted a moment ago is ACTIVE here at once, whichever
 * process admitted it). Null when the stream never issued it.
 */
export async function tokenState(store: EventStore, claims: TokenClaims, now: Date): Promise<QueueTokenState | null> {
  const recorded = await userStream(store, claims.userId);
  const issued = recorded.find((e) => e.type === 'QueueTokenIssued' && (e.data as { tokenId: string }).tokenId === claims.tokenId);
  if (!issued) return null;
  const { current } = fold(ticket, recorded.map((e) => ({ type: e.type, data: e.data }) as QueueEvent));
  const base = {
    tokenId: claims.tokenId,
    userId: claims.userId,
    issuedAt: (issued.data as { issuedAt: string }).issuedAt,
    issuedPosition: issued.position,
  };
  // A later token replaced this one: only the user's latest token is ever live.
  if (current?.tokenId !== claims.tokenId) return { ...base, status: 'EXPIRED', expiresAt: null };
  const expiresAt = current.expiresAt ?? null;
  const lapsed = current.status === 'ACTIVE' && expiresAt !== null && now.getTime() >= Date.parse(expiresAt);
  return { ...base, status: lapsed ? 'EXPIRED' : current.status, expiresAt };
}

const unauthorized = (code: string, message: string) =>
  new HttpProblem(401, code, message, { 'www-authenticate': 'Queue-Token' });

/** The `Queue-Token` header's token: 401 when it is missing, forged, altered or was never issued. */
export async function readQueueToken(store: EventStore, secret: string, header: unknown, now: Date): Promise<QueueTokenState> {
  if (typeof header !== 'string' || header === '') throw unauthorized('QUEUE_TOKEN_MISSING', 'the Queue-Token header is required');
  const claims = verify(secret, header);
  if (!claims) throw unauthorized('QUEUE_TOKEN_INVALID', 'the queue token is forged, altered or malformed');
  const state = await tokenState(store, claims, now);
  if (!state) throw unauthorized('QUEUE_TOKEN_UNKNOWN', 'no such queue token was issued');
  return state;
}

/** 403 unless the token may act now: ACTIVE and not past its expiresAt. */
export function requireActive(token: QueueTokenState): void {
  if (token.status !== 'ACTIVE') {
    const why = token.status === 'WAITING' ? 'is still waiting in line' : 'has expired';
    throw new HttpProblem(403, 'QUEUE_TOKEN_NOT_ACTIVE', `the queue token ${why}; only an ACTIVE token may do this`);
  }
}

/**
 * The guard shared by reservations and payments, run before the body is even
 * parsed, so that a client without a genuine token learns nothing else. With
 * `requireActive: false` the route decides (a repeat of a finished payment is
 * answered to its user even after the token has expired).
 */
export function queueTokenGuard(deps: { store: EventStore; clock: Clock; secret: string }, options: { requireActive: boolean }): onRequestAsyncHookHandler {
  return async (request: FastifyRequest) => {
    const token = await readQueueToken(deps.store, deps.secret, request.headers['queue-token'], deps.clock.now());
    if (options.requireActive) requireActive(token);
    request.queueToken = token;
  };
}

/** The token the guard accepted; a route without the guard asking for it is a bug. */
export function guardedToken(request: FastifyRequest): QueueTokenState {
  if (!request.queueToken) throw new Error(`${request.routeOptions.url} has no queue-token guard`);
  return request.queueToken;
}
