import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from '../../infra/http/context.js';
import { HttpProblem, notFound } from '../../infra/http/errors.js';
import { guardedToken, queueTokenGuard } from '../../infra/http/queue-token.js';
import { dateTime, errors, id, idempotencyKeyHeader, idempotencyKeyOf, queueTokenHeader, userId } from '../../infra/http/schemas.js';
import { examples } from '../../infra/http/examples.js';
import { pathUser } from '../../infra/http/identity.js';
import { answerPage, nextLinkHeader, pageQuery, type PageQuery } from '../../infra/http/paging.js';
import { integerQuery } from '../../infra/http/query.js';
import { reservations, sagaTraces, schedules, seats, userReservations } from '../../projections/index.js';
import type { ReservationDoc } from '../../projections/reservations.js';
import type { UserReservationDoc } from '../../projections/user-reservations.js';
import { cancelRoute } from './cancel-route.js';
import { holdSeats } from './hold-seat.js';

/** API.md: one request holds 1 to 4 seats (MAX_SEATS_PER_USER bounds what a user has in all). */
const MAX_SEATS_PER_REQUEST = 4;

const status = { type: 'string', enum: ['HELD', 'RESERVED', 'EXPIRED', 'RELEASED', 'CANCELLING', 'CANCELLED'] } as const;

const reservationView = {
  type: 'object',
  required: ['reservationId', 'scheduleId', 'seatNo', 'seatNos', 'price', 'amount', 'userId', 'status', 'expiresAt'],
  properties: {
    reservationId: { type: 'string' },
    scheduleId: { type: 'string' },
    seatNo: { type: 'integer', description: 'The first of seatNos' },
    seatNos: { type: 'array', items: { type: 'integer' }, description: 'Every seat of the reservation, ascending' },
    price: { type: 'integer', description: 'Per seat' },
    amount: { type: 'integer', description: 'price × seats: what the payment debits' },
    userId: { type: 'string' },
    status,
    expiresAt: { ...dateTime, description: 'When the hold ends unless paid for' },
    paymentId: { type: 'string', description: 'Once a payment is requested for it' },
  },
} as const;

const RESERVATIONS_PAGE = 50;

const listedView = {
  type: 'object',
  required: ['reservationId', 'scheduleId', 'concertId', 'title', 'seatNos', 'amount', 'status', 'updatedAt'],
  properties: {
    reservationId: { type: 'string' },
    scheduleId: { type: 'string' },
    concertId: { type: 'string' },
    title: { type: 'string', description: "The concert's title" },
    seatNos: { type: 'array', items: { type: 'integer' }, description: 'Ascending' },
    amount: { type: 'integer', description: 'What the seats cost together' },
    status,
    paymentId: { type: 'string', description: 'Once a payment is requested for it' },
    updatedAt: { ...dateTime, description: 'When its status or payment last changed' },
  },
} as const;

const viewOf = (doc: ReservationDoc) => ({
  reservationId: doc.reservationId,
  scheduleId: doc.scheduleId,
  seatNo: doc.seatNo,
  seatNos: doc.seatNos ?? [doc.seatNo],
  price: doc.price,
  amount: doc.amount ?? doc.price,
  userId: doc.userId,
  status: doc.status,
  expiresAt: doc.expiresAt,
  ...(doc.paymentId ? { paymentId: doc.paymentId } : {}),
});

/**
 * The concert and title of each listed reservation, from the schedules model:
 * one look-up per schedule on the page, however many of its seats are listed.
 */
async function listed(ctx: ApiContext, docs: readonly UserReservationDoc[]) {
  const scheduleIds = [...new Set(docs.map((doc) => doc.scheduleId))];
  // A miss waits for the schedules model to catch up: it may run behind this list's model.
  const found = await Promise.all(scheduleIds.map((scheduleId) => ctx.consistency.find(ctx.views.schedules, schedules, scheduleId)));
  const scheduleOf = new Map(scheduleIds.map((scheduleId, i) => [scheduleId, found[i]]));
  return docs.map((doc) => {
    const schedule = scheduleOf.get(doc.scheduleId);
    return {
      reservationId: doc.reservationId,
      scheduleId: doc.scheduleId,
      // Only a schedule never opened (a hold appended by hand) has neither.
      concertId: schedule?.concertId ?? '',
      title: schedule?.title ?? '',
      seatNos: [...doc.seatNos].sort((a, b) => a - b),
      amount: doc.amount,
      status: doc.status,
      ...(doc.paymentId ? { paymentId: doc.paymentId } : {}),
      updatedAt: doc.updatedAt,
    };
  });
}

/**
 * Holding a seat (with an ACTIVE queue token), following the hold, and
 * cancelling it (cancel-route.ts).
 */
