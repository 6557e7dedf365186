import t, { type Test } from 'tap';
import { startTestSystem, assertInvariants } from '../support/system.js';
import { startTestApi } from '../support/api.js';
import { paymentStream } from '../../domains/payment/payment.js';

/**
 * Ana, admitted, holding seat 1 of a 3-seat schedule at 100 points, with
 * `balance` points. With `paused`, the reservation service is not running, so
 * a payment stays PENDING until the test starts it.
 */
async function holding(t: Test, balance = 500, paused = false) {
  const system = await startTestSystem(t, paused ? { without: ['reservation'] } : {});
  const api = await startTestApi(t, system);
  const concert = await api.registerConcert();
  const scheduleId = concert.schedules[0]!.scheduleId;
  const token = await api.activeToken('ana');
  const held = await api.inject({ method: 'POST', url: '/reservations', headers: { 'queue-token': token }, payload: { scheduleId, seatNo: 1 } });
  if (balance > 0) await api.inject({ method: 'POST', url: '/users/ana/points/charge', payload: { amount: balance } });
  return { system, api, scheduleId, token, reservationId: held.json().reservationId as string };
}

const pay = (token: string | undefined, payload: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: '/payments',
  headers: { ...(token === undefined ? {} : { 'queue-token': token }), ...headers },
  payload: payload as object,
});

t.test('POST /payments starts the saga once per reservation; repeats answer with the same payment', async (t) => {
  const { system, api, token, reservationId } = await holding(t, 500, true);
  const first = await api.inject(pay(token, { reservationId }));
  t.equal(first.statusCode, 202);
  const { paymentId } = first.json();
  t.same(first.json(), { paymentId, reservationId, status: 'PENDING' });
  t.match((await api.inject({ method: 'GET', url: `/reservations/${reservationId}` })).json(), { status: 'HELD', paymentId }, 'the hold names its payment at once');

  await api.quiesce();
  const head = await api.head();
  const repeat = await api.inject(pay(token, { reservationId }));
  t.equal(repeat.statusCode, 202, 'still running: 202');
  t.same(repeat.json(), { paymentId, reservationId, status: 'PENDING' });
  t.equal(await api.head(), head, 'a repeat appends nothing');

  await system.start(['reservation']);
  await api.settle();
  const ended = await api.inject(pay(token, { reservationId }));
  t.equal(ended.statusCode, 200, 'ended: 200, even though paying expired the token');
  t.same(ended.json(), { paymentId, reservationId, status: 'COMPLETED' });
  t.same(
    (await system.store.readStream(paymentStream(paymentId))).map((e) => e.type),
    ['PaymentRequested', 'PaymentCompleted'],
    'one payment',
  );
  await assertInvariants(t, system);
});

t.test('a double submit at once makes one payment', async (t) => {
  const { system, api, token, reservationId } = await holding(t, 500, true);
  const answers = await Promise.all([api.inject(pay(token, { reservationId })), api.inject(pay(token, { reservationId }))]);
  t.same(answers.map((a) => a.statusCode), [202, 202]);
  t.equal(answers[0]!.json().paymentId, answers[1]!.json().paymentId);
  await system.start(['reservation']);
  await api.settle();
  t.same((await system.store.readStream(paymentStream(answers[0]!.json().paymentId))).map((e) => e.type), ['PaymentRequested', 'PaymentCompleted']);
  await assertInvariants(t, system);
});

t.test('POST /payments: 401 without a genuine token, 403 for another user or a token not ACTIVE, 404 unknown, 400 bad input', async (t) => {
  const { system, api, token, reservationId } = await holding(t);
  await api.refused(t, pay(undefined, { reservationId }), 401, 'QUEUE_TOKEN_MISSING');
  await api.refused(t, pay('x.y', { reservationId }), 401, 'QUEUE_TOKEN_INVALID');
  const ben = await api.activeToken('ben');
  await api.refused(t, pay(ben, { reservationId }), 403, 'NOT_HOLDER', "Ben's token for Ana's hold");
  await api.refused(t, pay(token, { reservationId: 'nope' }), 404, 'RESERVATION_NOT_FOUND');
  for (const [name, payload] of [
    ['no reservationId', {}],
    ['an empty reservationId', { reservationId: '' }],
    ['a reservationId that is a number', { reservationId: 5 }],
    ['a reservationId of 129 characters', { reservationId: 'r'.repeat(129) }],
    ['an unknown field', { reservationId, amount: 1 }],
  ] as const) {
    await api.refused(t, pay(token, payload), 400, 'FST_ERR_VALIDATION', name);
  }
  // Ana's token runs out before she pays: no new payment on it.
  system.clock.advance(system.config.queueTokenTtlMs);
  await api.refused(t, pay(token, { reservationId }), 403, 'QUEUE_TOKEN_NOT_ACTIVE');
});

