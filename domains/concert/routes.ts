import type { FastifyPluginAsync } from 'fastify';
import { Rejection } from '../../bus/decider.js';
import type { ApiContext } from '../../infra/http/context.js';
import { adminGuard } from '../../infra/http/admin.js';
import { notFound } from '../../infra/http/errors.js';
import { dateTime, errors, id, idempotencyKeyHeader, idempotencyKeyOf, points } from '../../infra/http/schemas.js';
import { examples } from '../../infra/http/examples.js';
import { answerPage, nextLinkHeader, pageQuery, type PageQuery } from '../../infra/http/paging.js';
import { integerQuery } from '../../infra/http/query.js';
import { concerts, schedules } from '../../projections/index.js';
import type { ScheduleDoc } from '../../projections/schedules.js';
import { registerConcert } from './register-concert.js';
import { cancelSchedule } from './cancel-schedule.js';

interface NewScheduleBody {
  startsAt: string;
  bookingOpensAt?: string;
  seatCount: number;
  price: number;
}

interface NewConcertBody {
  title: string;
  schedules: NewScheduleBody[];
}

const newConcertBody = {
  type: 'object',
  required: ['title', 'schedules'],
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200 },
    schedules: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: {
        type: 'object',
        required: ['startsAt', 'seatCount', 'price'],
        additionalProperties: false,
        properties: {
          startsAt: dateTime,
          bookingOpensAt: { ...dateTime, description: 'Defaults to now; not after startsAt' },
          seatCount: { type: 'integer', minimum: 1, maximum: 1_000 },
          price: points,
        },
      },
    },
  },
} as const;

const registeredSchedule = {
  type: 'object',
  required: ['scheduleId', 'startsAt', 'bookingOpensAt', 'seatCount', 'price'],
  properties: { scheduleId: { type: 'string' }, startsAt: dateTime, bookingOpensAt: dateTime, seatCount: { type: 'integer' }, price: { type: 'integer' } },
} as const;

const concertSummary = {
  type: 'object',
  required: ['concertId', 'title', 'scheduleCount'],
  properties: { concertId: { type: 'string' }, title: { type: 'string' }, scheduleCount: { type: 'integer' } },
} as const;

const scheduleView = {
  type: 'object',
  required: ['scheduleId', 'concertId', 'startsAt', 'bookingOpensAt', 'totalSeats', 'availableSeats', 'soldOut', 'price', 'status', 'refundsPending'],
  properties: {
    scheduleId: { type: 'string' },
    concertId: { type: 'string' },
    startsAt: dateTime,
    bookingOpensAt: dateTime,
    totalSeats: { type: 'integer' },
    availableSeats: { type: 'integer', description: 'Seats neither held nor reserved' },
    soldOut: { type: 'boolean', description: 'Every seat paid for' },
    price: { type: 'integer' },
    status: { type: 'string', enum: ['OPEN', 'CANCELLING', 'CANCELLED'], description: 'CANCELLING from the admin\'s cancel until every seat is withdrawn and every payment undone' },
    refundsPending: { type: 'integer', description: 'Refunds of completed payments the cancellation asked for and that are not done yet' },
  },
} as const;

const cancelAnswer = {
  type: 'object',
  required: ['scheduleId', 'status'],
  properties: { scheduleId: { type: 'string' }, status: { type: 'string', enum: ['CANCELLING', 'CANCELLED'] } },
} as const;

const seatView = {
  type: 'object',
  required: ['seatNo', 'price', 'status'],
  properties: { seatNo: { type: 'integer' }, price: { type: 'integer' }, status: { type: 'string', enum: ['AVAILABLE', 'HELD', 'RESERVED'] } },
} as const;

const CONCERTS_PAGE = 50;

/**
 * Titles are compared case-folded in JavaScript, not by the store: SQLite's
 * LIKE folds only ASCII and MongoDB's regex folds Unicode, and the catalogue
 * must answer the same on both.
 */
const folded = (text: string) => text.normalize('NFKC').toLowerCase();

