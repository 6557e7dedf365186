import t from 'tap';
import { startTestSystem, assertInvariants } from '../support/system.js';
import { startTestApi, schedule } from '../support/api.js';

t.test("a newcomer's journey: queue, browse, hold, charge, pay, wait for the end; the ranking once the schedule sells out", async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const { inject } = api;

  const concert = await api.registerConcert({ title: 'Spring Gala', schedules: [schedule({ seatCount: 2, price: 100 })] });
  const scheduleId = concert.schedules[0]!.scheduleId;

  // Join the line, wait to be let in.
  const joined = await inject({ method: 'POST', url: '/queue/tokens', payload: { userId: 'ana' } });
  t.equal(joined.statusCode, 201);
  t.match(joined.json(), { userId: 'ana', status: 'WAITING', position: 1 });
  const token = joined.json().token as string;
  const headers = { 'queue-token': token };
  await api.settle();
  const current = await inject({ method: 'GET', url: '/queue/tokens/current', headers });
  t.match(current.json(), { status: 'ACTIVE', position: 0, etaMs: 0 });
  t.type(current.json().expiresAt, 'string', 'an active token says when it ends');

  // Browse down to the seats.
  const concerts = await inject({ method: 'GET', url: '/concerts' });
  t.same(concerts.json(), [{ concertId: concert.concertId, title: 'Spring Gala', scheduleCount: 1 }]);
  const schedules = await inject({ method: 'GET', url: `/concerts/${concert.concertId}/schedules` });
  t.match(schedules.json(), [{ scheduleId, concertId: concert.concertId, totalSeats: 2, availableSeats: 2, soldOut: false }]);
  const seats = await inject({ method: 'GET', url: `/schedules/${scheduleId}/seats` });
  t.same(seats.json(), [
    { seatNo: 1, price: 100, status: 'AVAILABLE' },
    { seatNo: 2, price: 100, status: 'AVAILABLE' },
  ]);

  // Hold a seat: the seat map shows it at once.
  const hold = await inject({ method: 'POST', url: '/reservations', headers, payload: { scheduleId, seatNo: 1 } });
  t.equal(hold.statusCode, 201);
  t.match(hold.json(), { scheduleId, seatNo: 1, price: 100, userId: 'ana', status: 'HELD', expiresAt: '2030-01-01T10:05:00.000Z' });
  const reservationId = hold.json().reservationId as string;
  t.equal((await inject({ method: 'GET', url: `/schedules/${scheduleId}/seats` })).json()[0].status, 'HELD', 'read your own hold');
  t.equal((await inject({ method: 'GET', url: `/concerts/${concert.concertId}/schedules` })).json()[0].availableSeats, 1);

  // Charge, pay, and read the payment at once: never a spurious 404.
  const charged = await inject({ method: 'POST', url: '/users/ana/points/charge', payload: { amount: 500 } });
  t.same(charged.json(), { userId: 'ana', balance: 500 });
  const paid = await inject({ method: 'POST', url: '/payments', headers, payload: { reservationId } });
  t.equal(paid.statusCode, 202);
  const paymentId = paid.json().paymentId as string;
  t.same(paid.json(), { paymentId, reservationId, status: 'PENDING' });
  const pending = await inject({ method: 'GET', url: `/payments/${paymentId}` });
  t.equal(pending.statusCode, 200, 'the payment is there right after the request');
  t.match(pending.json(), { paymentId, status: /^(PENDING|COMPLETED)$/ }, 'the saga runs on its own meanwhile');

  // Long-poll while the saga runs.
  const waiting = inject({ method: 'GET', url: `/payments/${paymentId}?waitMs=30000` });
  const started = Date.now();
  await api.settle();
  const ended = await waiting;
  t.ok(Date.now() - started < 25_000, 'the long poll answers when the payment ends, not when waitMs (30 s) runs out');
  t.same(ended.json(), {
    paymentId,
    reservationId,
    userId: 'ana',
    scheduleId,
    seatNo: 1,
    amount: 100,
    status: 'COMPLETED',
    requestedAt: '2030-01-01T10:00:00.000Z',
    deadlineAt: '2030-01-01T10:00:30.000Z',
    completedAt: '2030-01-01T10:00:00.000Z',
  });

  t.same((await inject({ method: 'GET', url: '/users/ana/points' })).json(), { userId: 'ana', balance: 400 });
  t.match((await inject({ method: 'GET', url: `/reservations/${reservationId}` })).json(), { status: 'RESERVED', paymentId });
  t.equal((await inject({ method: 'GET', url: `/schedules/${scheduleId}/seats` })).json()[0].status, 'RESERVED');
  t.match((await inject({ method: 'GET', url: '/queue/tokens/current', headers })).json(), { status: 'EXPIRED', position: 0 }, 'paying frees the place in line');
  t.same((await inject({ method: 'GET', url: '/rankings/sold-out' })).json(), [], 'one seat of two: not sold out');

  // Someone else takes the last seat: the schedule sells out and is ranked.
  const benToken = await api.activeToken('ben');
  const benHold = await inject({ method: 'POST', url: '/reservations', headers: { 'queue-token': benToken }, payload: { scheduleId, seatNo: 2 } });
  await inject({ method: 'POST', url: '/users/ben/points/charge', payload: { amount: 100 } });
  const benPaid = await inject({ method: 'POST', url: '/payments', headers: { 'queue-token': benToken }, payload: { reservationId: benHold.json().reservationId } });
  await api.settle();
  t.equal((await inject({ method: 'GET', url: `/payments/${benPaid.json().paymentId}` })).json().status, 'COMPLETED');

  const ranking = await inject({ method: 'GET', url: '/rankings/sold-out' });
  t.same(ranking.json(), [
    {
      rank: 1,
      scheduleId,
      concertId: concert.concertId,
      title: 'Spring Gala',
      bookingOpenedAt: '2030-01-01T09:00:00.000Z',
      soldOutAt: '2030-01-01T10:00:00.000Z',
      durationMs: 3_600_000,
    },
  ]);
  t.match((await inject({ method: 'GET', url: `/concerts/${concert.concertId}/schedules` })).json(), [{ availableSeats: 0, soldOut: true }]);
  await assertInvariants(t, system);
});

