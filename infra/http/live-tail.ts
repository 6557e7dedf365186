import type { FastifyPluginAsync } from 'fastify';
import { filter } from 'rxjs';
import type { ApiContext } from './context.js';
import { adminGuard } from './admin.js';
import { HttpProblem } from './errors.js';
import { errors, id } from './schemas.js';
import { adminSecurity } from './admin-schemas.js';
import { examples } from './examples.js';
import { EventStream, sseFrame } from './event-stream.js';
import { onlyEvents } from '../eventstore/messages.js';
import type { SubscriptionStart } from '../eventstore/port.js';
import { UsageError } from '../inspect/errors.js';
import { tailFilter, type TailFilters } from '../inspect/tail-filter.js';
import { STREAM_CATEGORIES } from '../inspect/owners.js';
import { eventRecord } from '../inspect/event-record.js';

/**
 * GET /admin/events: concertctl tail for a browser, as server-sent events,
 * with tail's filters and refusals. Each connection writes through its own
 * bounded queue (EventStream, TAIL_BUFFER_EVENTS), so a slow reader is told
 * what it missed instead of holding anything up.
 */

/** A proxy closes a stream that says nothing for a minute or so; a comment now and then keeps it open. */
const KEEPALIVE_MS = 15_000;

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

const splitList = (raw: string | undefined) => (raw === undefined ? undefined : raw.split(','));

export function liveTailRoutes(ctx: ApiContext): FastifyPluginAsync {
  const onRequest = adminGuard(ctx.config.adminToken);
  const security = adminSecurity;
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
        let filtered: ReturnType<typeof tailFilter>;
        try {
          filtered = tailFilter(filters, (name) => name);
        } catch (error) {
          if (error instanceof UsageError) throw new HttpProblem(400, 'INVALID_FILTER', error.message);
          throw error;
        }
        const { server, local } = filtered;
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

    app.addHook('onClose', async () => {
      for (const stream of open) stream.end();
    });
  };
}