/** A valid date-time can still be no instant JavaScript knows (a leap second): refused, not stored as NaN. */
function instant(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Rejection('invalid', 'INVALID_DATE', `${field} is not a time this service can represent: ${value}`);
  return new Date(ms).toISOString();
}

const scheduleOf = (doc: ScheduleDoc) => ({
  scheduleId: doc.scheduleId,
  concertId: doc.concertId,
  startsAt: doc.startsAt,
  bookingOpensAt: doc.bookingOpensAt,
  totalSeats: doc.totalSeats,
  availableSeats: doc.availableSeats,
  soldOut: doc.soldOut,
  price: doc.price,
  // Documents projected before cancellations existed have neither.
  status: doc.status ?? 'OPEN',
  refundsPending: doc.refundsPending ?? 0,
});

/** The catalogue: the admin registers concerts, anyone browses them down to the seat. */
export function concertRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: NewConcertBody }>(
      '/concerts',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'Register a concert with its schedules (admin)',
          operationId: 'registerConcert',
          security: [{ admin: [] }],
          headers: { type: 'object', properties: { 'idempotency-key': idempotencyKeyHeader } },
          body: { ...newConcertBody, examples: [examples.registerConcert.request] },
          response: {
            201: {
              type: 'object',
              required: ['concertId', 'title', 'schedules'],
              properties: { concertId: { type: 'string' }, title: { type: 'string' }, schedules: { type: 'array', items: registeredSchedule } },
              examples: [examples.registerConcert.response],
            },
            ...errors(...examples.registerConcert.errors),
          },
        },
        onRequest: adminGuard(ctx.config.adminToken),
        ...ctx.idempotency.hooks(() => 'admin'),
      },
      async (request, reply) => {
        const { title, schedules: asked } = request.body;
        const result = await registerConcert(
          ctx.store,
          {
            title,
            schedules: asked.map((s, i) => ({
              startsAt: instant(s.startsAt, `schedules[${i}].startsAt`),
              bookingOpensAt: s.bookingOpensAt === undefined ? undefined : instant(s.bookingOpensAt, `schedules[${i}].bookingOpensAt`),
              seatCount: s.seatCount,
              price: s.price,
            })),
          },
          ctx.clock.now(),
          idempotencyKeyOf(request),
        );
        await ctx.consistency.settled(result.position, [concerts, schedules]);
        return reply.code(201).send({
          concertId: result.concertId,
          title: result.title,
          schedules: result.schedules.map(({ scheduleId, startsAt, bookingOpensAt, seatCount, price }) => ({
            scheduleId,
            startsAt,
            bookingOpensAt,
            seatCount,
            price,
          })),
        });
      },
    );

    app.post<{ Params: { scheduleId: string } }>(
      '/schedules/:scheduleId/cancel',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'Cancel a schedule (admin): no more holds, holds released, pending payments failed, completed ones refunded',
          description: 'Answers once the schedule reads CANCELLING, so that any hold asked for after the answer is refused. A repeat answers the current status.',
          operationId: 'cancelSchedule',
          security: [{ admin: [] }],
          params: { type: 'object', required: ['scheduleId'], properties: { scheduleId: id } },
          response: { 202: { ...cancelAnswer, examples: [examples.cancelSchedule.response] }, ...errors(...examples.cancelSchedule.errors) },
        },
        onRequest: adminGuard(ctx.config.adminToken),
      },
      async (request, reply) => {
        const { scheduleId } = request.params;
        const schedule = await ctx.consistency.find(ctx.views.schedules, schedules, scheduleId);
        if (!schedule) throw notFound('SCHEDULE_NOT_FOUND', `no schedule ${scheduleId}`);
        const { position } = await cancelSchedule(ctx.store, schedule, ctx.clock.now());
        if (position !== null) {
          await ctx.consistency.settled(position, [schedules]);
          return reply.code(202).send({ scheduleId, status: 'CANCELLING' });
        }
        // A repeat wrote nothing, but the first cancel's answer may have been lost before the model showed it.
        await ctx.consistency.settled(await ctx.store.headPosition(), [schedules]);
        const now = await ctx.views.schedules.get(scheduleId);
        return reply.code(202).send({ scheduleId, status: now?.status === 'CANCELLED' ? 'CANCELLED' : 'CANCELLING' });
      },
    );

    app.get<{ Querystring: PageQuery & { q?: string } }>(
      '/concerts',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'Concerts, oldest registration first; `q` keeps those whose title contains it (any case)',
          operationId: 'listConcerts',
          security: [],
          // An unknown parameter (a filter this route does not have) is refused rather than silently ignored.
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { q: { type: 'string', minLength: 1, maxLength: 100, description: 'Part of the title, any case' }, ...pageQuery(CONCERTS_PAGE) },
          },
          response: {
            200: { type: 'array', items: concertSummary, headers: nextLinkHeader, examples: [examples.listConcerts.response] },
            ...errors(...examples.listConcerts.errors),
          },
        },
        preValidation: integerQuery('limit'),
      },
      async (request, reply) => {
        const { q } = request.query;
        const wanted = q === undefined ? undefined : folded(q);
        const docs = await answerPage(request, reply, ctx.views.concerts, {
          order: 'asc',
          defaultLimit: CONCERTS_PAGE,
          keep: wanted === undefined ? undefined : (doc) => folded(doc.title).includes(wanted),
        });
        return docs.map(({ concertId, title, scheduleCount }) => ({ concertId, title, scheduleCount }));
      },
    );

    app.get<{ Params: { concertId: string } }>(
      '/concerts/:concertId/schedules',
      {
        schema: {
          tags: ['catalogue'],
          summary: "A concert's schedules with their free seats, earliest first",
          operationId: 'listSchedules',
          security: [],
          params: { type: 'object', required: ['concertId'], properties: { concertId: id } },
          response: { 200: { type: 'array', items: scheduleView, examples: [examples.listSchedules.response] }, ...errors(...examples.listSchedules.errors) },
        },
      },
      async (request) => {
        const { concertId } = request.params;
        const concert = await ctx.consistency.find(ctx.views.concerts, concerts, concertId);
        if (!concert) throw notFound('CONCERT_NOT_FOUND', `no concert ${concertId}`);
        const docs = await ctx.views.schedules.find({ where: { concertId }, sort: [['startsAt', 'asc']] });
        return docs.map(scheduleOf);
      },
    );

    app.get<{ Params: { scheduleId: string } }>(
      '/schedules/:scheduleId',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'One schedule with its free seats, and once cancelled how far its cancellation has come',
          operationId: 'getSchedule',
          security: [],
          params: { type: 'object', required: ['scheduleId'], properties: { scheduleId: id } },
          response: { 200: { ...scheduleView, examples: [examples.getSchedule.response] }, ...errors(...examples.getSchedule.errors) },
        },
      },
      async (request) => {
        const { scheduleId } = request.params;
        const doc = await ctx.consistency.find(ctx.views.schedules, schedules, scheduleId);
        if (!doc) throw notFound('SCHEDULE_NOT_FOUND', `no schedule ${scheduleId}`);
        return scheduleOf(doc);
      },
    );

    app.get<{ Params: { scheduleId: string } }>(
      '/schedules/:scheduleId/seats',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'The seat map of a schedule: every seat from 1 to its seat count',
          operationId: 'listSeats',
          security: [],
          params: { type: 'object', required: ['scheduleId'], properties: { scheduleId: id } },
          response: { 200: { type: 'array', items: seatView, examples: [examples.listSeats.response] }, ...errors(...examples.listSeats.errors) },
        },
      },
      async (request) => {
        const { scheduleId } = request.params;
        const schedule = await ctx.consistency.find(ctx.views.schedules, schedules, scheduleId);
        if (!schedule) throw notFound('SCHEDULE_NOT_FOUND', `no schedule ${scheduleId}`);
        const taken = new Map((await ctx.views.seats.find({ where: { scheduleId } })).map((seat) => [seat.seatNo, seat.status]));
        return Array.from({ length: schedule.totalSeats }, (_, i) => ({
          seatNo: i + 1,
          price: schedule.price,
          status: taken.get(i + 1) ?? 'AVAILABLE',
        }));
      },
    );
  };
}
