import t, { type Test } from 'tap';
import { startTestSystem } from '../support/system.js';
import { startTestApi, schedule } from '../support/api.js';

async function ready(t: Test, env: Record<string, string> = {}) {
  const system = await startTestSystem(t, { env });
  const api = await startTestApi(t, system);
  const concert = await api.registerConcert();
  const scheduleId = concert.schedules[0]!.scheduleId;
  return { system, api, concert, scheduleId };
}

const hold = (token: string | undefined, payload: object, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: '/reservations',
  headers: { ...(token === undefined ? {} : { 'queue-token': token }), ...headers },
  payload,
});

t.test('POST /reservations holds a seat; GET /reservations/:id follows it', async (t) => {
  const { api, scheduleId, system } = await ready(t);
  const token = await api.activeToken('ana');
  const response = await api.inject(hold(token, { scheduleId, seatNo: 3 }));
  t.equal(response.statusCode, 201);
  const reservation = response.json();
  t.same(reservation, {
    reservationId: reservation.reservationId,
    scheduleId,
    seatNo: 3,
    seatNos: [3],
    price: 100,
    amount: 100,
    userId: 'ana',
    status: 'HELD',
    expiresAt: '2030-01-01T10:05:00.000Z',
  });
  const read = await api.inject({ method: 'GET', url: `/reservations/${reservation.reservationId}` });
  t.same(read.json(), reservation, 'read back at once, as answered');

  // The hold runs out: EXPIRED, and the seat is free again.
  system.clock.advance(system.config.holdTtlMs);
  await api.settle();
  t.match((await api.inject({ method: 'GET', url: `/reservations/${reservation.reservationId}` })).json(), { status: 'EXPIRED' });
  t.equal((await api.inject({ method: 'GET', url: `/schedules/${scheduleId}/seats` })).json()[2].status, 'AVAILABLE');
});

t.test('POST /reservations needs a genuine ACTIVE queue token', async (t) => {
  const { api, scheduleId, system } = await ready(t);
  const body = { scheduleId, seatNo: 1 };
  await api.refused(t, hold(undefined, body), 401, 'QUEUE_TOKEN_MISSING', 'no token');
  await api.refused(t, hold('forged.token', body), 401, 'QUEUE_TOKEN_INVALID', 'a forged token');
  const waiting = (await api.inject({ method: 'POST', url: '/queue/tokens', payload: { userId: 'ana' } })).json().token as string;
  await api.refused(t, hold(waiting, body), 403, 'QUEUE_TOKEN_NOT_ACTIVE', 'a token still waiting');
  await api.settle();
  t.equal((await api.inject(hold(waiting, body))).statusCode, 201, 'admitted: the same token now holds');
  system.clock.advance(system.config.queueTokenTtlMs);
  await api.refused(t, hold(waiting, { scheduleId, seatNo: 2 }), 403, 'QUEUE_TOKEN_NOT_ACTIVE', 'past its expiresAt, timer or not');
  await api.settle();
  await api.refused(t, hold(waiting, { scheduleId, seatNo: 2 }), 403, 'QUEUE_TOKEN_NOT_ACTIVE', 'expired');
  await api.refused(t, hold(undefined, { scheduleId: 5 }), 401, 'QUEUE_TOKEN_MISSING', 'no token is a 401 before the body is looked at');
});

