import type { FastifyPluginAsync } from 'fastify';
import { Rejection } from '../../bus/decider.js';
import type { ApiContext } from '../../infra/http/context.js';
import { adminGuard } from '../../infra/http/admin.js';
import { notFound } from '../../infra/http/errors.js';
import { dateTime, errors, id, idempotencyKeyHeader, idempotencyKeyOf, points } from '../../infra/http/schemas.js';
import { examples } from '../../infra/http/examples.js';
import { concerts, schedules } from '../../projections/index.js';
import type { ScheduleDoc } from '../../projections/schedules.js';
import { registerConcert } from './register-concert.js';

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
  required: ['scheduleId', 'concertId', 'startsAt', 'bookingOpensAt', 'totalSeats', 'availableSeats', 'soldOut', 'price'],
  properties: {
    scheduleId: { type: 'string' },
    concertId: { type: 'string' },
    startsAt: dateTime,
    bookingOpensAt: dateTime,
    totalSeats: { type: 'integer' },
    availableSeats: { type: 'integer', description: 'Seats neither held nor reserved' },
    soldOut: { type: 'boolean', description: 'Every seat paid for' },
    price: { type: 'integer' },
  },
} as const;

const seatView = {
  type: 'object',
  required: ['seatNo', 'price', 'status'],
  properties: { seatNo: { type: 'integer' }, price: { type: 'integer' }, status: { type: 'string', enum: ['AVAILABLE', 'HELD', 'RESERVED'] } },
} as const;

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

    app.get(
      '/concerts',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'Every concert, oldest registration first',
          operationId: 'listConcerts',
          security: [],
          // An unknown parameter (a filter this route does not have) is refused rather than silently ignored.
          querystring: { type: 'object', additionalProperties: false, properties: {} },
          response: { 200: { type: 'array', items: concertSummary, examples: [examples.listConcerts.response] }, ...errors(...examples.listConcerts.errors) },
        },
      },
      async () => {
        const docs = await ctx.views.concerts.find({ sort: [['registeredAt', 'asc']] });
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
