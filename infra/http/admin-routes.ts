import type { FastifyPluginAsync } from 'fastify';
import { filter } from 'rxjs';
import type { ApiContext } from './context.js';
import { adminGuard } from './admin.js';
import { HttpProblem, notFound } from './errors.js';
import { dateTime, errors, id, nullable } from './schemas.js';
import { examples } from './examples.js';
import { EventStream, sseFrame } from './event-stream.js';
import { onlyEvents } from '../eventstore/messages.js';
import type { SubscriptionStart } from '../eventstore/port.js';
import { CliError, UsageError } from '../inspect/errors.js';
import { tailFilter, type TailFilters } from '../inspect/tail-filter.js';
import { buildTrace, collectTrace, rootCause } from '../inspect/saga-trace.js';
import { serviceOf, STREAM_CATEGORIES } from '../inspect/owners.js';
import { eventRecord } from '../inspect/event-record.js';
import { foldStream, NothingToFold } from '../inspect/fold.js';
import { plainJson } from '../inspect/json.js';
import { deadLetters, redriveDelivery } from '../inspect/dead-letters.js';
import { readParked, redriveParked } from '../inspect/parked.js';
import type { PaymentDoc } from '../../projections/payments.js';
import { paymentIdFor } from '../../domains/payment/payment.js';

/**
 * What the operator console asks of the system, for the admin only: the
 * live tail (server-sent events), sagas, streams folded at a revision, dead
 * letters and parked reactions with their redrives. Each route calls the
 * function concertctl's subcommand calls (infra/inspect/), so the browser and
 * the terminal cannot disagree. Documented in the OpenAPI document under the
 * `admin` tag: they are part of the API an operator's scripts may use, behind
 * the same bearer token as POST /concerts.
 */

/** A proxy closes a stream that says nothing for a minute or so; a comment now and then keeps it open. */
const KEEPALIVE_MS = 15_000;

const eventView = {
  type: 'object',
  required: ['position', 'streamId', 'revision', 'type', 'created', 'id', 'data', 'metadata'],
  properties: {
    position: { type: 'string', description: 'Position in $all, as a string' },
    streamId: { type: 'string' },
    revision: { type: 'integer' },
    type: { type: 'string' },
    created: dateTime,
    id: { type: 'string' },
    data: { type: 'object', additionalProperties: true },
    metadata: {
      type: 'object',
      additionalProperties: true,
      properties: { correlationId: { type: 'string' }, causationId: { type: 'string' }, timerId: { type: 'string' } },
    },
  },
} as const;

const list = { type: 'string', minLength: 1, maxLength: 1_000, pattern: '^[A-Za-z-]+(,[A-Za-z-]+)*$' } as const;

const tailQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    stream: { ...id, description: 'One stream, e.g. payment-<paymentId>' },
    category: { ...list, description: `Stream categories, comma-separated (${STREAM_CATEGORIES.join(', ')})` },
    type: { ...list, description: 'Event types, comma-separated, e.g. PaymentFailed,SeatReleased' },
    correlation: { ...id, description: 'Only events of this correlation (a paymentId, a reservationId…)' },
    from: { type: 'string', pattern: '^(start|end|[0-9]{1,40})$', default: 'end', description: 'start, end, or a position (inclusive)' },
  },
} as const;

interface TailQuery {
  stream?: string;
  category?: string;
  type?: string;
  correlation?: string;
  from: string;
}

const sagaEvent = {
  ...eventView,
  required: [...eventView.required, 'service', 'parentId', 'cause', 'viaTimer', 'depth', 'sinceMs', 'compensation'],
  properties: {
    ...eventView.properties,
    service: { type: 'string', description: 'The service whose stream it is: its lane' },
    parentId: { ...nullable({ type: 'string' }), description: 'The event of this saga that caused it; null for a root' },
    cause: { type: 'string', enum: ['event', 'timer', 'request', 'elsewhere'], description: 'What started it: an event of the saga, a timer, a request, or an event outside the saga' },
    viaTimer: { type: 'boolean' },
    depth: { type: 'integer' },
    sinceMs: { type: 'integer', description: 'Milliseconds since its cause (or since the previous root)' },
    compensation: { type: 'boolean', description: 'It undoes a step this saga took (a seat released, points refunded)' },
  },
} as const;

