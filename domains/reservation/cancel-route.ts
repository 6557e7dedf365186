import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from '../../infra/http/context.js';
import { correlate } from '../../infra/http/correlation.js';
import { HttpProblem, notFound } from '../../infra/http/errors.js';
import { bodyUser } from '../../infra/http/identity.js';
import { errors, id, idempotencyKeyHeader, userId } from '../../infra/http/schemas.js';
import { examples } from '../../infra/http/examples.js';
import { payments, reservations, sagaTraces, schedules, seats, userReservations } from '../../projections/index.js';
import { paymentIdFor } from '../payment/payment.js';
import { cancelReservation } from './cancel-reservation.js';

const cancelledView = {
  type: 'object',
  required: ['reservationId', 'status'],
  properties: {
    reservationId: { type: 'string' },
    paymentId: { type: 'string', description: 'The payment being refunded (CANCELLING)' },
    status: { type: 'string', enum: ['RELEASED', 'CANCELLING'] },
  },
} as const;

/**
 * POST /reservations/:reservationId/cancel: its user gives a hold up at once,
 * or asks for a paid reservation's refund (the saga does the rest). A repeat
 * answers as the first did.
 */
export function cancelRoute(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { reservationId: string }; Body: { userId: string } }>(
      '/reservations/:reservationId/cancel',
      {
        schema: {
          tags: ['reservations'],
          summary: 'Cancel a reservation: a hold is released at once (200); a paid one is refunded through the saga (202)',
          description: `A paid reservation may be cancelled until CANCELLATION_CUTOFF_MS (${ctx.config.cancellationCutoffMs} ms here) before its schedule starts. A repeat answers as the first did.`,
          operationId: 'cancelReservation',
          security: [{ user: [] }],
          headers: { type: 'object', properties: { 'idempotency-key': idempotencyKeyHeader } },
          params: { type: 'object', required: ['reservationId'], properties: { reservationId: id } },
          body: { type: 'object', required: ['userId'], additionalProperties: false, properties: { userId }, examples: [examples.cancelReservation.request] },
          response: {
            200: { ...cancelledView, examples: [examples.cancelReservation.released] },
            202: { ...cancelledView, examples: [examples.cancelReservation.response] },
            ...errors(...examples.cancelReservation.errors),
          },
        },
        onRequest: ctx.identity.guard(),
        preValidation: ctx.identity.owner(bodyUser),
        ...ctx.idempotency.hooks((request) => (request.body as { userId: string }).userId),
      },
      async (request, reply) => {
        const { reservationId } = request.params;
        const doc = await ctx.consistency.find(ctx.views.reservations, reservations, reservationId);
        if (!doc) throw notFound('RESERVATION_NOT_FOUND', `no reservation ${reservationId}`);
        // In the demo too (no user tokens): only the reservation's user may cancel it.
        if (doc.userId !== request.body.userId) throw new HttpProblem(403, 'NOT_OWNER', `reservation ${reservationId} is not ${request.body.userId}'s`);
        correlate(request, paymentIdFor(reservationId));
        const released = { reservationId, status: 'RELEASED' } as const;
        if (doc.status === 'RELEASED' && doc.releaseReason === 'USER') return reply.code(200).send(released);
        if (doc.status === 'EXPIRED' || doc.status === 'RELEASED') {
          throw new HttpProblem(409, 'NOT_CANCELLABLE', `reservation ${reservationId} is ${doc.status}`);
        }
        const cutoffAt = async () => {
          const schedule = await ctx.consistency.find(ctx.views.schedules, schedules, doc.scheduleId);
          if (!schedule) throw notFound('SCHEDULE_NOT_FOUND', `no schedule ${doc.scheduleId}`);
          return new Date(Date.parse(schedule.startsAt) - ctx.config.cancellationCutoffMs);
        };
        const outcome = await cancelReservation(ctx.store, { ...doc, seatNos: doc.seatNos ?? [doc.seatNo] }, ctx.clock.now(), cutoffAt);
        // A repeat, and the client's next look at the reservation, its payment or the seat map, must find the cancellation.
        await ctx.consistency.settled(outcome.position, [reservations, payments, seats, schedules, sagaTraces, userReservations]);
        if (outcome.status === 'RELEASED') return reply.code(200).send(released);
        return reply.code(202).send({ reservationId, paymentId: outcome.paymentId, status: 'CANCELLING' });
      },
    );
  };
}
