import t from 'tap';
import { join } from 'node:path';
import { SqliteReadStore } from '../../infra/readstore/sqlite.js';
import { startTestSystem } from '../support/system.js';
import { startTestApi, schedule, QUEUE_SECRET } from '../support/api.js';
import { sign } from '../../domains/queue/token.js';
import { holdSeat } from '../../domains/reservation/hold-seat.js';
import { seatStream } from '../../domains/reservation/seat.js';
import { park } from '../../bus/parking.js';
import { handleCommand } from '../../bus/command.js';
import { delivery, deliveryStream } from '../../domains/dataplatform/delivery.js';
import { randomUUID } from 'node:crypto';
import { reactionSubscriber } from '../../bus/reactions.js';
import { examples } from '../../infra/http/examples.js';
import type { ErrorExample } from '../../infra/http/schemas.js';
import type { ApiClient } from '../../client/index.js';
import { bearer, hs256Token, USER_JWT_SECRET } from '../support/user-tokens.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** Ids differ from run to run; everything else in an error answer is the same every time. */
const sameRun = (body: unknown) => JSON.parse(JSON.stringify(body ?? null).replace(UUID, '<id>')) as unknown;

/** A body over the 1 MiB limit; its field is a string the schema would refuse anyway, but the limit answers first. */
const huge = 'x'.repeat(1024 * 1024 + 1);
const long = 'x'.repeat(129);

