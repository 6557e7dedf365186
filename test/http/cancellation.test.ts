import t, { type Test } from 'tap';
import { startTestSystem } from '../support/system.js';
import { startTestApi, schedule, type TestApi } from '../support/api.js';
import { bearer, hs256Token, USER_JWT_SECRET } from '../support/user-tokens.js';

async function ready(t: Test, scheduleOverrides: Record<string, unknown> = {}) {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const concert = await api.registerConcert({ schedules: [schedule(scheduleOverrides)] });
  return { system, api, scheduleId: concert.schedules[0]!.scheduleId };
}

async function hold(api: TestApi, scheduleId: string, userId: string, seatNos: number[]) {
  const token = await api.activeToken(userId);
  const response = await api.inject({ method: 'POST', url: '/reservations', headers: { 'queue-token': token }, payload: { scheduleId, seatNos } });
  if (response.statusCode !== 201) throw new Error(`POST /reservations: ${response.statusCode} ${response.body}`);
  return { token, reservationId: response.json().reservationId as string };
}

/** A reservation held and paid for through the API, the saga settled. */
async function paid(api: TestApi, scheduleId: string, userId: string, seatNos: number[], points = 1_000) {
  const { token, reservationId } = await hold(api, scheduleId, userId, seatNos);
  if (points > 0) await api.inject({ method: 'POST', url: `/users/${userId}/points/charge`, payload: { amount: points } });
  const response = await api.inject({ method: 'POST', url: '/payments', headers: { 'queue-token': token }, payload: { reservationId } });
  if (response.statusCode !== 202) throw new Error(`POST /payments: ${response.statusCode} ${response.body}`);
  await api.settle();
  return { reservationId, paymentId: response.json().paymentId as string };
}

const cancel = (reservationId: string, payload: unknown = { userId: 'ana' }, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: `/reservations/${reservationId}/cancel`,
  headers,
  payload: payload as object,
});

const get = async (api: TestApi, url: string) => (await api.inject({ method: 'GET', url })).json();

t.test('a held reservation is released at once: 200 RELEASED, its seats free; a repeat answers the same and writes nothing', async (t) => {
  const { api, scheduleId } = await ready(t);
  const { reservationId } = await hold(api, scheduleId, 'ana', [1, 2]);
  const response = await api.inject(cancel(reservationId));
  t.equal(response.statusCode, 200);
  t.same(response.json(), { reservationId, status: 'RELEASED' });
  t.match(await get(api, `/reservations/${reservationId}`), { status: 'RELEASED' }, 'read back at once');
  t.same((await get(api, `/schedules/${scheduleId}/seats`)).map((s: { status: string }) => s.status), ['AVAILABLE', 'AVAILABLE', 'AVAILABLE']);
  t.match(await get(api, '/users/ana/reservations'), [{ reservationId, status: 'RELEASED' }]);

  await api.quiesce();
  const head = await api.head();
  const again = await api.inject(cancel(reservationId));
  t.equal(again.statusCode, 200);
  t.same(again.json(), { reservationId, status: 'RELEASED' }, 'the same answer');
  t.equal(await api.head(), head, 'nothing appended');
  // The seats are the user's to hold again straight away.
  t.equal((await hold(api, scheduleId, 'ana', [1, 2, 3])).reservationId.length > 0, true);
});