t.test('POST /reservations refuses bad input, unknown schedules and seats, and taken seats', async (t) => {
  const { api, scheduleId } = await ready(t);
  const token = await api.activeToken('ana');
  const cases: Array<[string, unknown]> = [
    ['no seatNo', { scheduleId }],
    ['no scheduleId', { seatNo: 1 }],
    ['seatNo as a string', { scheduleId, seatNo: '1' }],
    ['seatNo 0', { scheduleId, seatNo: 0 }],
    ['a negative seatNo', { scheduleId, seatNo: -1 }],
    ['a fractional seatNo', { scheduleId, seatNo: 1.5 }],
    ['an empty scheduleId', { scheduleId: '', seatNo: 1 }],
    ['a scheduleId of 129 characters', { scheduleId: 's'.repeat(129), seatNo: 1 }],
    ['a scheduleId that is a number', { scheduleId: 7, seatNo: 1 }],
    ['an unknown field', { scheduleId, seatNo: 1, userId: 'ben' }],
    ['both seatNo and seatNos', { scheduleId, seatNo: 1, seatNos: [2] }],
    ['an empty seatNos', { scheduleId, seatNos: [] }],
    ['five seatNos', { scheduleId, seatNos: [1, 2, 3, 4, 5] }],
    ['a seat twice', { scheduleId, seatNos: [1, 1] }],
    ['seatNos with a 0', { scheduleId, seatNos: [0, 1] }],
    ['seatNos with a string', { scheduleId, seatNos: [1, '2'] }],
    ['seatNos not an array', { scheduleId, seatNos: 1 }],
  ];
  for (const [name, payload] of cases) await api.refused(t, hold(token, payload as object), 400, 'FST_ERR_VALIDATION', name);
  await api.refused(t, hold(token, { scheduleId: 'nope', seatNo: 1 }), 404, 'SCHEDULE_NOT_FOUND', 'an unknown schedule');
  await api.refused(t, hold(token, { scheduleId, seatNo: 4 }), 404, 'SEAT_NOT_FOUND', 'a seat past the seat count');
  await api.refused(t, hold(token, { scheduleId, seatNo: 1e9 }), 404, 'SEAT_NOT_FOUND', 'a huge seat number');
  await api.refused(t, hold(token, { scheduleId, seatNos: [1, 4] }), 404, 'SEAT_NOT_FOUND', 'one of several seats past the seat count');
  await api.refused(
    t,
    { ...hold(token, {}), payload: JSON.stringify({ scheduleId, seatNo: 1, pad: 'x'.repeat(1024 * 1024) }), headers: { 'queue-token': token, 'content-type': 'application/json' } },
    413,
    'FST_ERR_CTP_BODY_TOO_LARGE',
    'a body over 1 MiB',
  );
  await api.refused(
    t,
    { ...hold(token, {}), payload: '{"scheduleId":', headers: { 'queue-token': token, 'content-type': 'application/json' } },
    400,
    'FST_ERR_CTP_INVALID_JSON_BODY',
    'malformed JSON',
  );

  t.equal((await api.inject(hold(token, { scheduleId, seatNo: 1 }))).statusCode, 201);
  const ben = await api.activeToken('ben');
  await api.refused(t, hold(ben, { scheduleId, seatNo: 1 }), 409, 'SEAT_UNAVAILABLE', "someone else's held seat");
  await api.refused(t, hold(token, { scheduleId, seatNo: 1 }), 409, 'SEAT_UNAVAILABLE', 'a seat already held, by the same user');
});

t.test('two users race for one seat: one hold, one 409', async (t) => {
  const { api, scheduleId } = await ready(t);
  const [ana, ben] = [await api.activeToken('ana'), await api.activeToken('ben')];
  const answers = await Promise.all([api.inject(hold(ana, { scheduleId, seatNo: 2 })), api.inject(hold(ben, { scheduleId, seatNo: 2 }))]);
  t.same(answers.map((r) => r.statusCode).sort(), [201, 409]);
});

t.test('holds only inside the booking window: not before bookingOpensAt, not once the show has started', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const later = await api.registerConcert({ schedules: [schedule({ bookingOpensAt: '2030-01-01T12:00:00.000Z' })] });
  const soon = await api.registerConcert({ schedules: [schedule({ startsAt: '2030-01-01T10:05:00.000Z' })] });
  const token = await api.activeToken('ana');
  const body = await api.refused(t, hold(token, { scheduleId: later.schedules[0]!.scheduleId, seatNo: 1 }), 409, 'BOOKING_NOT_OPEN');
  t.match(body.message, /2030-01-01T12:00:00.000Z/, 'says when booking opens');
  system.clock.advance(6 * 60_000);
  await api.refused(t, hold(token, { scheduleId: soon.schedules[0]!.scheduleId, seatNo: 1 }), 409, 'BOOKING_CLOSED');
});

t.test('POST /reservations with an Idempotency-Key holds once', async (t) => {
  const { api, scheduleId } = await ready(t);
  const token = await api.activeToken('ana');
  const request = hold(token, { scheduleId, seatNo: 2 }, { 'idempotency-key': 'hold-1' });
  const first = await api.inject(request);
  await api.quiesce();
  const head = await api.head();
  const retry = await api.inject(request);
  t.equal(retry.statusCode, 201);
  t.equal(retry.body, first.body, 'the same reservation');
  t.equal(await api.head(), head, 'nothing appended by the retry');
  // Without the key the same request is a new one, and the seat is taken.
  await api.refused(t, hold(token, { scheduleId, seatNo: 2 }), 409, 'SEAT_UNAVAILABLE');
  // Another user with the same key is another caller.
  const ben = await api.activeToken('ben');
  await api.refused(t, hold(ben, { scheduleId, seatNo: 2 }, { 'idempotency-key': 'hold-1' }), 409, 'SEAT_UNAVAILABLE', "the key does not give Ben Ana's answer");
});

