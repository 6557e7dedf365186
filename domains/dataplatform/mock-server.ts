import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DeliveryPayload } from './events.js';

/**
 * A stand-in for the external data platform, for `npm start` without
 * DATA_PLATFORM_URL, tests and benchmarks: an idempotent receiver that fails
 * a share of requests on purpose. State lives in memory; it is a mock.
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

const idempotencyHeaders = {
  type: 'object',
  required: ['idempotency-key'],
  properties: { 'idempotency-key': id },
} as const;

export function buildMockDataPlatform(options: MockDataPlatformOptions = {}): FastifyInstance {
  const { failureRate = 0, latencyMs = 0, random = Math.random, now = () => new Date(), logger = false } = options;
  if (!(failureRate >= 0 && failureRate <= 1)) throw new RangeError(`failureRate must be within [0, 1], got ${failureRate}`);
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) throw new RangeError(`latencyMs must be ≥ 0, got ${latencyMs}`);

  // No coercion: a receiver that turned "7" into 7 would hide a sender's bug.
  const app = Fastify({ logger, ajv: { customOptions: { coerceTypes: false } } });
  const records = new Map<string, Omit<ReceivedReservation, 'attempts'>>();
  const attempts = new Map<string, number>();
  const withAttempts = (record: Omit<ReceivedReservation, 'attempts'>): ReceivedReservation => ({
    ...record,
    attempts: attempts.get(record.idempotencyKey) ?? 0,
  });

  app.post<{ Body: DeliveryPayload; Headers: { 'idempotency-key': string } }>(
    '/reservations',
    { schema: { body: reservationBody, headers: idempotencyHeaders } },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
      if (latencyMs > 0) await sleep(latencyMs);
      if (random() < failureRate) {
        return reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'simulated failure' });
      }
      // Looked up after the wait: two requests with one key in flight together still make one record.
      const first = records.get(key);
      if (first) return reply.code(200).send(withAttempts(first));
      const record = { ...request.body, idempotencyKey: key, receivedAt: now().toISOString() };
      records.set(key, record);
      return reply.code(201).send(withAttempts(record));
    },
  );

  app.get('/reservations', async () => [...records.values()].map(withAttempts));

  app.get<{ Params: { paymentId: string } }>(
    '/reservations/:paymentId',
    { schema: { params: { type: 'object', required: ['paymentId'], properties: { paymentId: id } } } },
    async (request, reply) => {
      const record = records.get(request.params.paymentId);
      if (!record) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no reservation under this key' });
      return withAttempts(record);
    },
  );

  return app;
}