t.test('every documented error answer, asked for through the typed client, is the recorded example of its code', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const client = await api.client();
  // A second API over the same events whose read models nobody runs (an empty read store): every lookup it must settle is behind.
  const emptyReads = new SqliteReadStore({ file: join(t.testdir(), 'nobody-projects.db') });
  t.teardown(() => emptyReads.close());
  const behind = await (await startTestApi(t, system, { projections: [], reads: emptyReads, config: { readYourWritesMs: 20 } })).client();
  const admin = { headers: api.admin };
  const concert = await api.registerConcert({ title: 'Spring Gala', schedules: [schedule({ seatCount: 3 })] });
  const scheduleId = concert.schedules[0]!.scheduleId;
  const notYet = (await api.registerConcert({ schedules: [schedule({ bookingOpensAt: '2030-01-02T09:00:00.000Z' })] })).schedules[0]!.scheduleId;
  const over = (await api.registerConcert({ schedules: [schedule({ startsAt: '2030-01-01T09:30:00.000Z' })] })).schedules[0]!.scheduleId;
  const roomy = (await api.registerConcert({ schedules: [schedule({ seatCount: 5 })] })).schedules[0]!.scheduleId;
  const gone = (await api.registerConcert({ schedules: [schedule({ seatCount: 2 })] })).schedules[0]!.scheduleId;
  await client.POST('/schedules/{scheduleId}/cancel', { ...admin, params: { path: { scheduleId: gone } } });
  const active = { 'queue-token': await api.activeToken('ana') };
  const held = (await client.POST('/reservations', { params: { header: active }, body: { scheduleId, seatNo: 1 } })).data!;
  const ben = { 'queue-token': await api.activeToken('ben') };
  // Issued and not admitted: nothing settles it.
  const waiting = { 'queue-token': (await client.POST('/queue/tokens', { body: { userId: 'cy' } })).data!.token };
  const forged = { 'queue-token': `${active['queue-token']}x` };
  const neverIssued = { 'queue-token': sign(QUEUE_SECRET, { tokenId: 'never-issued', userId: 'ana' }) };
  type Ask = () => Promise<{ error?: unknown; response: Response }>;
  const reused = async <A>(send: (key: string, variant: number) => Promise<A>) => {
    await send('key-1', 1);
    return send('key-1', 2);
  };
  // Outside the contract on purpose: the typed client would not let these be written.
  const unknownQuery = { query: { extra: '1' } as never };
  // Not base64url of a list key: no cursor this server hands out.
  const badCursor = 'bm90LWEta2V5';

  // ana's own payment, on a concert of its own so that the seats above stay as they are.
  const paid = (await api.registerConcert({ title: 'Spring Gala', schedules: [schedule({ seatCount: 1 })] })).schedules[0]!.scheduleId;
  const anaHold = (await client.POST('/reservations', { params: { header: active }, body: { scheduleId: paid, seatNo: 1 } })).data!;
  const anaPayment = (await client.POST('/payments', { params: { header: active }, body: { reservationId: anaHold.reservationId } })).data!;

  // The same system behind user identity (HS256), and behind a key set that cannot be fetched; both follow the models the first API runs.
  const identity = await (await startTestApi(t, system, { projections: [], config: { userJwtSecret: USER_JWT_SECRET } })).client();
  const noKeys = await (await startTestApi(t, system, { projections: [], config: { userJwksUrl: 'http://127.0.0.1:9/.well-known/jwks.json' } })).client();
  const now = system.clock.now();
  const ana = bearer(await hs256Token('ana', { now }));
  const benToken = bearer(await hs256Token('ben', { now }));
  const expired = bearer(await hs256Token('ana', { now: new Date(now.getTime() - 7_200_000), expiresInS: 3_600 }));
  const forgedUser = bearer(await hs256Token('ana', { now }, 'another-secret-of-at-least-32-chars'));
  /** The user-token refusals of a route that names ana, sent with `headers` through `as`. */
  type AsUser = (as: ApiClient, headers: Record<string, string>) => Promise<{ error?: unknown; response: Response }>;
  const userTokenAsks = (send: AsUser): Record<string, Ask> => ({
    USER_TOKEN_REQUIRED: () => send(identity, {}),
    USER_TOKEN_INVALID: () => send(identity, forgedUser),
    USER_TOKEN_EXPIRED: () => send(identity, expired),
    NOT_OWNER: () => send(identity, benToken),
    IDENTITY_UNAVAILABLE: () => send(noKeys, ana),
  });

  /** The admin guard's two refusals of one admin route: no token, and a wrong one. */
  const adminRefused = (without: Ask, withHeaders: (headers: Record<string, string>) => ReturnType<Ask>): Record<string, Ask> => ({
    ADMIN_TOKEN_REQUIRED: without,
    ADMIN_TOKEN_INVALID: () => withHeaders({ authorization: 'Bearer wrong' }),
  });
  const asks: Record<keyof typeof examples, Record<string, Ask>> = {
    registerConcert: {
      FST_ERR_VALIDATION: () => client.POST('/concerts', { ...admin, body: { schedules: [schedule()] } as never }),
      ADMIN_TOKEN_REQUIRED: () => client.POST('/concerts', { body: { title: 'Spring Gala', schedules: [schedule()] } }),
      ADMIN_TOKEN_INVALID: () => client.POST('/concerts', { headers: { authorization: 'Bearer wrong' }, body: { title: 'Spring Gala', schedules: [schedule()] } }),
      FST_ERR_CTP_BODY_TOO_LARGE: () => client.POST('/concerts', { ...admin, body: { title: huge, schedules: [] } as never }),
      IDEMPOTENCY_KEY_REUSED: () =>
        reused((key, n) => client.POST('/concerts', { headers: { ...api.admin, 'idempotency-key': key }, body: { title: `Gala ${n}`, schedules: [schedule()] } as never })),
    },
    listConcerts: {
      FST_ERR_VALIDATION: () => client.GET('/concerts', { params: unknownQuery }),
      INVALID_CURSOR: () => client.GET('/concerts', { params: { query: { cursor: badCursor } } }),
    },
    listSchedules: {
      READ_MODEL_BEHIND: () => behind.GET('/concerts/{concertId}/schedules', { params: { path: { concertId: 'nope' } } }),
      FST_ERR_VALIDATION: () => client.GET('/concerts/{concertId}/schedules', { params: { path: { concertId: long } } }),
      CONCERT_NOT_FOUND: () => client.GET('/concerts/{concertId}/schedules', { params: { path: { concertId: 'nope' } } }),
    },
    getSchedule: {
      READ_MODEL_BEHIND: () => behind.GET('/schedules/{scheduleId}', { params: { path: { scheduleId: 'nope' } } }),
      FST_ERR_VALIDATION: () => client.GET('/schedules/{scheduleId}', { params: { path: { scheduleId: long } } }),
      SCHEDULE_NOT_FOUND: () => client.GET('/schedules/{scheduleId}', { params: { path: { scheduleId: 'nope' } } }),
    },
    cancelSchedule: {
      READ_MODEL_BEHIND: () => behind.POST('/schedules/{scheduleId}/cancel', { ...admin, params: { path: { scheduleId: 'nope' } } }),
      FST_ERR_VALIDATION: () => client.POST('/schedules/{scheduleId}/cancel', { ...admin, params: { path: { scheduleId: long } } }),
      SCHEDULE_NOT_FOUND: () => client.POST('/schedules/{scheduleId}/cancel', { ...admin, params: { path: { scheduleId: 'nope' } } }),
      ...adminRefused(
        () => client.POST('/schedules/{scheduleId}/cancel', { params: { path: { scheduleId: 'nope' } } }),
        (headers) => client.POST('/schedules/{scheduleId}/cancel', { headers, params: { path: { scheduleId: 'nope' } } }),
      ),
    },
    listSeats: {
      READ_MODEL_BEHIND: () => behind.GET('/schedules/{scheduleId}/seats', { params: { path: { scheduleId: 'nope' } } }),
      FST_ERR_VALIDATION: () => client.GET('/schedules/{scheduleId}/seats', { params: { path: { scheduleId: long } } }),
      SCHEDULE_NOT_FOUND: () => client.GET('/schedules/{scheduleId}/seats', { params: { path: { scheduleId: 'nope' } } }),
    },
    issueQueueToken: {
      FST_ERR_VALIDATION: () => client.POST('/queue/tokens', { body: { userId: 'ana maria' } }),
      FST_ERR_CTP_BODY_TOO_LARGE: () => client.POST('/queue/tokens', { body: { userId: huge } }),
      ...userTokenAsks((as, headers) => as.POST('/queue/tokens', { headers, body: { userId: 'ana' } })),
    },
    getCurrentQueueToken: {
      QUEUE_TOKEN_MISSING: () => client.GET('/queue/tokens/current'),
      QUEUE_TOKEN_INVALID: () => client.GET('/queue/tokens/current', { params: { header: forged } }),
      QUEUE_TOKEN_UNKNOWN: () => client.GET('/queue/tokens/current', { params: { header: neverIssued } }),
    },
    holdSeat: {
      READ_MODEL_BEHIND: () => behind.POST('/reservations', { params: { header: ben }, body: { scheduleId, seatNo: 3 } }),
      FST_ERR_VALIDATION: () => client.POST('/reservations', { params: { header: active }, body: { scheduleId, seatNo: 0 } }),
      QUEUE_TOKEN_MISSING: () => client.POST('/reservations', { body: { scheduleId, seatNo: 2 } }),
      QUEUE_TOKEN_INVALID: () => client.POST('/reservations', { params: { header: forged }, body: { scheduleId, seatNo: 2 } }),
      QUEUE_TOKEN_UNKNOWN: () => client.POST('/reservations', { params: { header: neverIssued }, body: { scheduleId, seatNo: 2 } }),
      QUEUE_TOKEN_NOT_ACTIVE: () => client.POST('/reservations', { params: { header: waiting }, body: { scheduleId, seatNo: 2 } }),
      SCHEDULE_NOT_FOUND: () => client.POST('/reservations', { params: { header: active }, body: { scheduleId: 'nope', seatNo: 2 } }),
      SEAT_NOT_FOUND: () => client.POST('/reservations', { params: { header: active }, body: { scheduleId, seatNo: 4 } }),
      SEAT_UNAVAILABLE: () => client.POST('/reservations', { params: { header: ben }, body: { scheduleId, seatNos: [1] } }),
      SEAT_LIMIT: async () => {
        await client.POST('/reservations', { params: { header: active }, body: { scheduleId: roomy, seatNos: [1, 2, 3, 4] } });
        return client.POST('/reservations', { params: { header: active }, body: { scheduleId: roomy, seatNo: 5 } });
      },
      SCHEDULE_CANCELLED: () => client.POST('/reservations', { params: { header: ben }, body: { scheduleId: gone, seatNo: 1 } }),
      BOOKING_NOT_OPEN: () => client.POST('/reservations', { params: { header: ben }, body: { scheduleId: notYet, seatNo: 1 } }),
      BOOKING_CLOSED: () => client.POST('/reservations', { params: { header: ben }, body: { scheduleId: over, seatNo: 1 } }),
      FST_ERR_CTP_BODY_TOO_LARGE: () => client.POST('/reservations', { params: { header: ben }, body: { scheduleId: huge, seatNo: 1 } }),
      IDEMPOTENCY_KEY_REUSED: () =>
        reused((key, n) => client.POST('/reservations', { params: { header: { ...ben, 'idempotency-key': key } }, body: { scheduleId, seatNo: n === 1 ? 2 : 1 } })),
    },
    getReservation: {
      READ_MODEL_BEHIND: () => behind.GET('/reservations/{reservationId}', { params: { path: { reservationId: 'nope' } } }),
      FST_ERR_VALIDATION: () => client.GET('/reservations/{reservationId}', { params: { path: { reservationId: long } } }),
      RESERVATION_NOT_FOUND: () => client.GET('/reservations/{reservationId}', { params: { path: { reservationId: 'nope' } } }),
      ...userTokenAsks((as, headers) => as.GET('/reservations/{reservationId}', { headers, params: { path: { reservationId: held.reservationId } } })),
    },
    cancelReservation: {
      READ_MODEL_BEHIND: () => behind.POST('/reservations/{reservationId}/cancel', { params: { path: { reservationId: 'nope' } }, body: { userId: 'ana' } }),
      FST_ERR_VALIDATION: () => client.POST('/reservations/{reservationId}/cancel', { params: { path: { reservationId: held.reservationId } }, body: {} as never }),
      RESERVATION_NOT_FOUND: () => client.POST('/reservations/{reservationId}/cancel', { params: { path: { reservationId: 'nope' } }, body: { userId: 'ana' } }),
      CANCELLATION_CLOSED: async () => {
        // Starts 23.5 hours after the test clock: inside the 24-hour cutoff.
        const soon = (await api.registerConcert({ schedules: [schedule({ seatCount: 1, startsAt: '2030-01-02T09:30:00.000Z' })] })) as { concertId: string; schedules: Array<{ scheduleId: string }> };
        await system.charge('gus', 100);
        const { hold } = await system.holdAndPay({ concertId: soon.concertId, scheduleId: soon.schedules[0]!.scheduleId, price: 100 }, 'gus', 1);
        // Not settle: its timers would admit the waiting token other asks need.
        await api.quiesce();
        return client.POST('/reservations/{reservationId}/cancel', { params: { path: { reservationId: hold.reservationId } }, body: { userId: 'gus' } });
      },
      PAYMENT_IN_PROGRESS: async () => {
        // The seats do not answer while the reservation service is away: the payment stays PENDING.
        await system.stop(['reservation']);
        const { hold } = await system.holdAndPay(await system.openSchedule(1, 100), 'fay', 1);
        await api.quiesce();
        const answer = await client.POST('/reservations/{reservationId}/cancel', { params: { path: { reservationId: hold.reservationId } }, body: { userId: 'fay' } });
        await system.start(['reservation']);
        return answer;
      },
      NOT_CANCELLABLE: async () => {
        // No points: the payment fails and its seat is RELEASED.
        const { hold } = await system.holdAndPay(await system.openSchedule(1, 100), 'hal', 1);
        // Not settle: its timers would admit the waiting token other asks need.
        await api.quiesce();
        return client.POST('/reservations/{reservationId}/cancel', { params: { path: { reservationId: hold.reservationId } }, body: { userId: 'hal' } });
      },
      FST_ERR_CTP_BODY_TOO_LARGE: () => client.POST('/reservations/{reservationId}/cancel', { params: { path: { reservationId: held.reservationId } }, body: { userId: huge } }),
      ...userTokenAsks((as, headers) =>
        as.POST('/reservations/{reservationId}/cancel', { headers, params: { path: { reservationId: held.reservationId } }, body: { userId: 'ana' } }),
      ),
    },
    listUserReservations: {
      FST_ERR_VALIDATION: () => client.GET('/users/{userId}/reservations', { params: { path: { userId: 'ana' }, query: { limit: 101 } } }),
      INVALID_CURSOR: () => client.GET('/users/{userId}/reservations', { params: { path: { userId: 'ana' }, query: { cursor: badCursor } } }),
      ...userTokenAsks((as, headers) => as.GET('/users/{userId}/reservations', { headers, params: { path: { userId: 'ana' } } })),
    },
    chargePoints: {
      FST_ERR_VALIDATION: () => client.POST('/users/{userId}/points/charge', { params: { path: { userId: 'ana' } }, body: { amount: 0 } }),
      FST_ERR_CTP_BODY_TOO_LARGE: () => client.POST('/users/{userId}/points/charge', { params: { path: { userId: 'ana' } }, body: { amount: huge } as never }),
      IDEMPOTENCY_KEY_REUSED: () =>
        reused((key, n) => client.POST('/users/{userId}/points/charge', { params: { path: { userId: 'ana' }, header: { 'idempotency-key': key } }, body: { amount: n } })),
      ...userTokenAsks((as, headers) => as.POST('/users/{userId}/points/charge', { headers, params: { path: { userId: 'ana' } }, body: { amount: 1 } })),
    },
    getPointBalance: {
      FST_ERR_VALIDATION: () => client.GET('/users/{userId}/points', { params: { path: { userId: 'ana maria' } } }),
      ...userTokenAsks((as, headers) => as.GET('/users/{userId}/points', { headers, params: { path: { userId: 'ana' } } })),
    },
    listPointHistory: {
      FST_ERR_VALIDATION: () => client.GET('/users/{userId}/points/history', { params: { path: { userId: 'ana' }, query: { limit: 0 } } }),
      INVALID_CURSOR: () => client.GET('/users/{userId}/points/history', { params: { path: { userId: 'ana' }, query: { cursor: badCursor } } }),
      ...userTokenAsks((as, headers) => as.GET('/users/{userId}/points/history', { headers, params: { path: { userId: 'ana' } } })),
    },
    requestPayment: {
      READ_MODEL_BEHIND: () => behind.POST('/payments', { params: { header: active }, body: { reservationId: 'nope' } }),
      FST_ERR_VALIDATION: () => client.POST('/payments', { params: { header: active }, body: {} as never }),
      QUEUE_TOKEN_MISSING: () => client.POST('/payments', { body: { reservationId: held.reservationId } }),
      QUEUE_TOKEN_INVALID: () => client.POST('/payments', { params: { header: forged }, body: { reservationId: held.reservationId } }),
      QUEUE_TOKEN_UNKNOWN: () => client.POST('/payments', { params: { header: neverIssued }, body: { reservationId: held.reservationId } }),
      NOT_HOLDER: () => client.POST('/payments', { params: { header: ben }, body: { reservationId: held.reservationId } }),
      QUEUE_TOKEN_NOT_ACTIVE: async () => {
        // cy may not hold through the API while waiting: the hold is made in the domain, as if before the token lapsed.
        const cyHold = await holdSeat(system.store, { scheduleId, seatNo: 3, userId: 'cy', price: 100 }, system.clock.now(), system.config.holdTtlMs);
        await api.quiesce();
        return client.POST('/payments', { params: { header: waiting }, body: { reservationId: cyHold.reservationId } });
      },
      RESERVATION_NOT_FOUND: () => client.POST('/payments', { params: { header: active }, body: { reservationId: 'nope' } }),
      FST_ERR_CTP_BODY_TOO_LARGE: () => client.POST('/payments', { params: { header: active }, body: { reservationId: huge } }),
      IDEMPOTENCY_KEY_REUSED: () =>
        reused((key, n) =>
          client.POST('/payments', { params: { header: { ...active, 'idempotency-key': key } }, body: { reservationId: n === 1 ? held.reservationId : 'nope' } }),
        ),
    },
    getPayment: {
      READ_MODEL_BEHIND: () => behind.GET('/payments/{paymentId}', { params: { path: { paymentId: 'nope' } } }),
      FST_ERR_VALIDATION: () => client.GET('/payments/{paymentId}', { params: { path: { paymentId: 'nope' }, query: { waitMs: 30_001 } } }),
      PAYMENT_NOT_FOUND: () => client.GET('/payments/{paymentId}', { params: { path: { paymentId: 'nope' } } }),
      ...userTokenAsks((as, headers) => as.GET('/payments/{paymentId}', { headers, params: { path: { paymentId: anaPayment.paymentId } } })),
    },
    tracePayment: {
      READ_MODEL_BEHIND: () => behind.GET('/payments/{paymentId}/events', { params: { path: { paymentId: 'nope' } } }),
      FST_ERR_VALIDATION: () => client.GET('/payments/{paymentId}/events', { params: { path: { paymentId: long } } }),
      PAYMENT_NOT_FOUND: () => client.GET('/payments/{paymentId}/events', { params: { path: { paymentId: 'nope' } } }),
      ...userTokenAsks((as, headers) => as.GET('/payments/{paymentId}/events', { headers, params: { path: { paymentId: anaPayment.paymentId } } })),
    },
    listSoldOut: { FST_ERR_VALIDATION: () => client.GET('/rankings/sold-out', { params: { query: { limit: 0 } } }) },
    getHealth: { FST_ERR_VALIDATION: () => client.GET('/health', { params: unknownQuery }) },
    getMetrics: { FST_ERR_VALIDATION: () => client.GET('/metrics', { params: unknownQuery }) },
    tailEvents: {
      FST_ERR_VALIDATION: () => client.GET('/admin/events', { ...admin, params: { query: { from: 'yesterday' } } }),
      INVALID_FILTER: () => client.GET('/admin/events', { ...admin, params: { query: { category: 'reservation' } } }),
      ...adminRefused(() => client.GET('/admin/events'), (headers) => client.GET('/admin/events', { headers })),
    },
    findSagas: {
      FST_ERR_VALIDATION: () => client.GET('/admin/sagas', { ...admin, params: { query: {} as never } }),
      ...adminRefused(() => client.GET('/admin/sagas', { params: { query: { q: 'ana' } } }), (headers) => client.GET('/admin/sagas', { headers, params: { query: { q: 'ana' } } })),
    },
    traceSaga: {
      FST_ERR_VALIDATION: () => client.GET('/admin/sagas/{id}', { ...admin, params: { path: { id: long } } }),
      SAGA_NOT_FOUND: () => client.GET('/admin/sagas/{id}', { ...admin, params: { path: { id: 'nope' } } }),
      ...adminRefused(() => client.GET('/admin/sagas/{id}', { params: { path: { id: 'nope' } } }), (headers) => client.GET('/admin/sagas/{id}', { headers, params: { path: { id: 'nope' } } })),
    },
    foldStream: {
      FST_ERR_VALIDATION: () => client.GET('/admin/streams/{streamId}', { ...admin, params: { path: { streamId: 'seat-nope' }, query: { toRevision: '-1' } } }),
      STREAM_NOT_FOUND: () => client.GET('/admin/streams/{streamId}', { ...admin, params: { path: { streamId: 'seat-nope' } } }),
      ...adminRefused(
        () => client.GET('/admin/streams/{streamId}', { params: { path: { streamId: 'seat-nope' } } }),
        (headers) => client.GET('/admin/streams/{streamId}', { headers, params: { path: { streamId: 'seat-nope' } } }),
      ),
    },
    listDeadLetters: {
      FST_ERR_VALIDATION: () => client.GET('/admin/dead-letters', { ...admin, params: unknownQuery }),
      ...adminRefused(() => client.GET('/admin/dead-letters'), (headers) => client.GET('/admin/dead-letters', { headers })),
    },
    redriveDeadLetter: {
      FST_ERR_VALIDATION: () => client.POST('/admin/dead-letters/{paymentId}/redrive', { ...admin, params: { path: { paymentId: long } } }),
      DELIVERY_NOT_FOUND: () => client.POST('/admin/dead-letters/{paymentId}/redrive', { ...admin, params: { path: { paymentId: 'nope' } } }),
      NOT_DEAD_LETTERED: async () => {
        // A payment of its own, delivered: the mock data platform takes everything.
        const own = await system.openSchedule(1, 100);
        await system.charge('dee', 100);
        const { paymentId } = await system.holdAndPay(own, 'dee', 1);
        await system.settle();
        return client.POST('/admin/dead-letters/{paymentId}/redrive', { ...admin, params: { path: { paymentId } } });
      },
      CANCELLATION_SENT: async () => {
        // A reservation the platform refused for good, then refunded: its cancellation is due, so the reservation stays dead.
        const paymentId = randomUUID();
        const stream = deliveryStream(paymentId);
        const now = system.clock.now().toISOString();
        const ref = { paymentId, reservationId: randomUUID(), userId: 'dee', scheduleId: 's1', amount: 100 };
        const policy = { maxAttempts: 3, baseMs: 1000, maxMs: 60_000 };
        await handleCommand(system.store, delivery, stream, { type: 'Schedule', data: { payload: { ...ref, concertId: 'c1', seatNo: 1, paidAt: now }, dueAt: now } });
        await handleCommand(system.store, delivery, stream, {
          type: 'RecordAttempt',
          data: { attempt: 1, outcome: { ok: false, status: 400, error: 'HTTP 400' }, now, jitter: 0, policy },
        });
        await handleCommand(system.store, delivery, stream, {
          type: 'ScheduleCancellation',
          data: { payload: { ...ref, seatNos: [1], refundedAt: now, reason: 'USER' }, dueAt: now },
        });
        return client.POST('/admin/dead-letters/{paymentId}/redrive', { ...admin, params: { path: { paymentId } } });
      },
      ...adminRefused(
        () => client.POST('/admin/dead-letters/{paymentId}/redrive', { params: { path: { paymentId: 'nope' } } }),
        (headers) => client.POST('/admin/dead-letters/{paymentId}/redrive', { headers, params: { path: { paymentId: 'nope' } } }),
      ),
    },
    listParked: {
      FST_ERR_VALIDATION: () => client.GET('/admin/parked', { ...admin, params: unknownQuery }),
      ...adminRefused(() => client.GET('/admin/parked'), (headers) => client.GET('/admin/parked', { headers })),
    },
    redriveParked: {
      FST_ERR_VALIDATION: () => client.POST('/admin/parked/{eventId}/redrive', { ...admin, params: { path: { eventId: long } } }),
      PARKED_EVENT_NOT_FOUND: () => client.POST('/admin/parked/{eventId}/redrive', { ...admin, params: { path: { eventId: 'nope' } } }),
      CANNOT_REDRIVE: async () => {
        // Parked by a reaction the point service no longer has.
        const [seatHeld] = await system.store.readStream(seatStream(scheduleId, 1));
        await park(system.store, reactionSubscriber('point'), 'point.retired', seatHeld!, new Error('gone'), 5, system.clock.now());
        return client.POST('/admin/parked/{eventId}/redrive', { ...admin, params: { path: { eventId: seatHeld!.id } } });
      },
      ...adminRefused(
        () => client.POST('/admin/parked/{eventId}/redrive', { params: { path: { eventId: 'nope' } } }),
        (headers) => client.POST('/admin/parked/{eventId}/redrive', { headers, params: { path: { eventId: 'nope' } } }),
      ),
    },
  };

  for (const [operationId, { errors }] of Object.entries(examples) as Array<[keyof typeof examples, { errors: readonly ErrorExample[] }]>) {
    const documented = errors.map((e) => e.code).sort();
    t.same(Object.keys(asks[operationId]).sort(), documented, `${operationId}: every documented code is asked for, and only those`);
    for (const example of errors) {
      const ask = asks[operationId][example.code];
      if (!ask) continue; // reported by the assertion above
      const { error, response } = await ask();
      t.equal(response.status, example.statusCode, `${operationId} ${example.code}: status`);
      t.same(sameRun(error), sameRun(example), `${operationId} ${example.code}: the answer is the documented example`);
    }
  }
});