t.test('GET /reservations/:id: 404 unknown, 400 overlong', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  await api.refused(t, { method: 'GET', url: '/reservations/nope' }, 404, 'RESERVATION_NOT_FOUND');
  await api.refused(t, { method: 'GET', url: `/reservations/${'r'.repeat(129)}` }, 400, 'FST_ERR_VALIDATION');
});

t.test('POST /reservations holds several seats all or nothing; GET carries them all', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const scheduleId = (await api.registerConcert({ schedules: [schedule({ seatCount: 6 })] })).schedules[0]!.scheduleId;
  const ana = await api.activeToken('ana');
  const response = await api.inject(hold(ana, { scheduleId, seatNos: [5, 2] }));
  t.equal(response.statusCode, 201);
  const reservation = response.json();
  t.same(reservation, {
    reservationId: reservation.reservationId,
    scheduleId,
    seatNo: 2,
    seatNos: [2, 5],
    price: 100,
    amount: 200,
    userId: 'ana',
    status: 'HELD',
    expiresAt: '2030-01-01T10:05:00.000Z',
  });
  t.same((await api.inject({ method: 'GET', url: `/reservations/${reservation.reservationId}` })).json(), reservation, 'read back as answered');
  const seats = (await api.inject({ method: 'GET', url: `/schedules/${scheduleId}/seats` })).json() as Array<{ status: string }>;
  t.same(seats.map((s) => s.status), ['AVAILABLE', 'HELD', 'AVAILABLE', 'AVAILABLE', 'HELD', 'AVAILABLE']);

  const ben = await api.activeToken('ben');
  const taken = await api.refused(t, hold(ben, { scheduleId, seatNos: [1, 2, 3, 5] }), 409, 'SEAT_UNAVAILABLE', 'two of four taken');
  t.same((taken as { unavailable?: number[] }).unavailable, [2, 5], 'names every taken seat');

  // Ana has two; two more fit, a third does not.
  await api.refused(t, hold(ana, { scheduleId, seatNos: [1, 3, 4] }), 409, 'SEAT_LIMIT', 'past MAX_SEATS_PER_USER');
  t.equal((await api.inject(hold(ana, { scheduleId, seatNos: [1, 3] }))).statusCode, 201, 'up to the limit');
  await api.refused(t, hold(ana, { scheduleId, seatNo: 4 }), 409, 'SEAT_LIMIT', 'one seat more');

  // Paying debits the amount once; the reservation reads RESERVED with every seat.
  await api.inject({ method: 'POST', url: '/users/ana/points/charge', payload: { amount: 1_000 } });
  const paid = await api.inject({ method: 'POST', url: '/payments', headers: { 'queue-token': ana }, payload: { reservationId: reservation.reservationId } });
  t.equal(paid.statusCode, 202);
  await api.settle();
  t.match((await api.inject({ method: 'GET', url: `/payments/${paid.json().paymentId}` })).json(), { status: 'COMPLETED', amount: 200 });
  t.match((await api.inject({ method: 'GET', url: `/reservations/${reservation.reservationId}` })).json(), { status: 'RESERVED', seatNos: [2, 5], amount: 200 });
  t.match((await api.inject({ method: 'GET', url: '/users/ana/points' })).json(), { balance: 800 });
});

t.test('MAX_SEATS_PER_USER is a knob', async (t) => {
  const { api, scheduleId } = await ready(t, { MAX_SEATS_PER_USER: '1' });
  const ana = await api.activeToken('ana');
  await api.refused(t, hold(ana, { scheduleId, seatNos: [1, 2] }), 409, 'SEAT_LIMIT');
  t.equal((await api.inject(hold(ana, { scheduleId, seatNos: [1] }))).statusCode, 201);
  await api.refused(t, hold(ana, { scheduleId, seatNo: 2 }), 409, 'SEAT_LIMIT');
});
