import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { CancellationPayload, DeliveryPayload } from './events.js';

/**
 * A stand-in for the external data platform, for `npm start` without
 * DATA_PLATFORM_URL, tests and benchmarks: an idempotent receiver of
 * reservations and their cancellations that fails a share of requests on
 * purpose. State lives in memory; it is a mock.
 */

export interface MockDataPlatformOptions {
  /** Share of requests answered 503, in [0, 1]. */
  failureRate?: number;
  /** Delay before every answer. */
  latencyMs?: number;
  /** Decides the failures: `random() < failureRate` fails. Seed it in tests. */
  random?: () => number;
  now?: () => Date;
  logger?: boolean;
}

/** What the receiver kept for one key: the first body it accepted, and how many requests it saw for the key. */
export interface ReceivedReservation extends DeliveryPayload {
  idempotencyKey: string;
  receivedAt: string;
  /** Every request with this key, failed ones included. */
  attempts: number;
}

/** The same for a cancellation, and whether it came after its reservation (the order the sender promises). */
export interface ReceivedCancellation extends CancellationPayload {
  idempotencyKey: string;
  receivedAt: string;
  attempts: number;
  /** Whether this receiver had kept the payment's reservation when it first accepted the cancellation. */
  afterReservation: boolean;
}

const id = { type: 'string', minLength: 1, maxLength: 128 } as const;

const reservationBody = {
  type: 'object',
  required: ['paymentId', 'reservationId', 'userId', 'concertId', 'scheduleId', 'seatNo', 'amount', 'paidAt'],
  properties: {
    paymentId: id,
    reservationId: id,
    userId: id,
    concertId: id,
    scheduleId: id,
    seatNo: { type: 'integer', minimum: 1 },
    amount: { type: 'integer', minimum: 1 },
    paidAt: { type: 'string', format: 'date-time' },
  },
  additionalProperties: false,
} as const;

const cancellationBody = {
  type: 'object',
  required: ['paymentId', 'reservationId', 'userId', 'scheduleId', 'seatNos', 'amount', 'refundedAt', 'reason'],
  properties: {
    paymentId: id,
    reservationId: id,
    userId: id,
    scheduleId: id,
    seatNos: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', minimum: 1 } },
    amount: { type: 'integer', minimum: 1 },
    refundedAt: { type: 'string', format: 'date-time' },
    reason: { type: 'string', enum: ['USER', 'SCHEDULE_CANCELLED'] },
  },
  additionalProperties: false,
} as const;

const idempotencyHeaders = {
  type: 'object',
  required: ['idempotency-key'],
  properties: { 'idempotency-key': id },
} as const;

const paymentParams = { type: 'object', required: ['paymentId'], properties: { paymentId: id } } as const;

/** One kind of message: one record per Idempotency-Key, and every request counted. */
class Records<Kept extends { idempotencyKey: string }> {
  readonly kept = new Map<string, Kept>();
  private readonly attempts = new Map<string, number>();

  count(key: string): void {
    this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
  }

  view(record: Kept): Kept & { attempts: number } {
    return { ...record, attempts: this.attempts.get(record.idempotencyKey) ?? 0 };
  }

  all(): Array<Kept & { attempts: number }> {
    return [...this.kept.values()].map((record) => this.view(record));
  }
}

export function buildMockDataPlatform(options: MockDataPlatformOptions = {}): FastifyInstance {
  const { failureRate = 0, latencyMs = 0, random = Math.random, now = () => new Date(), logger = false } = options;
  if (!(failureRate >= 0 && failureRate <= 1)) throw new RangeError(`failureRate must be within [0, 1], got ${failureRate}`);
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) throw new RangeError(`latencyMs must be ≥ 0, got ${latencyMs}`);

  // No coercion: a receiver that turned "7" into 7 would hide a sender's bug.
  const app = Fastify({ logger, ajv: { customOptions: { coerceTypes: false } } });
  const reservations = new Records<Omit<ReceivedReservation, 'attempts'>>();
  const cancellations = new Records<Omit<ReceivedCancellation, 'attempts'>>();
  /** Payments whose reservation was kept, for a cancellation to tell whether it came after it. */
  const reserved = new Set<string>();

  /** The shared path of both routes: count, wait, maybe fail, then keep the first body per key. */
  async function receive<Kept extends { idempotencyKey: string }>(
    records: Records<Kept>,
    key: string,
    reply: FastifyReply,
    make: () => Kept,
    kept: (record: Kept) => void = () => {},
  ) {
    records.count(key);
    if (latencyMs > 0) await sleep(latencyMs);
    if (random() < failureRate) {
      return reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'simulated failure' });
    }
    // Looked up after the wait: two requests with one key in flight together still make one record.
    const first = records.kept.get(key);
    if (first) return reply.code(200).send(records.view(first));
    const record = make();
    records.kept.set(key, record);
    kept(record);
    return reply.code(201).send(records.view(record));
  }

  app.post<{ Body: DeliveryPayload; Headers: { 'idempotency-key': string } }>(
    '/reservations',
    { schema: { body: reservationBody, headers: idempotencyHeaders } },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      return receive(
        reservations,
        key,
        reply,
        () => ({ ...request.body, idempotencyKey: key, receivedAt: now().toISOString() }),
        (record) => reserved.add(record.paymentId),
      );
    },
  );

  app.get('/reservations', async () => reservations.all());

  app.get<{ Params: { paymentId: string } }>(
    '/reservations/:paymentId',
    { schema: { params: paymentParams } },
    async (request, reply) => {
      const record = reservations.kept.get(request.params.paymentId);
      if (!record) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no reservation under this key' });
      return reservations.view(record);
    },
  );

  app.post<{ Params: { paymentId: string }; Body: CancellationPayload; Headers: { 'idempotency-key': string } }>(
    '/reservations/:paymentId/cancellation',
    { schema: { params: paymentParams, body: cancellationBody, headers: idempotencyHeaders } },
    async (request, reply) => {
      if (request.body.paymentId !== request.params.paymentId) {
        // Before counting: a sender that mixes up payments gets a refusal, not a record under the wrong one.
        return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'body/paymentId must be the paymentId of the path' });
      }
      const key = request.headers['idempotency-key'];
      return receive(cancellations, key, reply, () => ({
        ...request.body,
        idempotencyKey: key,
        receivedAt: now().toISOString(),
        afterReservation: reserved.has(request.body.paymentId),
      }));
    },
  );

  app.get('/cancellations', async () => cancellations.all());

  app.get<{ Params: { paymentId: string } }>(
    '/reservations/:paymentId/cancellation',
    { schema: { params: paymentParams } },
    async (request, reply) => {
      const record = [...cancellations.kept.values()].find((kept) => kept.paymentId === request.params.paymentId);
      if (!record) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no cancellation of this payment' });
      return cancellations.view(record);
    },
  );

  return app;
}