export function reservationRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    await app.register(cancelRoute(ctx));
    app.post<{ Body: { scheduleId: string; seatNo?: number; seatNos?: number[] } }>(
      '/reservations',
      {
        schema: {
          tags: ['reservations'],
          summary: `Hold one seat, or up to ${MAX_SEATS_PER_REQUEST} of one schedule all or nothing, for HOLD_TTL_MS (${ctx.config.holdTtlMs} ms here)`,
          description: `Either seatNo or seatNos. A user may hold or own at most MAX_SEATS_PER_USER (${ctx.config.maxSeatsPerUser} here) seats of one schedule.`,
          operationId: 'holdSeat',
          security: [{ queueToken: [] }],
          headers: { type: 'object', properties: { 'queue-token': queueTokenHeader, 'idempotency-key': idempotencyKeyHeader } },
          body: {
            type: 'object',
            required: ['scheduleId'],
            additionalProperties: false,
            properties: {
              scheduleId: id,
              seatNo: { type: 'integer', minimum: 1 },
              seatNos: {
                type: 'array',
                items: { type: 'integer', minimum: 1 },
                minItems: 1,
                maxItems: MAX_SEATS_PER_REQUEST,
                uniqueItems: true,
                description: 'Held all or nothing',
              },
            },
            oneOf: [{ required: ['seatNo'] }, { required: ['seatNos'] }],
            examples: [examples.holdSeat.request],
          },
          response: { 201: { ...reservationView, examples: [examples.holdSeat.response] }, ...errors(...examples.holdSeat.errors) },
        },
        onRequest: queueTokenGuard({ store: ctx.store, clock: ctx.clock, secret: ctx.queueSecret }, { requireActive: true }),
        ...ctx.idempotency.hooks((request) => guardedToken(request).userId),
      },
      async (request, reply) => {
        const token = guardedToken(request);
        const { scheduleId } = request.body;
        const seatNos = request.body.seatNos ?? [request.body.seatNo!];
        const schedule = await ctx.consistency.find(ctx.views.schedules, schedules, scheduleId);
        if (!schedule) throw notFound('SCHEDULE_NOT_FOUND', `no schedule ${scheduleId}`);
        if (seatNos.some((seatNo) => seatNo > schedule.totalSeats)) {
          throw notFound('SEAT_NOT_FOUND', `schedule ${scheduleId} has seats 1 to ${schedule.totalSeats}`);
        }
        // Early, without touching a seat: the seats themselves refuse too, for holds already past this check.
        if ((schedule.status ?? 'OPEN') !== 'OPEN') {
          throw new HttpProblem(409, 'SCHEDULE_CANCELLED', `schedule ${scheduleId} is cancelled`);
        }
        const now = ctx.clock.now();
        if (now.getTime() < Date.parse(schedule.bookingOpensAt)) {
          throw new HttpProblem(409, 'BOOKING_NOT_OPEN', `booking for schedule ${scheduleId} opens at ${schedule.bookingOpensAt}`);
        }
        if (now.getTime() >= Date.parse(schedule.startsAt)) {
          throw new HttpProblem(409, 'BOOKING_CLOSED', `schedule ${scheduleId} started at ${schedule.startsAt}`);
        }
        const hold = await holdSeats(ctx.store, { scheduleId, seatNos, userId: token.userId, price: schedule.price }, now, {
          ttlMs: ctx.config.holdTtlMs,
          maxSeats: ctx.config.maxSeatsPerUser,
          idempotencyKey: idempotencyKeyOf(request),
        });
        // The client's next steps read these: the hold (to pay), the seat map, the schedule's free seats.
        await ctx.consistency.settled(hold.position, [reservations, seats, schedules, sagaTraces, userReservations]);
        return reply.code(201).send({
          reservationId: hold.reservationId,
          scheduleId: hold.scheduleId,
          seatNo: hold.seatNo,
          seatNos: hold.seatNos,
          price: hold.price,
          amount: hold.amount,
          userId: hold.userId,
          status: 'HELD',
          expiresAt: hold.expiresAt,
        });
      },
    );

    app.get<{ Params: { reservationId: string } }>(
      '/reservations/:reservationId',
      {
        schema: {
          tags: ['reservations'],
          summary: 'A hold and what became of it',
          operationId: 'getReservation',
          security: [{ user: [] }],
          params: { type: 'object', required: ['reservationId'], properties: { reservationId: id } },
          response: { 200: { ...reservationView, examples: [examples.getReservation.response] }, ...errors(...examples.getReservation.errors) },
        },
        onRequest: ctx.identity.guard(),
      },
      async (request) => {
        const { reservationId } = request.params;
        const doc = await ctx.consistency.find(ctx.views.reservations, reservations, reservationId);
        if (!doc) throw notFound('RESERVATION_NOT_FOUND', `no reservation ${reservationId}`);
        ctx.identity.requireOwner(request, doc.userId);
        return viewOf(doc);
      },
    );

    app.get<{ Params: { userId: string }; Querystring: PageQuery }>(
      '/users/:userId/reservations',
      {
        schema: {
          tags: ['reservations'],
          summary: "A user's reservations, newest hold first (empty for a user never seen)",
          operationId: 'listUserReservations',
          security: [{ user: [] }],
          params: { type: 'object', required: ['userId'], properties: { userId } },
          querystring: { type: 'object', additionalProperties: false, properties: pageQuery(RESERVATIONS_PAGE) },
          response: {
            200: { type: 'array', items: listedView, headers: nextLinkHeader, examples: [examples.listUserReservations.response] },
            ...errors(...examples.listUserReservations.errors),
          },
        },
        onRequest: ctx.identity.guard(),
        preValidation: [ctx.identity.owner(pathUser), integerQuery('limit')],
      },
      async (request, reply) => {
        const docs = await answerPage(request, reply, ctx.views.userReservations, {
          where: { userId: request.params.userId },
          order: 'desc',
          defaultLimit: RESERVATIONS_PAGE,
        });
        return listed(ctx, docs);
      },
    );
  };
}
