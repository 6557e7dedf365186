import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from './context.js';
import { correlate } from './correlation.js';
import { notFound } from './errors.js';
import { dateTime, errors, id, nullable } from './schemas.js';
import { examples } from './examples.js';
import { parkedCount, positions, subscribers, type Subscriber, type SubscriberPosition } from './subscribers.js';
import { sagaTraces } from '../../projections/index.js';
import type { TraceEntry } from '../../projections/saga-traces.js';

/** A store that does not answer within this is reported down rather than hanging the probe. */
const PING_TIMEOUT_MS = 2_000;

async function answers(ping: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer')), PING_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch {
    return false; // reported as ok: false, which is the point of the probe
  } finally {
    clearTimeout(timer);
  }
}

const storeHealth = {
  type: 'object',
  required: ['kind', 'ok'],
  properties: { kind: { type: 'string' }, ok: { type: 'boolean' } },
} as const;

const healthView = {
  type: 'object',
  required: ['status', 'eventStore', 'readStore', 'projections', 'parked'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    eventStore: storeHealth,
    readStore: storeHealth,
    projections: {
      type: 'array',
      description: 'Every checkpointed subscriber: read models, reactions and timers of each service',
      items: {
        type: 'object',
        required: ['name', 'kind', 'position', 'head', 'behind', 'lag', 'lagUnit'],
        properties: {
          name: { type: 'string' },
          kind: { type: 'string', enum: ['read-model', 'reactions', 'timers'] },
          position: {
            ...nullable({ type: 'string' }),
            description: 'Last position applied, an opaque ordered integer of up to 128 bits, as a string; null before the first checkpoint',
          },
          head: { type: 'string', description: 'The head of $all the lag was measured against, as a string' },
          behind: { type: 'boolean', description: 'Whether $all holds events after position: the exact answer on every event store' },
          lag: {
            type: 'integer',
            description:
              'How far behind the head, in lagUnit: events of $all on SQLite (its positions are consecutive); on EventStoreDB, bytes of transaction log between the commit positions, since a difference of its packed positions counts nothing (0 while behind only within one transaction: see behind)',
          },
          lagUnit: { type: 'string', enum: ['events', 'bytes'] },
        },
      },
    },
    parked: { ...nullable({ type: 'integer' }), description: 'Events parked by reactions and not redriven; null when unknown' },
    pid: { type: 'integer', description: 'The process that answered: under --cluster or a load balancer, which of the api processes it was' },
  },
} as const;

const traceEntry = {
  type: 'object',
  required: ['position', 'eventId', 'streamId', 'revision', 'type', 'created', 'causationId'],
  properties: {
    position: { type: 'string' },
    eventId: { type: 'string' },
    streamId: { type: 'string' },
    revision: { type: 'integer' },
    type: { type: 'string' },
    created: dateTime,
    causationId: { ...nullable({ type: 'string' }), description: 'The eventId of the event this one answered (for a timer, the event that set it)' },
    data: { type: 'object', additionalProperties: true, description: "The event's data, e.g. a failure's `reason` (absent from traces recorded before it was kept)" },
    metadata: {
      type: 'object',
      additionalProperties: true,
      properties: { correlationId: { type: 'string' }, causationId: { type: 'string' }, timerId: { type: 'string' } },
      description: 'correlationId, causationId, and for an event a timer fired, timerId',
    },
  },
} as const;

/** Health, metrics and the saga trace: what an operator asks of a running system. */
export function operationsRoutes(ctx: ApiContext): FastifyPluginAsync {
  const list: Subscriber[] = subscribers(ctx);

  /** Positions for every subscriber, also kept in the lag gauge; empty when the stores cannot say. */
  async function lagging(): Promise<SubscriberPosition[]> {
    const found = await positions(ctx.store, ctx.reads, list, (name) => ctx.readSide.livePosition(name));
    for (const { name, lag } of found) ctx.metrics.setLag(name, lag);
    return found;
  }

  return async (app) => {
    app.get(
      '/health',
      {
        schema: {
          tags: ['operations'],
          summary: 'Stores reachable, how far every subscriber lags, how many events are parked',
          operationId: 'getHealth',
          security: [],
          // Probes send no parameters; one that does is told so rather than ignored.
          querystring: { type: 'object', additionalProperties: false, properties: {} },
          response: {
            200: { ...healthView, examples: [examples.getHealth.response] },
            503: { ...healthView, description: 'A store does not answer' },
            ...errors(...examples.getHealth.errors),
          },
        },
      },
      async (request, reply) => {
        const [eventsOk, readsOk] = await Promise.all([answers(() => ctx.store.ping()), answers(() => ctx.reads.ping())]);
        let projections: SubscriberPosition[] = [];
        let parked: number | null = null;
        if (eventsOk && readsOk) {
          try {
            [projections, parked] = await Promise.all([lagging(), parkedCount(ctx.store)]);
          } catch (error) {
            request.log.warn({ err: error }, 'health could not read the checkpoints');
          }
        }
        const ok = eventsOk && readsOk;
        return reply.code(ok ? 200 : 503).send({
          status: ok ? 'ok' : 'degraded',
          eventStore: { kind: ctx.store.kind, ok: eventsOk },
          readStore: { kind: ctx.reads.kind, ok: readsOk },
          projections,
          parked,
          pid: process.pid,
        });
      },
    );

    app.get(
      '/metrics',
      {
        schema: {
          tags: ['operations'],
          summary: 'Prometheus metrics: requests, saga outcomes and latency, subscriber lag',
          operationId: 'getMetrics',
          security: [],
          querystring: { type: 'object', additionalProperties: false, properties: {} },
          response: {
            // Text, not JSON: the route sends it as rendered; the schema only documents it.
            200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
            ...errors(...examples.getMetrics.errors),
          },
        },
      },
      async (request, reply) => {
        try {
          await lagging();
        } catch (error) {
          // The other metrics are still worth scraping; the lag gauge keeps its last values.
          request.log.warn({ err: error }, 'metrics could not read the checkpoints');
        }
        return reply.type(ctx.metrics.contentType).send(await ctx.metrics.render());
      },
    );

    app.get<{ Params: { paymentId: string } }>(
      '/payments/:paymentId/events',
      {
        schema: {
          tags: ['operations'],
          summary: "The payment's saga: its events across every stream, in global order, with causation links",
          operationId: 'tracePayment',
          description: "With user identity on, only the payment's user may read it, as with GET /payments/:paymentId.",
          security: [{ user: [] }],
          params: { type: 'object', required: ['paymentId'], properties: { paymentId: id } },
          response: { 200: { type: 'array', items: traceEntry, examples: [examples.tracePayment.response] }, ...errors(...examples.tracePayment.errors) },
        },
        onRequest: ctx.identity.guard(),
      },
      async (request) => {
        const { paymentId } = request.params;
        correlate(request, paymentId);
        const trace = await ctx.consistency.find(ctx.views.traces, sagaTraces, paymentId, (doc) => doc.requested);
        if (!trace) throw notFound('PAYMENT_NOT_FOUND', `no payment ${paymentId}`);
        // The saga's events are the payment's own data: its user's, like the payment.
        ctx.identity.requireOwner(request, userOf(trace.events));
        return trace.events;
      },
    );
  };
}

/** The user a saga is about: every event of a requested payment's trace names it. */
function userOf(events: readonly TraceEntry[]): string {
  for (const entry of events) {
    const { userId } = entry.data as { userId?: unknown };
    if (typeof userId === 'string') return userId;
  }
  // No event names a user: no caller can be its owner.
  return '';
}
