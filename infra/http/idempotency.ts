import { createHash } from 'node:crypto';
import type {
  FastifyReply,
  FastifyRequest,
  onRequestAbortAsyncHookHandler,
  onResponseAsyncHookHandler,
  onSendAsyncHookHandler,
  preHandlerAsyncHookHandler,
} from 'fastify';
import type { Collection, Doc } from '../readstore/port.js';
import type { Clock } from '../clock.js';
import { HttpProblem } from './errors.js';

/** The first successful answer to one key: replayed as it was sent. */
export interface IdempotencyDoc extends Doc {
  method: string;
  route: string;
  statusCode: number;
  /** The serialised body, byte for byte. */
  payload: string;
  contentType: string;
  /** What was asked: the same key with another request is refused. */
  requestHash: string;
  createdAt: string;
}

export const idempotencyCollection = { name: 'idempotency' } as const;

interface InFlight {
  id: string;
  requestHash: string;
  done: Promise<void>;
  release: () => void;
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** The longest a duplicate waits for the first request with its key before deciding on its own. */
const IN_FLIGHT_WAIT_MS = 30_000;

/**
 * `Idempotency-Key` on POSTs. The first 2xx answer is stored in the read
 * store, keyed by method, route, path parameters, the caller and the key, and
 * a retry gets it back (with `Idempotent-Replayed: true`). A refused request
 * wrote nothing, so it is not stored: a retry is asked afresh. A duplicate
 * that arrives while the first is still running waits for it; across
 * processes the domain keys (charge id = key, payment id from the
 * reservation) keep concurrent duplicates safe.
 */
export class Idempotency {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly requests = new WeakMap<FastifyRequest, InFlight | 'replayed'>();

  constructor(
    private readonly collection: Collection<IdempotencyDoc>,
    private readonly clock: Clock,
  ) {}

  /**
   * Route hooks. `caller` names who asks (the token's user, "admin"), so that
   * two callers' keys never meet.
   */
  hooks(caller: (request: FastifyRequest) => string): {
    preHandler: preHandlerAsyncHookHandler;
    onSend: onSendAsyncHookHandler<unknown>;
    onResponse: onResponseAsyncHookHandler;
    onRequestAbort: onRequestAbortAsyncHookHandler;
  } {
    const finish = async (request: FastifyRequest) => this.finish(request);
    return {
      preHandler: async (request, reply) => this.before(request, reply, caller(request)),
      onSend: async (request, reply, payload) => {
        await this.store(request, reply, payload);
        return payload;
      },
      onResponse: finish,
      onRequestAbort: finish,
    };
  }

  private keyOf(request: FastifyRequest): string | undefined {
    const key = request.headers['idempotency-key'];
    return typeof key === 'string' && key !== '' ? key : undefined;
  }

  private async before(request: FastifyRequest, reply: FastifyReply, caller: string): Promise<FastifyReply | undefined> {
    const key = this.keyOf(request);
    if (key === undefined) return undefined;
    const route = request.routeOptions.url ?? request.url;
    const id = sha256(JSON.stringify([request.method, route, request.params ?? {}, caller, key]));
    const requestHash = sha256(JSON.stringify(request.body ?? null));

    const running = this.inFlight.get(id);
    if (running) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_WAIT_MS).unref())]);

    const stored = await this.collection.get(id);
    if (stored) {
      if (stored.requestHash !== requestHash) {
        throw new HttpProblem(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used for a different request');
      }
      this.requests.set(request, 'replayed');
      return reply.code(stored.statusCode).header('content-type', stored.contentType).header('idempotent-replayed', 'true').send(stored.payload);
    }

    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.inFlight.set(id, done);
    this.requests.set(request, { id, requestHash, done, release });
    return undefined;
  }

  private async store(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<void> {
    const state = this.requests.get(request);
    if (!state || state === 'replayed') return;
    if (reply.statusCode < 200 || reply.statusCode >= 300 || typeof payload !== 'string') return;
    const contentType = reply.getHeader('content-type');
    await this.collection.upsert({
      id: state.id,
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      statusCode: reply.statusCode,
      payload,
      contentType: typeof contentType === 'string' ? contentType : 'application/json; charset=utf-8',
      requestHash: state.requestHash,
      createdAt: this.clock.now().toISOString(),
    });
  }

  private finish(request: FastifyRequest): void {
    const state = this.requests.get(request);
    if (!state || state === 'replayed') return;
    this.requests.delete(request);
    if (this.inFlight.get(state.id) === state.done) this.inFlight.delete(state.id);
    state.release();
  }
}
