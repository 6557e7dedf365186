import t, { type Test } from 'tap';
import { startTestSystem } from '../support/system.js';
import { startTestApi, schedule } from '../support/api.js';

async function ready(t: Test) {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const concert = await api.registerConcert({ schedules: [schedule({ seatCount: 3 }), schedule({ seatCount: 2 })] });
  const [first, other] = concert.schedules.map((s) => s.scheduleId) as [string, string];
  return { system, api, concertId: concert.concertId, scheduleId: first, otherId: other };
}

const cancel = (scheduleId: string, headers: Record<string, string>) => ({ method: 'POST' as const, url: `/schedules/${scheduleId}/cancel`, headers });

const hold = (token: string, scheduleId: string, seatNos: number[]) => ({
  method: 'POST' as const,
  url: '/reservations',
  headers: { 'queue-token': token },
  payload: { scheduleId, seatNos },
});

async function listed(api: Awaited<ReturnType<typeof ready>>['api'], concertId: string, scheduleId: string) {
  const docs = (await api.inject({ method: 'GET', url: `/concerts/${concertId}/schedules` })).json() as Array<Record<string, unknown>>;
  return docs.find((doc) => doc.scheduleId === scheduleId);
}

t.test('POST /schedules/:id/cancel: 202 CANCELLING, holds refused from the answer on, CANCELLED once every seat is undone', async (t) => {
  const { system, api, concertId, scheduleId, otherId } = await ready(t);
  const ana = await api.activeToken('ana');
  const ben = await api.activeToken('ben');
  await api.inject({ method: 'POST', url: '/users/ana/points/charge', payload: { amount: 1_000 } });
  const paid = (await api.inject(hold(ana, scheduleId, [1, 2]))).json() as { reservationId: string };
  const payment = (await api.inject({ method: 'POST', url: '/payments', headers: { 'queue-token': ana }, payload: { reservationId: paid.reservationId } })).json() as { paymentId: string };
  await api.settle();
  t.match(await listed(api, concertId, scheduleId), { status: 'OPEN', refundsPending: 0, availableSeats: 1 }, 'open and selling before');
  // ana's queue token expired with her payment; ben holds the last seat.
  t.equal((await api.inject(hold(ben, scheduleId, [3]))).statusCode, 201);

  // The points wait: the refund is visible while it is pending.
  await system.stop(['point']);
  const answer = await api.inject(cancel(scheduleId, api.admin));
  t.equal(answer.statusCode, 202);
  t.same(answer.json(), { scheduleId, status: 'CANCELLING' });
  await api.refused(t, hold(ben, scheduleId, [1]), 409, 'SCHEDULE_CANCELLED', 'a hold straight after the answer');
  await api.settle();
  t.match(await listed(api, concertId, scheduleId), { status: 'CANCELLING', refundsPending: 1, availableSeats: 0 }, 'the refund under way');
  const one = await api.inject({ method: 'GET', url: `/schedules/${scheduleId}` });
  t.equal(one.statusCode, 200);
  t.same(one.json(), await listed(api, concertId, scheduleId), 'GET /schedules/:id answers the same as the list');
  t.same(
    (await api.inject({ method: 'GET', url: `/schedules/${scheduleId}/seats` })).json().map((s: { status: string }) => s.status),
    ['AVAILABLE', 'AVAILABLE', 'AVAILABLE'],
    "ben's hold released, ana's seats released by her refund",
  );
  t.same((await api.inject(cancel(scheduleId, api.admin))).json(), { scheduleId, status: 'CANCELLING' }, 'a repeat answers the status now');

  await system.start(['point']);
  await api.settle();
  t.match(await listed(api, concertId, scheduleId), { status: 'CANCELLED', refundsPending: 0, availableSeats: 0 });
  t.match((await api.inject({ method: 'GET', url: `/payments/${payment.paymentId}` })).json(), { status: 'REFUNDED' });
  t.match((await api.inject({ method: 'GET', url: '/users/ana/points' })).json(), { balance: 1_000 }, 'the points back');
  const before = await api.head();
  const repeat = await api.inject(cancel(scheduleId, api.admin));
  t.equal(repeat.statusCode, 202);
  t.same(repeat.json(), { scheduleId, status: 'CANCELLED' }, 'a repeat once done answers CANCELLED');
  t.equal(await api.head(), before, 'and writes nothing');
  await api.refused(t, hold(ben, scheduleId, [2, 3]), 409, 'SCHEDULE_CANCELLED', 'several seats of a cancelled schedule');
  t.match(await listed(api, concertId, otherId), { status: 'OPEN', availableSeats: 2 }, "the concert's other schedule still sells");
  t.equal((await api.inject(hold(ben, otherId, [1]))).statusCode, 201);
});

t.test('POST /schedules/:id/cancel refuses without the admin token, an unknown schedule and a bad id, writing nothing', async (t) => {
  const { api, scheduleId } = await ready(t);
  await api.refused(t, cancel(scheduleId, {}), 401, 'ADMIN_TOKEN_REQUIRED', 'no token');
  await api.refused(t, cancel(scheduleId, { authorization: 'Bearer wrong' }), 401, 'ADMIN_TOKEN_INVALID', 'a wrong token');
  await api.refused(t, cancel(scheduleId, { 'queue-token': 'x' }), 401, 'ADMIN_TOKEN_REQUIRED', 'a queue token is no admin token');
  await api.refused(t, cancel('nope', api.admin), 404, 'SCHEDULE_NOT_FOUND', 'unknown schedule');
  await api.refused(t, cancel('x'.repeat(129), api.admin), 400, 'FST_ERR_VALIDATION', 'an id too long');
  await api.refused(t, { method: 'GET', url: '/schedules/nope' }, 404, 'SCHEDULE_NOT_FOUND', 'GET of an unknown schedule');
});
