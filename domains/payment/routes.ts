import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { load } from '../../bus/command.js';
import type { ApiContext } from '../../infra/http/context.js';
import { correlate } from '../../infra/http/correlation.js';
import { HttpProblem, notFound } from '../../infra/http/errors.js';
import { guardedToken, queueTokenGuard, requireActive } from '../../infra/http/queue-token.js';
import { integerQuery } from '../../infra/http/query.js';
import { dateTime, errors, id, idempotencyKeyHeader, paymentFields, paymentStatus, queueTokenHeader } from '../../infra/http/schemas.js';
import { examples } from '../../infra/http/examples.js';
import { payments, reservations, sagaTraces, schedules, userReservations } from '../../projections/index.js';
import type { PaymentDoc } from '../../projections/payments.js';
import { payment, paymentIdFor, paymentStream, type PaymentState } from './payment.js';
import { requestPayment } from './request-payment.js';

const MAX_WAIT_MS = 30_000;

const reason = {
  type: 'string',
  enum: ['HOLD_EXPIRED', 'NOT_HOLDER', 'ALREADY_RESERVED', 'INSUFFICIENT_BALANCE', 'TIMEOUT', 'SCHEDULE_CANCELLED'],
  description: 'Why it FAILED',
} as const;

const requestedView = {
  type: 'object',
  required: ['paymentId', 'reservationId', 'status'],
  properties: { paymentId: { type: 'string' }, reservationId: { type: 'string' }, status: paymentStatus, reason },
} as const;

const paymentView = {
  type: 'object',
  required: ['paymentId', 'reservationId', 'userId', 'amount', 'status', 'requestedAt'],
  properties: {
    ...paymentFields,
    reason,
    deadlineAt: { ...dateTime, description: 'A payment still PENDING then fails with TIMEOUT' },
    completedAt: dateTime,
    failedAt: dateTime,
    refundedAt: { ...dateTime, description: 'Once REFUNDED' },
  },
} as const;

const viewOf = (doc: PaymentDoc) => ({
  paymentId: doc.paymentId,
  reservationId: doc.reservationId,
  userId: doc.userId,
  scheduleId: doc.scheduleId,
  seatNo: doc.seatNo,
  amount: doc.amount,
  status: doc.status,
  ...(doc.reason ? { reason: doc.reason } : {}),
  requestedAt: doc.requestedAt,
  deadlineAt: doc.deadlineAt,
  ...(doc.completedAt ? { completedAt: doc.completedAt } : {}),
  ...(doc.failedAt ? { failedAt: doc.failedAt } : {}),
  ...(doc.refundedAt ? { refundedAt: doc.refundedAt } : {}),
});

/** A payment that exists already: 202 while it runs, 200 once it has ended. */
function answerExisting(reply: FastifyReply, paymentId: string, reservationId: string, state: PaymentState) {
  // A refund under way is the payment service's own business: the payment reads COMPLETED until it is REFUNDED.
  const status = state.status === 'REFUNDING' ? 'COMPLETED' : state.status;
  const ended = status !== 'PENDING';
  return reply.code(ended ? 200 : 202).send({ paymentId, reservationId, status, ...(state.reason ? { reason: state.reason } : {}) });
}

