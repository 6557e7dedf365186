import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { etaMs } from '../../domains/queue/admission.js';
import { sign, verify } from '../../domains/queue/token.js';
import { id, userId } from '../../infra/http/schemas.js';

/**
 * The baseline of the HTTP benchmarks: the same routes, request and answer
 * shapes, schemas and queue rules (max active, admission tick, signed tokens)
 * as the real API, kept in plain Maps in one process. No event store, no read
 * models, no saga: a payment completes in the request that asks for it. What
 * the real system costs beyond this is the price of its durability and its
 * choreography.
 */
export interface BareOptions {
  queueMaxActive: number;
  queueAdmitIntervalMs: number;
  queueSecret: string;
  adminToken: string;
}

type Status = 'WAITING' | 'ACTIVE' | 'EXPIRED';

interface Token {
  tokenId: string;
  userId: string;
  status: Status;
  /** Order of issue: the line. */
  seq: number;
  expiresAt?: string;
}

interface Schedule {
  scheduleId: string;
  price: number;
  seats: Array<'AVAILABLE' | 'HELD' | 'RESERVED'>;
}

interface Reservation {
  reservationId: string;
  scheduleId: string;
  seatNo: number;
  price: number;
  userId: string;
}

interface Payment {
  paymentId: string;
  reservationId: string;
  userId: string;
  amount: number;
  status: 'COMPLETED' | 'FAILED';
  reason?: string;
  requestedAt: string;
  completedAt?: string;
}

/** One bulk prepared hold for the saga benchmark: an ACTIVE user holding a seat. */
export interface PreparedHold {
  userId: string;
  tokenId: string;
  reservationId: string;
  scheduleId: string;
  seatNo: number;
  price: number;
}

const RATE_WINDOW_MS = 60_000;
const problem = (statusCode: number, code: string, error: string, message: string) => ({ statusCode, code, error, message });

