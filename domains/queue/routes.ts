import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from '../../infra/http/context.js';
import type { Collection } from '../../infra/readstore/port.js';
import { positionKey } from '../../infra/readstore/position-key.js';
import { queueTokens } from '../../projections/index.js';
import type { QueueTokenDoc } from '../../projections/queue-tokens.js';
import { readQueueToken, tokenState, type QueueTokenState } from '../../infra/http/queue-token.js';
import { dateTime, errors, idempotencyKeyHeader, nullable, queueTokenHeader, userId } from '../../infra/http/schemas.js';
import { examples } from '../../infra/http/examples.js';
import { bodyUser } from '../../infra/http/identity.js';
import { etaFromRate } from './admission.js';
import { issueToken } from './issue-token.js';
import { sign } from './token.js';

/** The admission rate is read over this window: long enough to see several ticks, short enough to follow a change of pace. */
const RATE_WINDOW_MS = 60_000;

const status = { type: 'string', enum: ['WAITING', 'ACTIVE', 'EXPIRED'] } as const;

const tokenView = {
  type: 'object',
  required: ['tokenId', 'userId', 'status', 'position'],
  properties: {
    tokenId: { type: 'string' },
    userId: { type: 'string' },
    status,
    position: { type: 'integer', description: 'Place in the waiting line (1 = admitted next); 0 when not waiting' },
    expiresAt: { ...dateTime, description: 'When an ACTIVE token stops being accepted' },
  },
} as const;

/**
 * Waiting tokens issued before this one, plus one; 0 once it is not waiting.
 * The line is the queue's own read model; positions are compared as their
 * keys, so no two tokens share a place however wide the positions are.
 */
export async function placeInLine(line: Pick<Collection<QueueTokenDoc>, 'count'>, token: Pick<QueueTokenState, 'status' | 'issuedPosition'>): Promise<number> {
  if (token.status !== 'WAITING') return 0;
  const ahead = await line.count({ status: 'WAITING', issuedPosition: { lt: positionKey(token.issuedPosition) } });
  return ahead + 1;
}

/** How long the wait is likely to be, from the recent admissions; null when there is no rate to go by. */
async function estimate(ctx: ApiContext, token: QueueTokenState, position: number, now: Date): Promise<number | null> {
  if (token.status === 'EXPIRED') return null;
  if (position === 0) return 0;
  const since = new Date(now.getTime() - RATE_WINDOW_MS).toISOString();
  const [oldest] = await ctx.views.queueTokens.find({ where: { activatedAt: { gt: since, lte: now.toISOString() } }, sort: [['activatedAt', 'asc']], limit: 1 });
  if (!oldest?.activatedAt) return null;
  const admittedSince = await ctx.views.queueTokens.count({ activatedAt: { gt: oldest.activatedAt, lte: now.toISOString() } });
  return etaFromRate(position, { oldest: oldest.activatedAt, admittedSince }, now);
}

const expiry = (token: QueueTokenState) => (token.expiresAt !== null && token.status !== 'WAITING' ? { expiresAt: token.expiresAt } : {});

/** The waiting line: a token to join it, and where that token stands. */
export function queueRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { userId: string } }>(
      '/queue/tokens',
      {
        schema: {
          tags: ['queue'],
          summary: 'Join the waiting line; asking again while the token is live gives the same token',
          operationId: 'issueQueueToken',
          security: [{ user: [] }],
          headers: { type: 'object', properties: { 'idempotency-key': idempotencyKeyHeader } },
          body: { type: 'object', required: ['userId'], additionalProperties: false, properties: { userId }, examples: [examples.issueQueueToken.request] },
          response: {
            201: {
              ...tokenView,
              required: [...tokenView.required, 'token'],
              properties: { ...tokenView.properties, token: { type: 'string' } },
              examples: [examples.issueQueueToken.response],
            },
            ...errors(...examples.issueQueueToken.errors),
          },
        },
        onRequest: ctx.identity.guard(),
        preValidation: ctx.identity.owner(bodyUser),
        ...ctx.idempotency.hooks((request) => (request.body as { userId: string }).userId),
      },
      async (request, reply) => {
        const now = ctx.clock.now();
        const { ticket, position } = await issueToken(ctx.store, request.body.userId, now);
        // The place in line counts the tokens ahead in the queue's own model: it must include everyone issued before this one.
        await ctx.consistency.settled(position, [queueTokens]);
        const claims = { tokenId: ticket.tokenId, userId: ticket.userId };
        const token = await tokenState(ctx.store, claims, now);
        if (!token) throw new Error(`token ${ticket.tokenId} was issued but its stream does not show it`);
        return reply.code(201).send({
          token: sign(ctx.queueSecret, claims),
          tokenId: token.tokenId,
          userId: token.userId,
          status: token.status,
          position: await placeInLine(ctx.views.queueTokens, token),
          ...expiry(token),
        });
      },
    );

    app.get(
      '/queue/tokens/current',
      {
        schema: {
          tags: ['queue'],
          summary: 'Where the token in Queue-Token stands',
          operationId: 'getCurrentQueueToken',
          security: [{ queueToken: [] }],
          headers: { type: 'object', properties: { 'queue-token': queueTokenHeader } },
          response: {
            200: {
              ...tokenView,
              required: [...tokenView.required, 'etaMs'],
              properties: {
                ...tokenView.properties,
                etaMs: { ...nullable({ type: 'integer' }), description: 'Estimated wait from the recent admission rate; null when unknown' },
              },
              examples: [examples.getCurrentQueueToken.response],
            },
            ...errors(...examples.getCurrentQueueToken.errors),
          },
        },
      },
      async (request) => {
        const now = ctx.clock.now();
        const token = await readQueueToken(ctx.store, ctx.queueSecret, request.headers['queue-token'], now);
        const position = await placeInLine(ctx.views.queueTokens, token);
        return {
          tokenId: token.tokenId,
          userId: token.userId,
          status: token.status,
          position,
          etaMs: await estimate(ctx, token, position, now),
          ...expiry(token),
        };
      },
    );
  };
}