t.test('a paid reservation: 202 CANCELLING, then the saga makes it CANCELLED, the payment REFUNDED, the points back', async (t) => {
  const { api, system, scheduleId } = await ready(t);
  const { reservationId, paymentId } = await paid(api, scheduleId, 'ana', [1, 3]);
  t.match(await get(api, `/users/ana/points`), { balance: 800 });
  // The seats wait, so that the refund can be seen under way.
  await system.stop(['reservation']);
  const response = await api.inject(cancel(reservationId));
  t.equal(response.statusCode, 202);
  const body = { reservationId, paymentId, status: 'CANCELLING' };
  t.same(response.json(), body);
  t.match(await get(api, `/reservations/${reservationId}`), { status: 'CANCELLING', paymentId });
  t.match(await get(api, '/users/ana/reservations'), [{ reservationId, status: 'CANCELLING' }]);
  const during = await get(api, `/payments/${paymentId}`);
  t.equal(during.status, 'COMPLETED', 'a payment being refunded reads COMPLETED');
  t.notOk('refundedAt' in during);
  const repeated = await api.inject(cancel(reservationId));
  t.equal(repeated.statusCode, 202, 'a repeat while it runs');
  t.same(repeated.json(), body);

  await system.start(['reservation']);
  await api.settle();
  t.match(await get(api, `/reservations/${reservationId}`), { status: 'CANCELLED' });
  t.match(await get(api, '/users/ana/reservations'), [{ reservationId, status: 'CANCELLED' }]);
  t.match(await get(api, `/payments/${paymentId}`), { status: 'REFUNDED', refundedAt: system.clock.now().toISOString() });
  t.same((await get(api, `/schedules/${scheduleId}/seats`)).map((s: { status: string }) => s.status), ['AVAILABLE', 'AVAILABLE', 'AVAILABLE']);
  t.match(await get(api, `/users/ana/points`), { balance: 1_000 });
  const history = await get(api, '/users/ana/points/history');
  t.same(history.map((m: { kind: string }) => m.kind), ['REFUND', 'DEBIT', 'CHARGE'], 'one REFUND, newest first');
  t.match(history[0], { amount: 200, balanceAfter: 1_000, paymentId });
  const trace = (await get(api, `/payments/${paymentId}/events`)).map((e: { type: string }) => e.type);
  t.ok(trace.includes('RefundRequested') && trace.includes('PaymentRefunded'), 'the trace shows the refund');
  const saga = (await api.inject({ method: 'GET', url: `/admin/sagas/${paymentId}`, headers: api.admin })).json();
  t.match(saga.outcome, { status: 'REFUNDED', reason: 'USER' }, "the console's trace ends REFUNDED");

  const after = await api.inject(cancel(reservationId));
  t.equal(after.statusCode, 202, 'a repeat once refunded');
  t.same(after.json(), body);
});

t.test('the same cancel twice at once, and with an Idempotency-Key: one refund, the same answer', async (t) => {
  const { api, system, scheduleId } = await ready(t);
  const { reservationId, paymentId } = await paid(api, scheduleId, 'ana', [2]);
  const [a, b] = await Promise.all([api.inject(cancel(reservationId)), api.inject(cancel(reservationId))]);
  t.same([a!.statusCode, b!.statusCode], [202, 202]);
  t.same(a!.json(), b!.json());
  const keyed = await api.inject(cancel(reservationId, { userId: 'ana' }, { 'idempotency-key': 'k-1' }));
  const replayed = await api.inject(cancel(reservationId, { userId: 'ana' }, { 'idempotency-key': 'k-1' }));
  t.equal(replayed.headers['idempotent-replayed'], 'true');
  t.same(replayed.json(), keyed.json());
  await api.settle();
  t.same(await system.streamTypes(`payment-${paymentId}`), ['PaymentRequested', 'PaymentCompleted', 'RefundRequested', 'PaymentRefunded']);
  t.same((await system.store.readStream('points-ana')).map((e) => e.type), ['PointsCharged', 'PointsDebited', 'PointsRefunded']);
});

t.test('409 CANCELLATION_CLOSED within CANCELLATION_CUTOFF_MS of the start', async (t) => {
  // Starts 23 hours after the test clock: inside the default 24-hour cutoff.
  const { api, scheduleId } = await ready(t, { startsAt: '2030-01-02T09:00:00.000Z' });
  const { reservationId, paymentId } = await paid(api, scheduleId, 'ana', [1]);
  const body = await api.refused(t, cancel(reservationId), 409, 'CANCELLATION_CLOSED');
  t.equal(body.message, 'cancellations closed at 2030-01-01T09:00:00.000Z');
  t.match(await get(api, `/payments/${paymentId}`), { status: 'COMPLETED' });
  t.match(await get(api, `/reservations/${reservationId}`), { status: 'RESERVED' });
});