t.test('the ranking lists the fastest sell-out first and honours limit', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  // Opened one and two hours before the sales: the later opening sells out faster.
  const slow = await api.registerConcert({ title: 'Slow', schedules: [schedule({ seatCount: 1, bookingOpensAt: '2030-01-01T08:00:00.000Z' })] });
  const fast = await api.registerConcert({ title: 'Fast', schedules: [schedule({ seatCount: 1, bookingOpensAt: '2030-01-01T09:00:00.000Z' })] });
  for (const [userId, concert] of [['ana', slow], ['ben', fast]] as const) {
    await system.charge(userId, 100);
    await system.holdAndPay({ concertId: concert.concertId, scheduleId: concert.schedules[0]!.scheduleId, price: 100 }, userId, 1);
  }
  await api.settle();
  const all = (await api.inject({ method: 'GET', url: '/rankings/sold-out' })).json();
  t.same(all.map((r: { rank: number; title: string; durationMs: number }) => [r.rank, r.title, r.durationMs]), [
    [1, 'Fast', 3_600_000],
    [2, 'Slow', 7_200_000],
  ]);
  const top = (await api.inject({ method: 'GET', url: '/rankings/sold-out?limit=1' })).json();
  t.same(top.map((r: { title: string }) => r.title), ['Fast']);
  for (const limit of ['0', '101', 'ten', '1.5', '-1']) {
    await api.refused(t, { method: 'GET', url: `/rankings/sold-out?limit=${limit}` }, 400, 'FST_ERR_VALIDATION');
  }
  await api.refused(t, { method: 'GET', url: '/rankings/sold-out?top=3' }, 400, 'FST_ERR_VALIDATION', 'an unknown query parameter');
});
