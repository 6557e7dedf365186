import t, { type Test } from 'tap';
import { startTestSystem, assertInvariants } from '../support/system.js';
import { startTestApi, schedule } from '../support/api.js';
import { examples } from '../../infra/http/examples.js';

/** The data of a typed answer, failing the test with the status and error body when there is none. */
function ok<T>(t: Test, answer: { data?: T; error?: unknown; response: Response }, status: number, what: string): T {
  t.equal(answer.response.status, status, what);
  if (answer.data === undefined) throw new Error(`${what}: ${answer.response.status} ${JSON.stringify(answer.error)}`);
  return answer.data;
}

/** Same keys, same JSON types, all the way down: the live answer is of the kind the document's recorded example shows. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]).sort(([a], [b]) => String(a).localeCompare(String(b))));
  return value === null ? 'null' : typeof value;
}

t.test("a newcomer's journey through the typed client: queue, browse, hold, charge, pay, wait for the end; the ranking once the schedule sells out", async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const client = await api.client();

  const concert = ok(
    t,
    await client.POST('/concerts', { headers: api.admin, body: { title: 'Spring Gala', schedules: [schedule({ seatCount: 2, price: 100 })] } }),
    201,
    'the admin registers a concert',
  );
  t.same(shapeOf(concert), shapeOf(examples.registerConcert.response), 'the answer is shaped as the documented example');
  const scheduleId = concert.schedules[0]!.scheduleId;

  // Join the line, wait to be let in.
  const joined = ok(t, await client.POST('/queue/tokens', { body: { userId: 'ana' } }), 201, 'a token');
  t.match(joined, { userId: 'ana', status: 'WAITING', position: 1 });
  t.same(shapeOf(joined), shapeOf(examples.issueQueueToken.response));
  const header = { 'queue-token': joined.token };
  await api.settle();
  const current = ok(t, await client.GET('/queue/tokens/current', { params: { header } }), 200, 'where the token stands');
  t.match(current, { status: 'ACTIVE', position: 0, etaMs: 0 });
  t.type(current.expiresAt, 'string', 'an active token says when it ends');
  t.same(shapeOf(current), shapeOf(examples.getCurrentQueueToken.response));

  // Browse down to the seats.
  const concerts = ok(t, await client.GET('/concerts'), 200, 'the concerts');
  t.same(concerts, [{ concertId: concert.concertId, title: 'Spring Gala', scheduleCount: 1 }]);
  const schedules = ok(t, await client.GET('/concerts/{concertId}/schedules', { params: { path: { concertId: concert.concertId } } }), 200, 'its schedules');
  t.match(schedules, [{ scheduleId, concertId: concert.concertId, totalSeats: 2, availableSeats: 2, soldOut: false }]);
  t.same(shapeOf(schedules), shapeOf(examples.listSchedules.response));
  const seatMap = () => client.GET('/schedules/{scheduleId}/seats', { params: { path: { scheduleId } } });
  t.same(ok(t, await seatMap(), 200, 'the seat map'), [
    { seatNo: 1, price: 100, status: 'AVAILABLE' },
    { seatNo: 2, price: 100, status: 'AVAILABLE' },
  ]);

  // Hold a seat: the seat map shows it at once.
  const hold = ok(t, await client.POST('/reservations', { params: { header }, body: { scheduleId, seatNo: 1 } }), 201, 'a hold');
  t.match(hold, { scheduleId, seatNo: 1, price: 100, userId: 'ana', status: 'HELD', expiresAt: '2030-01-01T10:05:00.000Z' });
  t.same(shapeOf(hold), shapeOf(examples.holdSeat.response));
  const { reservationId } = hold;
  t.equal(ok(t, await seatMap(), 200, 'the seat map again')[0]?.status, 'HELD', 'read your own hold');
  const schedulesNow = ok(t, await client.GET('/concerts/{concertId}/schedules', { params: { path: { concertId: concert.concertId } } }), 200, 'the schedules again');
  t.equal(schedulesNow[0]?.availableSeats, 1);

  // Charge, pay, and read the payment at once: never a spurious 404.
  const charged = ok(t, await client.POST('/users/{userId}/points/charge', { params: { path: { userId: 'ana' } }, body: { amount: 500 } }), 200, 'a charge');
  t.same(charged, { userId: 'ana', balance: 500 });
  const paid = ok(t, await client.POST('/payments', { params: { header }, body: { reservationId } }), 202, 'a payment, PENDING');
  const { paymentId } = paid;
  t.same(paid, { paymentId, reservationId, status: 'PENDING' });
  const pending = await client.GET('/payments/{paymentId}', { params: { path: { paymentId } } });
  t.equal(pending.response.status, 200, 'the payment is there right after the request');
  t.match(pending.data, { paymentId, status: /^(PENDING|COMPLETED)$/ }, 'the saga runs on its own meanwhile');

  // Long-poll while the saga runs.
  const waiting = client.GET('/payments/{paymentId}', { params: { path: { paymentId }, query: { waitMs: 30_000 } } });
  const started = Date.now();
  await api.settle();
  const ended = ok(t, await waiting, 200, 'the long poll');
  t.ok(Date.now() - started < 25_000, 'the long poll answers when the payment ends, not when waitMs (30 s) runs out');
  t.same(ended, {
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
  t.same(shapeOf(ended), shapeOf(examples.getPayment.response));

  t.same(ok(t, await client.GET('/users/{userId}/points', { params: { path: { userId: 'ana' } } }), 200, 'the balance'), { userId: 'ana', balance: 400 });
  const reservation = ok(t, await client.GET('/reservations/{reservationId}', { params: { path: { reservationId } } }), 200, 'the reservation');
  t.match(reservation, { status: 'RESERVED', paymentId });
  t.same(shapeOf(reservation), shapeOf(examples.getReservation.response));
  const history = ok(t, await client.GET('/users/{userId}/points/history', { params: { path: { userId: 'ana' } } }), 200, 'the point history');
  t.same(history, [
    { kind: 'DEBIT', amount: 100, balanceAfter: 400, paymentId, at: '2030-01-01T10:00:00.000Z' },
    { kind: 'CHARGE', amount: 500, balanceAfter: 500, at: '2030-01-01T10:00:00.000Z' },
  ]);
  t.same(shapeOf(history), shapeOf(examples.listPointHistory.response));
  const mine = ok(t, await client.GET('/users/{userId}/reservations', { params: { path: { userId: 'ana' } } }), 200, "ana's reservations");
  t.same(mine, [
    { reservationId, scheduleId, concertId: concert.concertId, title: 'Spring Gala', seatNos: [1], amount: 100, status: 'RESERVED', paymentId, updatedAt: '2030-01-01T10:00:00.000Z' },
  ]);
  t.same(shapeOf(mine), shapeOf(examples.listUserReservations.response));
  t.equal(ok(t, await seatMap(), 200, 'the seat map once paid')[0]?.status, 'RESERVED');
  const trace = ok(t, await client.GET('/payments/{paymentId}/events', { params: { path: { paymentId } } }), 200, 'the saga trace');
  t.same(shapeOf(trace), shapeOf(examples.tracePayment.response));
  t.match(ok(t, await client.GET('/queue/tokens/current', { params: { header } }), 200, 'the token once paid'), { status: 'EXPIRED', position: 0 }, 'paying frees the place in line');
  t.same(ok(t, await client.GET('/rankings/sold-out'), 200, 'the ranking'), [], 'one seat of two: not sold out');

  // Someone else takes the last seat: the schedule sells out and is ranked.
  const ben = { 'queue-token': await api.activeToken('ben') };
  const benHold = ok(t, await client.POST('/reservations', { params: { header: ben }, body: { scheduleId, seatNo: 2 } }), 201, "ben's hold");
  ok(t, await client.POST('/users/{userId}/points/charge', { params: { path: { userId: 'ben' } }, body: { amount: 100 } }), 200, "ben's charge");
  const benPaid = ok(t, await client.POST('/payments', { params: { header: ben }, body: { reservationId: benHold.reservationId } }), 202, "ben's payment");
  await api.settle();
  t.equal(ok(t, await client.GET('/payments/{paymentId}', { params: { path: { paymentId: benPaid.paymentId } } }), 200, "ben's payment ended").status, 'COMPLETED');

  const ranking = ok(t, await client.GET('/rankings/sold-out'), 200, 'the ranking once sold out');
  t.same(ranking, [
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
  t.same(shapeOf(ranking), shapeOf(examples.listSoldOut.response));
  t.match(ok(t, await client.GET('/concerts/{concertId}/schedules', { params: { path: { concertId: concert.concertId } } }), 200, 'sold out'), [
    { availableSeats: 0, soldOut: true },
  ]);
  t.same(shapeOf(ok(t, await client.GET('/health'), 200, 'health')), shapeOf(examples.getHealth.response));
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

t.test('a buyer changes her mind through the typed client: a hold given up at once, a paid seat cancelled and refunded', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const client = await api.client();
  const concert = await api.registerConcert({ title: 'Spring Gala', schedules: [schedule({ seatCount: 2, price: 100 })] });
  const scheduleId = concert.schedules[0]!.scheduleId;
  const header = { 'queue-token': await api.activeToken('ana') };
  const cancel = (reservationId: string) => client.POST('/reservations/{reservationId}/cancel', { params: { path: { reservationId } }, body: { userId: 'ana' } });

  const held = ok(t, await client.POST('/reservations', { params: { header }, body: { scheduleId, seatNo: 1 } }), 201, 'a hold');
  const released = ok(t, await cancel(held.reservationId), 200, 'the hold given up');
  t.same(released, { reservationId: held.reservationId, status: 'RELEASED' });
  t.same(shapeOf(released), shapeOf(examples.cancelReservation.released));

  const hold = ok(t, await client.POST('/reservations', { params: { header }, body: { scheduleId, seatNo: 2 } }), 201, 'another hold');
  ok(t, await client.POST('/users/{userId}/points/charge', { params: { path: { userId: 'ana' } }, body: { amount: 500 } }), 200, 'the charge');
  const { paymentId } = ok(t, await client.POST('/payments', { params: { header }, body: { reservationId: hold.reservationId } }), 202, 'the payment');
  await api.settle();
  const cancelling = ok(t, await cancel(hold.reservationId), 202, 'the paid seat cancelled');
  t.same(cancelling, { reservationId: hold.reservationId, paymentId, status: 'CANCELLING' });
  t.same(shapeOf(cancelling), shapeOf(examples.cancelReservation.response));
  await api.settle();
  t.match(ok(t, await client.GET('/reservations/{reservationId}', { params: { path: { reservationId: hold.reservationId } } }), 200, 'the reservation'), { status: 'CANCELLED' });
  const refunded = ok(t, await client.GET('/payments/{paymentId}', { params: { path: { paymentId } } }), 200, 'the payment');
  t.match(refunded, { status: 'REFUNDED', refundedAt: '2030-01-01T10:00:00.000Z' });
  t.same(ok(t, await client.GET('/users/{userId}/points', { params: { path: { userId: 'ana' } } }), 200, 'the balance'), { userId: 'ana', balance: 500 });
  await assertInvariants(t, system);
});