t.test('GET /payments/:id long-polls until the payment ends or waitMs passes', async (t) => {
  const { system, api, token, reservationId } = await holding(t, 500, true);
  const { paymentId } = (await api.inject(pay(token, { reservationId }))).json();
  const at = (url: string) => api.inject({ method: 'GET', url });

  let started = Date.now();
  const now = await at(`/payments/${paymentId}?waitMs=0`);
  t.match(now.json(), { status: 'PENDING' }, 'waitMs=0 answers at once');
  const timedOut = await at(`/payments/${paymentId}?waitMs=150`);
  t.match(timedOut.json(), { status: 'PENDING' }, 'nothing moved: still PENDING after waitMs');
  t.ok(Date.now() - started >= 140, 'it did wait');

  const polling = at(`/payments/${paymentId}?waitMs=30000`);
  started = Date.now();
  await system.start(['reservation']);
  await api.settle();
  const ended = await polling;
  t.match(ended.json(), { paymentId, status: 'COMPLETED', completedAt: '2030-01-01T10:00:00.000Z' });
  t.ok(Date.now() - started < 25_000, 'answered when the payment ended, not when waitMs (30 s) ran out');
  t.match((await at(`/payments/${paymentId}?waitMs=30000`)).json(), { status: 'COMPLETED' }, 'an ended payment answers at once');

  for (const waitMs of ['-1', '30001', 'soon', '1.5', '1e3', '']) {
    await api.refused(t, { method: 'GET', url: `/payments/${paymentId}?waitMs=${waitMs}` }, 400, 'FST_ERR_VALIDATION', `waitMs=${waitMs}`);
  }
  await api.refused(t, { method: 'GET', url: '/payments/nope' }, 404, 'PAYMENT_NOT_FOUND');
  await api.refused(t, { method: 'GET', url: '/payments/nope?waitMs=1000' }, 404, 'PAYMENT_NOT_FOUND', 'unknown, even when asked to wait');
  await api.refused(t, { method: 'GET', url: `/payments/${'p'.repeat(129)}` }, 400, 'FST_ERR_VALIDATION');
});

t.test('a payment without the points fails INSUFFICIENT_BALANCE; the seat and the points are as before', async (t) => {
  const { system, api, token, reservationId, scheduleId } = await holding(t, 50);
  const { paymentId } = (await api.inject(pay(token, { reservationId }))).json();
  const polling = api.inject({ method: 'GET', url: `/payments/${paymentId}?waitMs=10000` });
  await api.settle();
  const ended = (await polling).json();
  t.match(ended, { status: 'FAILED', reason: 'INSUFFICIENT_BALANCE', failedAt: '2030-01-01T10:00:00.000Z' });
  t.notOk('completedAt' in ended, 'a failed payment has no completedAt');
  t.same((await api.inject({ method: 'GET', url: '/users/ana/points' })).json(), { userId: 'ana', balance: 50 });
  t.match((await api.inject({ method: 'GET', url: `/reservations/${reservationId}` })).json(), { status: 'RELEASED', paymentId });
  t.equal((await api.inject({ method: 'GET', url: `/schedules/${scheduleId}/seats` })).json()[0].status, 'AVAILABLE');
  const repeat = await api.inject(pay(token, { reservationId }));
  t.equal(repeat.statusCode, 200);
  t.same(repeat.json(), { paymentId, reservationId, status: 'FAILED', reason: 'INSUFFICIENT_BALANCE' }, 'the repeat says how it ended');
  await assertInvariants(t, system);
});

t.test('paying for a hold that has expired fails HOLD_EXPIRED', async (t) => {
  const { system, api, token, reservationId } = await holding(t);
  system.clock.advance(system.config.holdTtlMs);
  await api.settle();
  t.match((await api.inject({ method: 'GET', url: `/reservations/${reservationId}` })).json(), { status: 'EXPIRED' });
  const { paymentId } = (await api.inject(pay(token, { reservationId }))).json();
  await api.settle();
  t.match((await api.inject({ method: 'GET', url: `/payments/${paymentId}` })).json(), { status: 'FAILED', reason: 'HOLD_EXPIRED' });
  t.same((await api.inject({ method: 'GET', url: '/users/ana/points' })).json().balance, 500, 'nothing debited');
  await assertInvariants(t, system);
});

t.test('POST /payments with an Idempotency-Key replays the first answer', async (t) => {
  const { api, token, reservationId } = await holding(t);
  const request = pay(token, { reservationId }, { 'idempotency-key': 'pay-1' });
  const first = await api.inject(request);
  await api.settle();
  const retry = await api.inject(request);
  t.equal(retry.statusCode, 202, 'the first answer, though the payment has since completed');
  t.equal(retry.body, first.body);
  t.equal(retry.headers['idempotent-replayed'], 'true');
});

t.test('closing the server answers a long poll at once rather than holding the shutdown', async (t) => {
  const { api, token, reservationId } = await holding(t, 500, true);
  const { paymentId } = (await api.inject(pay(token, { reservationId }))).json();
  const polling = api.inject({ method: 'GET', url: `/payments/${paymentId}?waitMs=30000` });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  await api.app.close();
  const answer = await polling;
  t.ok(Date.now() - started < 15_000, 'the close did not wait out the poll (30 s)');
  t.equal(answer.statusCode, 200);
  t.match(answer.json(), { paymentId, status: 'PENDING' }, 'the payment as it stands');
});