const sagaView = {
  type: 'object',
  required: ['id', 'ref', 'outcome', 'durationMs', 'events'],
  properties: {
    id: { type: 'string' },
    ref: { type: 'object', additionalProperties: true, description: 'Who, what and how much: paymentId, reservationId, userId, concertId, scheduleId, seatNo, amount' },
    outcome: {
      type: 'object',
      required: ['status', 'compensations'],
      properties: {
        status: { type: 'string', enum: ['COMPLETED', 'FAILED', 'PENDING', 'UNKNOWN'] },
        reason: { type: 'string' },
        at: { type: 'string' },
        compensations: { type: 'array', items: { type: 'string' } },
        delivery: { type: 'string', description: 'The data platform delivery: PENDING, SUCCEEDED or DEAD_LETTERED (with the error)' },
      },
    },
    durationMs: { type: 'integer' },
    events: { type: 'array', items: sagaEvent, description: 'In global order' },
  },
} as const;

const paymentSummary = {
  type: 'object',
  required: ['paymentId', 'reservationId', 'userId', 'status', 'requestedAt'],
  properties: {
    paymentId: { type: 'string' },
    reservationId: { type: 'string' },
    userId: { type: 'string' },
    scheduleId: { type: 'string' },
    seatNo: { type: 'integer' },
    amount: { type: 'integer' },
    status: { type: 'string', enum: ['PENDING', 'COMPLETED', 'FAILED'] },
    requestedAt: dateTime,
  },
} as const;

const foldedView = {
  type: 'object',
  required: ['streamId', 'revision', 'of', 'state', 'events'],
  properties: {
    streamId: { type: 'string' },
    revision: { type: 'integer', description: 'The last revision folded; -1 before the first' },
    of: { type: 'integer', description: "The stream's last revision" },
    state: { description: "The aggregate's state after `revision`, as its service's evolve leaves it" },
    events: { type: 'array', items: eventView, description: 'Every event of the stream, past `revision` too' },
  },
} as const;

const deadLetterView = {
  type: 'object',
  required: ['paymentId', 'payload', 'attempts', 'lastStatus', 'lastError', 'deadLetteredAt'],
  properties: {
    paymentId: { type: 'string' },
    payload: { type: 'object', additionalProperties: true, description: 'What is sent to the data platform' },
    attempts: { type: 'integer' },
    lastStatus: { ...nullable({ type: 'integer' }), description: 'The last HTTP status; null when nothing answered' },
    lastError: nullable({ type: 'string' }),
    deadLetteredAt: dateTime,
  },
} as const;

const parkedView = {
  type: 'object',
  required: ['service', 'eventId', 'eventType', 'streamId', 'position', 'handler', 'attempts', 'error', 'parkedAt'],
  properties: {
    service: { type: 'string' },
    eventId: { type: 'string' },
    eventType: { type: 'string' },
    streamId: { type: 'string' },
    position: { type: 'string' },
    handler: { type: 'string', description: 'The reaction that gave up' },
    attempts: { type: 'integer' },
    error: { type: 'string' },
    parkedAt: dateTime,
    lastRedrive: { type: 'object', additionalProperties: true, description: 'The last redrive, which failed too' },
  },
} as const;

const redriveOutcome = {
  type: 'object',
  required: ['eventId', 'handler', 'outcome', 'redrivenAt'],
  properties: {
    eventId: { type: 'string' },
    handler: { type: 'string' },
    outcome: { type: 'string', enum: ['handled', 'failed'] },
    error: { type: 'string' },
    redrivenAt: dateTime,
  },
} as const;

const none = { type: 'object', additionalProperties: false, properties: {} } as const;
const security = [{ admin: [] }];
const splitList = (raw: string | undefined) => (raw === undefined ? undefined : raw.split(','));

/** A tool's refusal of the operator's input (an unknown category, nothing to fold) as the HTTP answer it is. */
function refusal<T>(code: string, status: 400 | 404, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof UsageError || error instanceof NothingToFold) throw new HttpProblem(status, code, error.message);
    throw error;
  }
}

