import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from '../../infra/http/context.js';
import { errors, idempotencyKeyHeader, points, userId } from '../../infra/http/schemas.js';
import { examples } from '../../infra/http/examples.js';
import { balances } from '../../projections/index.js';
import { chargePoints } from './charge-points.js';

const balanceView = {
  type: 'object',
  required: ['userId', 'balance'],
  properties: { userId: { type: 'string' }, balance: { type: 'integer' } },
} as const;

const userParams = { type: 'object', required: ['userId'], properties: { userId } } as const;

/** Points: top up, and look at the balance. */
export function pointRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { userId: string }; Body: { amount: number }; Headers: { 'idempotency-key'?: string } }>(
      '/users/:userId/points/charge',
      {
        schema: {
          tags: ['points'],
          summary: 'Add points; a retry with the same Idempotency-Key charges once',
          operationId: 'chargePoints',
          security: [],
          params: userParams,
          headers: { type: 'object', properties: { 'idempotency-key': idempotencyKeyHeader } },
          body: { type: 'object', required: ['amount'], additionalProperties: false, properties: { amount: points }, examples: [examples.chargePoints.request] },
          response: { 200: { ...balanceView, examples: [examples.chargePoints.response] }, ...errors(...examples.chargePoints.errors) },
        },
        ...ctx.idempotency.hooks(() => ''),
      },
      async (request) => {
        const { userId: user } = request.params;
        // The key is also the charge id: a duplicate racing the first, even in another process, changes nothing.
        const result = await chargePoints(ctx.store, user, request.body.amount, ctx.clock.now(), request.headers['idempotency-key']);
        await ctx.consistency.settled(result.position, [balances]);
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
          security: [],
          params: userParams,
          response: { 200: { ...balanceView, examples: [examples.getPointBalance.response] }, ...errors(...examples.getPointBalance.errors) },
        },
      },
      async (request) => {
        const { userId: user } = request.params;
        const doc = await ctx.views.balances.get(user);
        return { userId: user, balance: doc?.balance ?? 0 };
      },
    );
  };
}
