import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from '../../infra/http/context.js';
import { pathUser } from '../../infra/http/identity.js';
import { answerPage, nextLinkHeader, pageQuery, type PageQuery } from '../../infra/http/paging.js';
import { integerQuery } from '../../infra/http/query.js';
import { dateTime, errors, idempotencyKeyHeader, points, userId } from '../../infra/http/schemas.js';
import { examples } from '../../infra/http/examples.js';
import { balances, pointHistory } from '../../projections/index.js';
import type { PointMovementDoc } from '../../projections/point-history.js';
import { chargePoints } from './charge-points.js';

const HISTORY_PAGE = 50;

const balanceView = {
  type: 'object',
  required: ['userId', 'balance'],
  properties: { userId: { type: 'string' }, balance: { type: 'integer' } },
} as const;

const movementView = {
  type: 'object',
  required: ['kind', 'amount', 'balanceAfter', 'at'],
  properties: {
    kind: { type: 'string', enum: ['CHARGE', 'DEBIT', 'REFUND'] },
    amount: { type: 'integer', description: 'Points moved, always positive; the kind says which way' },
    balanceAfter: { type: 'integer' },
    paymentId: { type: 'string', description: 'The payment a debit or a refund belongs to' },
    at: dateTime,
  },
} as const;

const userParams = { type: 'object', required: ['userId'], properties: { userId } } as const;

const movementOf = (doc: PointMovementDoc) => ({
  kind: doc.kind,
  amount: doc.amount,
  balanceAfter: doc.balanceAfter,
  ...(doc.paymentId ? { paymentId: doc.paymentId } : {}),
  at: doc.at,
});

/** Points: top up, and look at the balance and how it moved. */
export function pointRoutes(ctx: ApiContext): FastifyPluginAsync {
  const { identity } = ctx;
  const user = { onRequest: identity.guard(), preValidation: identity.owner(pathUser) };
  return async (app) => {
    app.post<{ Params: { userId: string }; Body: { amount: number }; Headers: { 'idempotency-key'?: string } }>(
      '/users/:userId/points/charge',
      {
        schema: {
          tags: ['points'],
          summary: 'Add points; a retry with the same Idempotency-Key charges once',
          operationId: 'chargePoints',
          security: [{ user: [] }],
          params: userParams,
          headers: { type: 'object', properties: { 'idempotency-key': idempotencyKeyHeader } },
          body: { type: 'object', required: ['amount'], additionalProperties: false, properties: { amount: points }, examples: [examples.chargePoints.request] },
          response: { 200: { ...balanceView, examples: [examples.chargePoints.response] }, ...errors(...examples.chargePoints.errors) },
        },
        ...user,
        ...ctx.idempotency.hooks(() => ''),
      },
      async (request) => {
        const { userId: user } = request.params;
        // The key is also the charge id: a duplicate racing the first, even in another process, changes nothing.
        const result = await chargePoints(ctx.store, user, request.body.amount, ctx.clock.now(), request.headers['idempotency-key']);
        await ctx.consistency.settled(result.position, [balances, pointHistory]);
        return { userId: result.userId, balance: result.balance };
      },
    );

    app.get<{ Params: { userId: string } }>(
      '/users/:userId/points',
      {
        schema: {
          tags: ['points'],
          summary: 'The balance (0 for a user never seen)',
          operationId: 'getPointBalance',
          security: [{ user: [] }],
          params: userParams,
          response: { 200: { ...balanceView, examples: [examples.getPointBalance.response] }, ...errors(...examples.getPointBalance.errors) },
        },
        ...user,
      },
      async (request) => {
        const { userId: user } = request.params;
        const doc = await ctx.views.balances.get(user);
        return { userId: user, balance: doc?.balance ?? 0 };
      },
    );

    app.get<{ Params: { userId: string }; Querystring: PageQuery }>(
      '/users/:userId/points/history',
      {
        schema: {
          tags: ['points'],
          summary: "Every charge, debit and refund of a user's points, newest first (empty for a user never seen)",
          operationId: 'listPointHistory',
          security: [{ user: [] }],
          params: userParams,
          querystring: { type: 'object', additionalProperties: false, properties: pageQuery(HISTORY_PAGE) },
          response: {
            200: { type: 'array', items: movementView, headers: nextLinkHeader, examples: [examples.listPointHistory.response] },
            ...errors(...examples.listPointHistory.errors),
          },
        },
        onRequest: user.onRequest,
        preValidation: [user.preValidation, integerQuery('limit')],
      },
      async (request, reply) => {
        const docs = await answerPage(request, reply, ctx.views.pointHistory, { where: { userId: request.params.userId }, order: 'desc', defaultLimit: HISTORY_PAGE });
        return docs.map(movementOf);
      },
    );
  };
}
