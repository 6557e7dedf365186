import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from './context.js';
import { adminGuard } from './admin.js';
import { HttpProblem, notFound } from './errors.js';
import { dateTime, errors, id } from './schemas.js';
import { examples } from './examples.js';
import { adminSecurity, deadLetterView, foldedView, noQuery, parkedView, paymentSummary, redriveOutcome, sagaView } from './admin-schemas.js';
import { liveTailRoutes } from './live-tail.js';
import { CliError } from '../inspect/errors.js';
import { buildTrace, collectTrace, rootCause } from '../inspect/saga-trace.js';
import { serviceOf } from '../inspect/owners.js';
import { eventRecord } from '../inspect/event-record.js';
import { foldStream, NothingToFold } from '../inspect/fold.js';
import { plainJson } from '../inspect/json.js';
import { deadLetters, redriveDelivery } from '../inspect/dead-letters.js';
import { readParked, redriveParked } from '../inspect/parked.js';
import type { PaymentDoc } from '../../projections/payments.js';
import { paymentIdFor } from '../../domains/payment/payment.js';

/**
 * What the operator console asks of the system, for the admin only: the
 * live tail (live-tail.ts), sagas, streams folded at a revision, dead
 * letters and parked reactions with their redrives. Each route calls the
 * function concertctl's subcommand calls (infra/inspect/), so the browser and
 * the terminal cannot disagree. Documented in the OpenAPI document under the
 * `admin` tag: they are part of the API an operator's scripts may use, behind
 * the same bearer token as POST /concerts.
 */