t.test('409 PAYMENT_IN_PROGRESS while its payment is pending', async (t) => {
  const { api, system, scheduleId } = await ready(t);
  const { token, reservationId } = await hold(api, scheduleId, 'ana', [1]);
  await system.stop(['reservation']);
  await api.inject({ method: 'POST', url: '/payments', headers: { 'queue-token': token }, payload: { reservationId } });
  t.match(await get(api, `/reservations/${reservationId}`), { status: 'HELD', paymentId: /./ }, 'held, its payment requested');
  await api.refused(t, cancel(reservationId), 409, 'PAYMENT_IN_PROGRESS');
  await system.start(['reservation']);
  await api.settle();
});

t.test('409 NOT_CANCELLABLE for an expired hold, and for a failed payment (its seats RELEASED)', async (t) => {
  const { api, system, scheduleId } = await ready(t);
  const expired = await hold(api, scheduleId, 'ana', [1]);
  system.clock.advance(system.config.holdTtlMs);
  await api.settle();
  await api.refused(t, cancel(expired.reservationId), 409, 'NOT_CANCELLABLE', 'EXPIRED');

  // No points: the payment fails and its seat is released.
  const failed = await paid(api, scheduleId, 'ben', [2], 0);
  t.match(await get(api, `/payments/${failed.paymentId}`), { status: 'FAILED' });
  await api.refused(t, cancel(failed.reservationId, { userId: 'ben' }), 409, 'NOT_CANCELLABLE', 'payment FAILED');
});

t.test('403 NOT_OWNER, 404 RESERVATION_NOT_FOUND', async (t) => {
  const { api, system, scheduleId } = await ready(t);
  const { reservationId } = await hold(api, scheduleId, 'ana', [1]);
  await api.refused(t, cancel(reservationId, { userId: 'ben' }), 403, 'NOT_OWNER', "another user's reservation");
  await api.refused(t, cancel('nope'), 404, 'RESERVATION_NOT_FOUND');

  // With user identity: ben's own token naming ben is still not ana's reservation; ben's token naming ana is refused before.
  const identity = await startTestApi(t, system, { projections: [], config: { userJwtSecret: USER_JWT_SECRET } });
  const ben = bearer(await hs256Token('ben', { now: system.clock.now() }));
  const head = await api.head();
  for (const userId of ['ben', 'ana']) {
    const response = await identity.inject({ ...cancel(reservationId, { userId }), headers: ben });
    t.equal(response.statusCode, 403, `ben's token naming ${userId}`);
    t.equal(response.json().code, 'NOT_OWNER');
  }
  const ana = bearer(await hs256Token('ana', { now: system.clock.now() }));
  t.equal((await identity.inject(cancel(reservationId))).statusCode, 401, 'no token');
  t.equal(await api.head(), head, 'nothing appended');
  const own = await identity.inject({ ...cancel(reservationId), headers: ana });
  t.equal(own.statusCode, 200, "ana's token naming ana");
});

t.test('bad input is a 400 and writes nothing', async (t) => {
  const { api, scheduleId } = await ready(t);
  const { reservationId } = await hold(api, scheduleId, 'ana', [1]);
  const cases: Array<[string, unknown]> = [
    ['no body field', {}],
    ['an extra field', { userId: 'ana', reason: 'changed my mind' }],
    ['a userId with a space', { userId: 'ana maria' }],
    ['a userId that is a number', { userId: 7 }],
    ['an empty userId', { userId: '' }],
  ];
  for (const [what, payload] of cases) await api.refused(t, cancel(reservationId, payload), 400, 'FST_ERR_VALIDATION', what);
  await api.refused(t, cancel('r'.repeat(129)), 400, 'FST_ERR_VALIDATION', 'a reservationId of 129 characters');
  t.match(await get(api, `/reservations/${reservationId}`), { status: 'HELD' }, 'still held');
});