export function buildBareTicketing(options: BareOptions): FastifyInstance {
  const app = Fastify({ logger: false, ajv: { customOptions: { coerceTypes: false } } });
  const users = new Map<string, Token>();
  const tokens = new Map<string, Token>();
  const waiting: Token[] = [];
  let admittedUpTo = 0;
  let nextSeq = 0;
  let active = 0;
  const admissions: number[] = [];
  const schedules = new Map<string, Schedule>();
  const reservations = new Map<string, Reservation>();
  const payments = new Map<string, Payment>();
  const balances = new Map<string, number>();
  const charges = new Set<string>();

  const admit = setInterval(() => {
    const now = Date.now();
    while (active < options.queueMaxActive && admittedUpTo < waiting.length) {
      const token = waiting[admittedUpTo++]!;
      if (token.status !== 'WAITING') continue;
      token.status = 'ACTIVE';
      token.expiresAt = new Date(now + 600_000).toISOString();
      active++;
      admissions.push(now);
    }
    while (admissions.length > 0 && admissions[0]! <= now - RATE_WINDOW_MS) admissions.shift();
  }, options.queueAdmitIntervalMs);
  app.addHook('onClose', async () => clearInterval(admit));

  const tokenOf = (header: unknown): Token | null => {
    const claims = typeof header === 'string' ? verify(options.queueSecret, header) : null;
    return claims ? (tokens.get(claims.tokenId) ?? null) : null;
  };
  const place = (token: Token) => (token.status === 'WAITING' ? token.seq - admittedUpTo + 1 : 0);
  const expire = (token: Token) => {
    if (token.status === 'ACTIVE') active--;
    token.status = 'EXPIRED';
  };

  app.get('/health', async () => ({ status: 'ok' }));

  app.post<{ Body: { title: string; schedules: Array<{ startsAt: string; seatCount: number; price: number }> } }>(
    '/concerts',
    {
      schema: {
        body: {
          type: 'object',
          required: ['title', 'schedules'],
          properties: {
            title: { type: 'string', minLength: 1, maxLength: 200 },
            schedules: {
              type: 'array',
              minItems: 1,
              maxItems: 100,
              items: {
                type: 'object',
                required: ['startsAt', 'seatCount', 'price'],
                properties: { startsAt: { type: 'string' }, seatCount: { type: 'integer', minimum: 1, maximum: 1000 }, price: { type: 'integer', minimum: 1 } },
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      if (request.headers.authorization !== `Bearer ${options.adminToken}`) return reply.code(401).send(problem(401, 'UNAUTHORIZED', 'Unauthorized', 'admin token'));
      const concertId = randomUUID();
      const registered = request.body.schedules.map((s) => {
        const scheduleId = randomUUID();
        schedules.set(scheduleId, { scheduleId, price: s.price, seats: Array.from({ length: s.seatCount }, () => 'AVAILABLE' as const) });
        return { scheduleId, startsAt: s.startsAt, bookingOpensAt: new Date().toISOString(), seatCount: s.seatCount, price: s.price };
      });
      return reply.code(201).send({ concertId, title: request.body.title, schedules: registered });
    },
  );

  app.post<{ Body: { holds: PreparedHold[] } }>('/bench/holds', async (request) => {
    for (const hold of request.body.holds) {
      const token: Token = { tokenId: hold.tokenId, userId: hold.userId, status: 'ACTIVE', seq: nextSeq++ };
      users.set(hold.userId, token);
      tokens.set(hold.tokenId, token);
      reservations.set(hold.reservationId, { ...hold });
      balances.set(hold.userId, (balances.get(hold.userId) ?? 0) + hold.price);
    }
    return { prepared: request.body.holds.length };
  });

  app.post<{ Body: { userId: string } }>(
    '/queue/tokens',
    { schema: { body: { type: 'object', required: ['userId'], additionalProperties: false, properties: { userId } } } },
    async (request, reply) => {
      let token = users.get(request.body.userId);
      if (!token || token.status === 'EXPIRED') {
        token = { tokenId: randomUUID(), userId: request.body.userId, status: 'WAITING', seq: nextSeq++ };
        users.set(token.userId, token);
        tokens.set(token.tokenId, token);
        waiting.push(token);
      }
      return reply.code(201).send({
        token: sign(options.queueSecret, token),
        tokenId: token.tokenId,
        userId: token.userId,
        status: token.status,
        position: place(token),
        ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}),
      });
    },
  );

  app.get('/queue/tokens/current', async (request, reply) => {
    const token = tokenOf(request.headers['queue-token']);
    if (!token) return reply.code(401).send(problem(401, 'QUEUE_TOKEN_INVALID', 'Unauthorized', 'bad token'));
    const position = place(token);
    const now = Date.now();
    return {
      tokenId: token.tokenId,
      userId: token.userId,
      status: token.status,
      position,
      etaMs: token.status === 'EXPIRED' ? null : etaMs(position, admissions, now, RATE_WINDOW_MS),
      ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}),
    };
  });

  app.get<{ Params: { scheduleId: string } }>(
    '/schedules/:scheduleId/seats',
    { schema: { params: { type: 'object', required: ['scheduleId'], properties: { scheduleId: id } } } },
    async (request, reply) => {
      const schedule = schedules.get(request.params.scheduleId);
      if (!schedule) return reply.code(404).send(problem(404, 'SCHEDULE_NOT_FOUND', 'Not Found', 'no schedule'));
      return schedule.seats.map((status, i) => ({ seatNo: i + 1, price: schedule.price, status }));
    },
  );

  app.post<{ Body: { scheduleId: string; seatNo: number } }>(
    '/reservations',
    {
      schema: {
        body: {
          type: 'object',
          required: ['scheduleId', 'seatNo'],
          additionalProperties: false,
          properties: { scheduleId: id, seatNo: { type: 'integer', minimum: 1 } },
        },
      },
    },
    async (request, reply) => {
      const token = tokenOf(request.headers['queue-token']);
      if (!token) return reply.code(401).send(problem(401, 'QUEUE_TOKEN_INVALID', 'Unauthorized', 'bad token'));
      if (token.status !== 'ACTIVE') return reply.code(403).send(problem(403, 'QUEUE_TOKEN_NOT_ACTIVE', 'Forbidden', 'not active'));
      const schedule = schedules.get(request.body.scheduleId);
      if (!schedule || request.body.seatNo > schedule.seats.length) return reply.code(404).send(problem(404, 'SEAT_NOT_FOUND', 'Not Found', 'no seat'));
      if (schedule.seats[request.body.seatNo - 1] !== 'AVAILABLE') return reply.code(409).send(problem(409, 'SEAT_UNAVAILABLE', 'Conflict', 'taken'));
      schedule.seats[request.body.seatNo - 1] = 'HELD';
      const reservation = { reservationId: randomUUID(), scheduleId: schedule.scheduleId, seatNo: request.body.seatNo, price: schedule.price, userId: token.userId };
      reservations.set(reservation.reservationId, reservation);
      return reply.code(201).send({ ...reservation, status: 'HELD', expiresAt: new Date(Date.now() + 300_000).toISOString() });
    },
  );

  app.post<{ Params: { userId: string }; Body: { amount: number } }>(
    '/users/:userId/points/charge',
    {
      schema: {
        params: { type: 'object', required: ['userId'], properties: { userId } },
        body: { type: 'object', required: ['amount'], additionalProperties: false, properties: { amount: { type: 'integer', minimum: 1 } } },
      },
    },
    async (request) => {
      const key = request.headers['idempotency-key'];
      const user = request.params.userId;
      if (typeof key !== 'string' || !charges.has(key)) {
        if (typeof key === 'string') charges.add(key);
        balances.set(user, (balances.get(user) ?? 0) + request.body.amount);
      }
      return { userId: user, balance: balances.get(user) ?? 0 };
    },
  );

  app.post<{ Body: { reservationId: string } }>(
    '/payments',
    { schema: { body: { type: 'object', required: ['reservationId'], additionalProperties: false, properties: { reservationId: id } } } },
    async (request, reply) => {
      const token = tokenOf(request.headers['queue-token']);
      if (!token) return reply.code(401).send(problem(401, 'QUEUE_TOKEN_INVALID', 'Unauthorized', 'bad token'));
      const reservation = reservations.get(request.body.reservationId);
      if (!reservation) return reply.code(404).send(problem(404, 'RESERVATION_NOT_FOUND', 'Not Found', 'no reservation'));
      if (reservation.userId !== token.userId) return reply.code(403).send(problem(403, 'NOT_HOLDER', 'Forbidden', 'not yours'));
      const paymentId = `pay-${reservation.reservationId}`;
      const existing = payments.get(paymentId);
      if (existing) return reply.code(200).send({ paymentId, reservationId: reservation.reservationId, status: existing.status });
      if (token.status !== 'ACTIVE') return reply.code(403).send(problem(403, 'QUEUE_TOKEN_NOT_ACTIVE', 'Forbidden', 'not active'));
      const requestedAt = new Date().toISOString();
      const balance = balances.get(token.userId) ?? 0;
      const payment: Payment = { paymentId, reservationId: reservation.reservationId, userId: token.userId, amount: reservation.price, status: 'COMPLETED', requestedAt };
      if (balance < reservation.price) {
        payment.status = 'FAILED';
        payment.reason = 'INSUFFICIENT_BALANCE';
      } else {
        balances.set(token.userId, balance - reservation.price);
        const schedule = schedules.get(reservation.scheduleId);
        if (schedule) schedule.seats[reservation.seatNo - 1] = 'RESERVED';
        payment.completedAt = new Date().toISOString();
        expire(token);
      }
      payments.set(paymentId, payment);
      return reply.code(202).send({ paymentId, reservationId: reservation.reservationId, status: 'PENDING' });
    },
  );

  app.get<{ Params: { paymentId: string } }>(
    '/payments/:paymentId',
    { schema: { params: { type: 'object', required: ['paymentId'], properties: { paymentId: id } } } },
    async (request, reply) => {
      const payment = payments.get(request.params.paymentId);
      if (!payment) return reply.code(404).send(problem(404, 'PAYMENT_NOT_FOUND', 'Not Found', 'no payment'));
      return payment;
    },
  );

  return app;
}
