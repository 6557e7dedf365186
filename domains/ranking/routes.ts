import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from '../../infra/http/context.js';
import { integerQuery } from '../../infra/http/query.js';
import { dateTime, errors } from '../../infra/http/schemas.js';
import { examples } from '../../infra/http/examples.js';

const rankedView = {
  type: 'object',
  required: ['rank', 'scheduleId', 'concertId', 'title', 'bookingOpenedAt', 'soldOutAt', 'durationMs'],
  properties: {
    rank: { type: 'integer' },
    scheduleId: { type: 'string' },
    concertId: { type: 'string' },
    title: { type: 'string' },
    bookingOpenedAt: dateTime,
    soldOutAt: dateTime,
    durationMs: { type: 'integer', description: 'From booking open to the last seat paid' },
  },
} as const;

/** The sold-out ranking: fastest sell-out first. */
export function rankingRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { limit?: number } }>(
      '/rankings/sold-out',
      {
        schema: {
          tags: ['ranking'],
          summary: 'Schedules that sold out, fastest first',
          operationId: 'listSoldOut',
          security: [],
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 } },
          },
          response: { 200: { type: 'array', items: rankedView, examples: [examples.listSoldOut.response] }, ...errors(...examples.listSoldOut.errors) },
        },
        preValidation: integerQuery('limit'),
      },
      async (request) => {
        const docs = await ctx.views.soldOut.find({
          sort: [
            ['durationMs', 'asc'],
            ['soldOutAt', 'asc'],
          ],
          limit: request.query.limit ?? 10,
        });
        return docs.map((doc, i) => ({
          rank: i + 1,
          scheduleId: doc.scheduleId,
          concertId: doc.concertId,
          title: doc.title,
          bookingOpenedAt: doc.bookingOpenedAt,
          soldOutAt: doc.soldOutAt,
          durationMs: doc.durationMs,
        }));
      },
    );
  };
}