/** Paying for a hold (the saga's start) and following the payment to its end. */
export function paymentRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { reservationId: string } }>(
      '/payments',
      {
        schema: {
          tags: ['payments'],
          summary: "Pay for a hold with points; the token must be ACTIVE and the reservation's user's",
          operationId: 'requestPayment',
          description: 'One payment per reservation: a repeat answers with the same payment (202 while PENDING, 200 once ended).',
          security: [{ queueToken: [] }],
          headers: { type: 'object', properties: { 'queue-token': queueTokenHeader, 'idempotency-key': idempotencyKeyHeader } },
          body: { type: 'object', required: ['reservationId'], additionalProperties: false, properties: { reservationId: id }, examples: [examples.requestPayment.request] },
          response: {
            200: requestedView,
            202: { ...requestedView, examples: [examples.requestPayment.response] },
            ...errors(...examples.requestPayment.errors),
          },
        },
        // Active or not is decided below: a repeat of an existing payment is answered even after the token expired.
        onRequest: queueTokenGuard({ store: ctx.store, clock: ctx.clock, secret: ctx.queueSecret }, { requireActive: false }),
        ...ctx.idempotency.hooks((request) => guardedToken(request).userId),
      },
      async (request, reply) => {
        const token = guardedToken(request);
        const { reservationId } = request.body;
        const reservation = await ctx.consistency.find(ctx.views.reservations, reservations, reservationId);
        if (!reservation) throw notFound('RESERVATION_NOT_FOUND', `no reservation ${reservationId}`);
        if (reservation.userId !== token.userId) throw new HttpProblem(403, 'NOT_HOLDER', `reservation ${reservationId} is not held by ${token.userId}`);

        const paymentId = paymentIdFor(reservationId);
        correlate(request, paymentId);
        const existing = await load(ctx.store, payment, paymentStream(paymentId));
        if (existing.state.status !== 'NONE') return answerExisting(reply, paymentId, reservationId, existing.state);

        requireActive(token);
        const schedule = await ctx.consistency.find(ctx.views.schedules, schedules, reservation.scheduleId);
        if (!schedule) throw notFound('SCHEDULE_NOT_FOUND', `no schedule ${reservation.scheduleId}`);
        const result = await requestPayment(
          ctx.store,
          {
            reservationId,
            userId: reservation.userId,
            concertId: schedule.concertId,
            scheduleId: reservation.scheduleId,
            seatNo: reservation.seatNo,
            // One debit for every seat of the reservation.
            amount: reservation.amount ?? reservation.price,
            ...(reservation.seatNos && reservation.seatNos.length > 1 ? { seatNos: reservation.seatNos } : {}),
          },
          ctx.clock.now(),
          ctx.config.paymentDeadlineMs,
        );
        // A concurrent first request got there before this one: the same payment, as it stands.
        if (!result.created) return answerExisting(reply, paymentId, reservationId, result.state);
        request.log.info({ reservationId, userId: reservation.userId }, 'payment requested');
        await ctx.consistency.settled(result.position, [payments, reservations, sagaTraces, userReservations]);
        return reply.code(202).send({ paymentId, reservationId, status: 'PENDING' });
      },
    );

    app.get<{ Params: { paymentId: string }; Querystring: { waitMs?: number } }>(
      '/payments/:paymentId',
      {
        schema: {
          tags: ['payments'],
          summary: 'A payment; with waitMs, held until it ends or waitMs passes',
          operationId: 'getPayment',
          security: [{ user: [] }],
          params: { type: 'object', required: ['paymentId'], properties: { paymentId: id } },
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { waitMs: { type: 'integer', minimum: 0, maximum: MAX_WAIT_MS, description: 'Long poll: the longest to wait for the end' } },
          },
          response: { 200: { ...paymentView, examples: [examples.getPayment.response] }, ...errors(...examples.getPayment.errors) },
        },
        onRequest: ctx.identity.guard(),
        preValidation: integerQuery('waitMs'),
      },
      async (request, reply) => {
        const { paymentId } = request.params;
        correlate(request, paymentId);
        let doc = await ctx.consistency.find(ctx.views.payments, payments, paymentId);
        if (!doc) throw notFound('PAYMENT_NOT_FOUND', `no payment ${paymentId}`);
        ctx.identity.requireOwner(request, doc.userId);
        const deadline = Date.now() + (request.query.waitMs ?? 0);
        // The wait ends when the client goes away or the server closes, not only when the payment moves.
        const gone = new AbortController();
        reply.raw.once('close', () => gone.abort());
        const ended = AbortSignal.any([gone.signal, ctx.closing]);
        while (doc.status === 'PENDING' && !ended.aborted) {
          const left = deadline - Date.now();
          if (left <= 0) break;
          // Asked before reading again, so that a change landing in between is not missed.
          const change = ctx.readSide.changed(payments.name, paymentId, left, ended);
          doc = (await ctx.views.payments.get(paymentId)) ?? doc;
          if (doc.status !== 'PENDING') break;
          await change;
          doc = (await ctx.views.payments.get(paymentId)) ?? doc;
        }
        return viewOf(doc);
      },
    );
  };
}