export function adminRoutes(ctx: ApiContext): FastifyPluginAsync {
  const onRequest = adminGuard(ctx.config.adminToken);
  const open = new Set<EventStream>();

  return async (app) => {
    app.get<{ Querystring: TailQuery }>(
      '/admin/events',
      {
        onRequest,
        schema: {
          tags: ['admin'],
          summary: 'Live tail: events as they are appended, as server-sent events, with the filters of concertctl tail',
          description:
            'Frames: `ready` once the subscription stands (data: `{after}`, the position it follows from), then an `event` per event (id: its position, data: the event), ' +
            'and `skipped` (data: `{skipped}`) where events were dropped because the client read slower than they came (TAIL_BUFFER_EVENTS).',
          operationId: 'tailEvents',
          security,
          querystring: tailQuery,
          response: {
            200: { description: 'A stream of server-sent events', content: { 'text/event-stream': { schema: { type: 'string' } } } },
            ...errors(...examples.tailEvents.errors),
          },
        },
      },
      async (request, reply) => {
        const query = request.query;
        const filters: TailFilters = { stream: query.stream, category: splitList(query.category), type: splitList(query.type), correlation: query.correlation };
        const { server, local } = refusal('INVALID_FILTER', 400, () => tailFilter(filters, (name) => name));
        let start: SubscriptionStart;
        let after: string | null;
        if (query.from === 'end') {
          const head = await ctx.store.headPosition();
          start = head === null ? 'start' : { after: head };
          after = head === null ? null : head.toString();
        } else {
          const at = query.from === 'start' ? 0n : BigInt(query.from);
          start = at <= 0n ? 'start' : { after: at - 1n };
          after = at <= 0n ? null : (at - 1n).toString();
        }

        reply.hijack();
        const response = reply.raw;
        response.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          // nginx (see deploy/) would otherwise hold frames back to fill its buffer.
          'x-accel-buffering': 'no',
          // A tail's connection serves nothing after it: closed with the stream, it cannot hold a
          // closing server for the keep-alive timeout (72 s) once the stream has ended.
          connection: 'close',
        });
        const stream = new EventStream(response, ctx.config.tailBufferEvents);
        open.add(stream);
        stream.send(sseFrame('ready', { after }));
        const subscription = ctx.store
          .subscribe({ from: start, filter: server })
          .pipe(onlyEvents(), filter(local))
          .subscribe({
            next: (event) => stream.send(sseFrame('event', eventRecord(event), event.position.toString())),
            error: (error: unknown) => {
              request.log.warn({ err: error }, 'live tail: the subscription failed');
              finish();
            },
            complete: () => finish(),
          });
        const keepalive = setInterval(() => stream.comment('keepalive'), KEEPALIVE_MS);
        function finish() {
          clearInterval(keepalive);
          subscription.unsubscribe();
          ctx.closing.removeEventListener('abort', finish);
          open.delete(stream);
          stream.end();
        }
        response.once('close', finish);
        ctx.closing.addEventListener('abort', finish);
        if (ctx.closing.aborted) finish();
      },
    );

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
          summary: 'Deliveries the data platform refused for good, with their last error',
          operationId: 'listDeadLetters',
          security,
          querystring: none,
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
          summary: 'Take a dead letter back for a fresh round of attempts, due now (concertctl dead-letters redrive)',
          operationId: 'redriveDeadLetter',
          security,
          params: { type: 'object', required: ['paymentId'], properties: { paymentId: id } },
          response: {
            200: {
              type: 'object',
              required: ['paymentId', 'dueAt'],
              properties: { paymentId: { type: 'string' }, dueAt: dateTime },
              examples: [examples.redriveDeadLetter.response],
            },
            ...errors(...examples.redriveDeadLetter.errors),
          },
        },
      },
      async (request) => {
        const result = await redriveDelivery(ctx.store, request.params.paymentId, ctx.clock.now(), 'console');
        return { paymentId: result.paymentId, dueAt: result.dueAt };
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
          querystring: none,
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

    app.addHook('onClose', async () => {
      for (const stream of open) stream.end();
    });
  };
}