export function adminRoutes(ctx: ApiContext): FastifyPluginAsync {
  const onRequest = adminGuard(ctx.config.adminToken);
  const security = adminSecurity;

  return async (app) => {
    await app.register(liveTailRoutes(ctx));

    app.get<{ Querystring: { q: string } }>(
      '/admin/sagas',
      {
        onRequest,
        schema: {
          tags: ['admin'],
          summary: 'Find payments by payment id, reservation id or user id, newest first',
          operationId: 'findSagas',
          security,
          querystring: { type: 'object', required: ['q'], additionalProperties: false, properties: { q: id } },
          response: { 200: { type: 'array', items: paymentSummary, examples: [examples.findSagas.response] }, ...errors(...examples.findSagas.errors) },
        },
      },
      async (request) => {
        const { q } = request.query;
        const found = new Map<string, PaymentDoc>();
        const add = (docs: readonly (PaymentDoc | null)[]) => docs.forEach((doc) => doc && found.set(doc.paymentId, doc));
        add([await ctx.views.payments.get(q), await ctx.views.payments.get(paymentIdFor(q))]);
        add(await ctx.views.payments.find({ where: { userId: q }, sort: [['requestedAt', 'desc']], limit: 100 }));
        return [...found.values()]
          .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))
          .map(({ paymentId, reservationId, userId, scheduleId, seatNo, amount, status, requestedAt }) => ({
            paymentId,
            reservationId,
            userId,
            scheduleId,
            seatNo,
            amount,
            status,
            requestedAt,
          }));
      },
    );

    app.get<{ Params: { id: string } }>(
      '/admin/sagas/:id',
      {
        onRequest,
        schema: {
          tags: ['admin'],
          summary: 'One saga as a causation tree, from the event store: what concertctl trace shows',
          operationId: 'traceSaga',
          security,
          params: { type: 'object', required: ['id'], properties: { id: { ...id, description: 'A paymentId, a reservationId or any correlationId' } } },
          response: { 200: { ...sagaView, examples: [examples.traceSaga.response] }, ...errors(...examples.traceSaga.errors) },
        },
      },
      async (request) => {
        const { id: sagaId } = request.params;
        const trace = buildTrace(sagaId, await collectTrace(ctx.store, sagaId));
        if (trace.nodes.length === 0) throw notFound('SAGA_NOT_FOUND', `no events for ${sagaId}: not a paymentId, reservationId or correlationId in this store`);
        const compensating = new Set(trace.outcome.compensations);
        return {
          id: trace.id,
          ref: trace.ref,
          outcome: trace.outcome,
          durationMs: trace.durationMs,
          events: trace.nodes.map((node) => ({
            ...eventRecord(node.event),
            service: serviceOf(node.event.streamId),
            parentId: node.parent?.event.id ?? null,
            cause: node.parent ? 'event' : rootCause(node.event),
            viaTimer: node.viaTimer,
            depth: node.depth,
            sinceMs: node.sinceMs,
            compensation: compensating.has(node.event.type),
          })),
        };
      },
    );

    app.get<{ Params: { streamId: string }; Querystring: { toRevision?: string } }>(
      '/admin/streams/:streamId',
      {
        onRequest,
        schema: {
          tags: ['admin'],
          summary: "A stream's events and its aggregate's state folded up to a revision: what concertctl replay shows",
          operationId: 'foldStream',
          security,
          params: { type: 'object', required: ['streamId'], properties: { streamId: { ...id, description: 'e.g. seat-<scheduleId>_<seatNo>, payment-<paymentId>' } } },
          querystring: {
            type: 'object',
            additionalProperties: false,
            // A query string is text: a revision is written as its digits.
            properties: { toRevision: { type: 'string', pattern: '^[0-9]{1,9}$', description: 'The last revision folded (inclusive); the whole stream when absent' } },
          },
          response: { 200: { ...foldedView, examples: [examples.foldStream.response] }, ...errors(...examples.foldStream.errors) },
        },
      },
      async (request) => {
        const { streamId } = request.params;
        const toRevision = request.query.toRevision === undefined ? undefined : Number(request.query.toRevision);
        let folded;
        try {
          folded = await foldStream(ctx.store, streamId, { toRevision });
        } catch (error) {
          if (error instanceof NothingToFold) throw notFound('STREAM_NOT_FOUND', error.message);
          throw error;
        }
        return {
          streamId,
          revision: folded.steps.at(-1)?.event.revision ?? -1,
          of: folded.events.at(-1)?.revision ?? -1,
          state: plainJson(folded.state),
          events: folded.events.map(eventRecord),
        };
      },
    );

    app.get(
      '/admin/dead-letters',
      {
        onRequest,
        schema: {
          tags: ['admin'],
          summary: 'Deliveries the data platform refused for good (reservations, and cancellations of refunded payments), with their last error',
          operationId: 'listDeadLetters',
          security,
          querystring: noQuery,
          response: { 200: { type: 'array', items: deadLetterView, examples: [examples.listDeadLetters.response] }, ...errors(...examples.listDeadLetters.errors) },
        },
      },
      async () => deadLetters(ctx.store),
    );

    app.post<{ Params: { paymentId: string } }>(
      '/admin/dead-letters/:paymentId/redrive',
      {
        onRequest,
        schema: {
          tags: ['admin'],
          summary: "Take a payment's dead letter (its cancellation's if that is dead, else its reservation's) back for a fresh round of attempts, due now (concertctl dead-letters redrive)",
          operationId: 'redriveDeadLetter',
          security,
          params: { type: 'object', required: ['paymentId'], properties: { paymentId: id } },
          response: {
            200: {
              type: 'object',
              required: ['paymentId', 'dueAt'],
              properties: {
                paymentId: { type: 'string' },
                kind: { type: 'string', enum: ['cancellation'], description: "Present when it was the payment's cancellation that was redriven" },
                dueAt: dateTime,
              },
              examples: [examples.redriveDeadLetter.response],
            },
            ...errors(...examples.redriveDeadLetter.errors),
          },
        },
      },
      async (request) => {
        const result = await redriveDelivery(ctx.store, request.params.paymentId, ctx.clock.now(), 'console');
        return { paymentId: result.paymentId, ...(result.kind ? { kind: result.kind } : {}), dueAt: result.dueAt };
      },
    );

    app.get(
      '/admin/parked',
      {
        onRequest,
        schema: {
          tags: ['admin'],
          summary: 'Events a reaction gave up on, minus those redriven since',
          operationId: 'listParked',
          security,
          querystring: noQuery,
          response: { 200: { type: 'array', items: parkedView, examples: [examples.listParked.response] }, ...errors(...examples.listParked.errors) },
        },
      },
      async () =>
        (await readParked(ctx.store)).map(({ service, parked, lastRedrive }) => ({
          service,
          eventId: parked.eventId,
          eventType: parked.eventType,
          streamId: parked.streamId,
          position: String(parked.position),
          handler: parked.handler,
          attempts: parked.attempts,
          error: parked.error,
          parkedAt: parked.parkedAt,
          ...(lastRedrive ? { lastRedrive } : {}),
        })),
    );

    app.post<{ Params: { eventId: string } }>(
      '/admin/parked/:eventId/redrive',
      {
        onRequest,
        schema: {
          tags: ['admin'],
          summary: 'Run the reactions that parked this event on it again, as their service would, and record the outcome (concertctl parked redrive)',
          operationId: 'redriveParked',
          security,
          params: { type: 'object', required: ['eventId'], properties: { eventId: id } },
          response: { 200: { type: 'array', items: redriveOutcome, examples: [examples.redriveParked.response] }, ...errors(...examples.redriveParked.errors) },
        },
      },
      async (request) => {
        const { eventId } = request.params;
        const entries = (await readParked(ctx.store)).filter((entry) => entry.parked.eventId === eventId);
        if (entries.length === 0) throw notFound('PARKED_EVENT_NOT_FOUND', `no parked event ${eventId} (already redriven, or never parked)`);
        const outcomes = [];
        for (const entry of entries) {
          try {
            outcomes.push(await redriveParked({ events: ctx.store, reads: ctx.reads }, ctx.config, entry, ctx.clock.now()));
          } catch (error) {
            // Its reaction was removed since, or its event is gone: nothing to run, and the operator is told which.
            if (error instanceof CliError) throw new HttpProblem(409, 'CANNOT_REDRIVE', error.message);
            throw error;
          }
        }
        return outcomes;
      },
    );

  };
}
