import t from 'tap';
import { startTestSystem } from '../support/system.js';
import { startTestApi, schedule, ADMIN_TOKEN } from '../support/api.js';

const concert = (overrides: Record<string, unknown> = {}) => ({ title: 'Gala', schedules: [schedule()], ...overrides });

t.test('POST /concerts needs the admin token', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const post = (headers: Record<string, string>) => ({ method: 'POST' as const, url: '/concerts', headers, payload: concert() });
  await api.refused(t, post({}), 401, 'ADMIN_TOKEN_REQUIRED', 'no Authorization');
  await api.refused(t, post({ authorization: 'Bearer wrong' }), 401, 'ADMIN_TOKEN_INVALID', 'a wrong token');
  await api.refused(t, post({ authorization: `Bearer ${ADMIN_TOKEN}x` }), 401, 'ADMIN_TOKEN_INVALID', 'the token with one more character');
  await api.refused(t, post({ authorization: `Basic ${ADMIN_TOKEN}` }), 401, 'ADMIN_TOKEN_REQUIRED', 'another scheme');
  await api.refused(t, post({ authorization: 'Bearer ' }), 401, 'ADMIN_TOKEN_REQUIRED', 'an empty bearer');
  const response = await api.inject(post({}));
  t.equal(response.headers['www-authenticate'], 'Bearer realm="admin"', 'the 401 names its scheme');
  const lowercase = await api.inject(post({ authorization: `bearer ${ADMIN_TOKEN}` }));
  t.equal(lowercase.statusCode, 201, 'the scheme is case-insensitive');
});

t.test('POST /concerts without an ADMIN_TOKEN configured admits nobody', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system, { config: { adminToken: undefined } });
  await api.refused(t, { method: 'POST', url: '/concerts', headers: { authorization: 'Bearer anything' }, payload: concert() }, 401, 'ADMIN_TOKEN_INVALID');
});

t.test('POST /concerts registers a concert with its schedules', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const response = await api.inject({
    method: 'POST',
    url: '/concerts',
    headers: api.admin,
    payload: {
      title: 'Two nights',
      schedules: [
        { startsAt: '2030-06-01T21:00:00+02:00', bookingOpensAt: '2030-01-01T09:00:00Z', seatCount: 10, price: 5000 },
        { startsAt: '2030-06-02T19:00:00.000Z', seatCount: 1, price: 1 },
      ],
    },
  });
  t.equal(response.statusCode, 201);
  const body = response.json();
  t.type(body.concertId, 'string');
  t.match(body.schedules, [
    { startsAt: '2030-06-01T19:00:00.000Z', bookingOpensAt: '2030-01-01T09:00:00.000Z', seatCount: 10, price: 5000 },
    { startsAt: '2030-06-02T19:00:00.000Z', bookingOpensAt: '2030-01-01T10:00:00.000Z', seatCount: 1, price: 1 },
  ], 'times in UTC; bookings open now by default');
  t.not(body.schedules[0].scheduleId, body.schedules[1].scheduleId);

  const listed = await api.inject({ method: 'GET', url: '/concerts' });
  t.same(listed.json(), [{ concertId: body.concertId, title: 'Two nights', scheduleCount: 2 }]);
  const schedules = await api.inject({ method: 'GET', url: `/concerts/${body.concertId}/schedules` });
  t.same(schedules.json(), [
    { scheduleId: body.schedules[0].scheduleId, concertId: body.concertId, startsAt: '2030-06-01T19:00:00.000Z', bookingOpensAt: '2030-01-01T09:00:00.000Z', totalSeats: 10, availableSeats: 10, soldOut: false, price: 5000, status: 'OPEN', refundsPending: 0 },
    { scheduleId: body.schedules[1].scheduleId, concertId: body.concertId, startsAt: '2030-06-02T19:00:00.000Z', bookingOpensAt: '2030-01-01T10:00:00.000Z', totalSeats: 1, availableSeats: 1, soldOut: false, price: 1, status: 'OPEN', refundsPending: 0 },
  ]);
  const seats = await api.inject({ method: 'GET', url: `/schedules/${body.schedules[0].scheduleId}/seats` });
  t.same(seats.json().map((s: { seatNo: number }) => s.seatNo), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'seats 1..seatCount');
  t.ok(seats.json().every((s: { status: string; price: number }) => s.status === 'AVAILABLE' && s.price === 5000));
});

t.test('POST /concerts takes the largest inputs the limits allow', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const schedules = Array.from({ length: 100 }, (_, i) => schedule({ seatCount: i === 0 ? 1_000 : 1, price: 10_000_000 }));
  const response = await api.inject({ method: 'POST', url: '/concerts', headers: api.admin, payload: { title: 'x'.repeat(200), schedules } });
  t.equal(response.statusCode, 201, response.body);
  t.equal(response.json().schedules.length, 100);
  const seats = await api.inject({ method: 'GET', url: `/schedules/${response.json().schedules[0].scheduleId}/seats` });
  t.equal(seats.json().length, 1_000);
});

t.test('POST /concerts refuses bad input with a 400 that says what is wrong, and writes nothing', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const cases: Array<[string, unknown, string]> = [
    ['no title', { schedules: [schedule()] }, 'FST_ERR_VALIDATION'],
    ['an empty title', concert({ title: '' }), 'FST_ERR_VALIDATION'],
    ['a title of 201 characters', concert({ title: 'x'.repeat(201) }), 'FST_ERR_VALIDATION'],
    ['a title that is a number', concert({ title: 5 }), 'FST_ERR_VALIDATION'],
    ['a blank title', concert({ title: '   ' }), 'INVALID_TITLE'],
    ['no schedules', { title: 'Gala' }, 'FST_ERR_VALIDATION'],
    ['an empty schedule list', concert({ schedules: [] }), 'FST_ERR_VALIDATION'],
    ['101 schedules', concert({ schedules: Array.from({ length: 101 }, () => schedule()) }), 'FST_ERR_VALIDATION'],
    ['seatCount as a string', concert({ schedules: [schedule({ seatCount: '10' })] }), 'FST_ERR_VALIDATION'],
    ['seatCount 0', concert({ schedules: [schedule({ seatCount: 0 })] }), 'FST_ERR_VALIDATION'],
    ['seatCount 1001', concert({ schedules: [schedule({ seatCount: 1_001 })] }), 'FST_ERR_VALIDATION'],
    ['a fractional seatCount', concert({ schedules: [schedule({ seatCount: 1.5 })] }), 'FST_ERR_VALIDATION'],
    ['price 0', concert({ schedules: [schedule({ price: 0 })] }), 'FST_ERR_VALIDATION'],
    ['a negative price', concert({ schedules: [schedule({ price: -100 })] }), 'FST_ERR_VALIDATION'],
    ['a price over 10,000,000', concert({ schedules: [schedule({ price: 10_000_001 })] }), 'FST_ERR_VALIDATION'],
    ['a price as a string', concert({ schedules: [schedule({ price: '100' })] }), 'FST_ERR_VALIDATION'],
    ['a price past any safe integer', concert({ schedules: [schedule({ price: 1e300 })] }), 'FST_ERR_VALIDATION'],
    ['startsAt that is no date', concert({ schedules: [schedule({ startsAt: 'tomorrow' })] }), 'FST_ERR_VALIDATION'],
    ['startsAt without a time zone', concert({ schedules: [schedule({ startsAt: '2030-06-01T19:00:00' })] }), 'FST_ERR_VALIDATION'],
    ['an impossible month', concert({ schedules: [schedule({ startsAt: '2030-13-01T19:00:00Z' })] }), 'FST_ERR_VALIDATION'],
    ['a startsAt missing', concert({ schedules: [{ seatCount: 1, price: 1 }] }), 'FST_ERR_VALIDATION'],
    ['bookingOpensAt after startsAt', concert({ schedules: [schedule({ bookingOpensAt: '2030-06-02T00:00:00Z' })] }), 'BOOKING_OPENS_AFTER_START'],
    ['a default bookingOpensAt (now) after startsAt', concert({ schedules: [{ startsAt: '2029-12-31T00:00:00Z', seatCount: 1, price: 1 }] }), 'BOOKING_OPENS_AFTER_START'],
    ['a leap second JavaScript cannot represent', concert({ schedules: [schedule({ startsAt: '2030-06-30T23:59:60Z' })] }), 'INVALID_DATE'],
    ['an unknown field', concert({ venue: 'Hall' }), 'FST_ERR_VALIDATION'],
    ['an unknown schedule field', concert({ schedules: [schedule({ seats: 3 })] }), 'FST_ERR_VALIDATION'],
    ['a body that is an array', [concert()], 'FST_ERR_VALIDATION'],
  ];
  for (const [name, payload, code] of cases) {
    const body = await api.refused(t, { method: 'POST', url: '/concerts', headers: api.admin, payload: payload as object }, 400, code, name);
    t.notMatch(body.message, /^$/, `${name}: the message is not empty`);
  }
  await api.refused(t, { method: 'POST', url: '/concerts', headers: { ...api.admin, 'content-type': 'application/json' }, payload: '{"title": "Gala", ' }, 400, 'FST_ERR_CTP_INVALID_JSON_BODY', 'malformed JSON');
  await api.refused(t, { method: 'POST', url: '/concerts', headers: { ...api.admin, 'content-type': 'application/json' }, payload: '' }, 400, 'FST_ERR_CTP_EMPTY_JSON_BODY', 'an empty JSON body');
  await api.refused(t, { method: 'POST', url: '/concerts', headers: { ...api.admin, 'content-type': 'application/xml' }, payload: '<concert/>' }, 415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 'not JSON');
  const huge = JSON.stringify(concert({ title: 'x'.repeat(1024 * 1024) }));
  await api.refused(t, { method: 'POST', url: '/concerts', headers: { ...api.admin, 'content-type': 'application/json' }, payload: huge }, 413, 'FST_ERR_CTP_BODY_TOO_LARGE', 'a body over 1 MiB');
  t.same((await api.inject({ method: 'GET', url: '/concerts' })).json(), [], 'no concert was registered');
});

t.test('POST /concerts with an Idempotency-Key registers once and answers retries with the first answer', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const request = { method: 'POST' as const, url: '/concerts', headers: { ...api.admin, 'idempotency-key': 'gala-1' }, payload: concert() };
  const first = await api.inject(request);
  t.equal(first.statusCode, 201);
  t.notOk(first.headers['idempotent-replayed'], 'the first answer is not a replay');
  await api.quiesce();
  const head = await api.head();
  const retry = await api.inject(request);
  t.equal(retry.statusCode, 201);
  t.equal(retry.body, first.body, 'the same answer, byte for byte');
  t.equal(retry.headers['idempotent-replayed'], 'true');
  t.equal(await api.head(), head, 'the retry appended nothing');
  await api.refused(t, { ...request, payload: concert({ title: 'Another' }) }, 422, 'IDEMPOTENCY_KEY_REUSED', 'the key with another body');
  const other = await api.inject({ ...request, headers: { ...api.admin, 'idempotency-key': 'gala-2' } });
  t.not(other.json().concertId, first.json().concertId, 'another key is another request');
  await api.refused(t, { ...request, headers: { ...api.admin, 'idempotency-key': 'k'.repeat(129) } }, 400, 'FST_ERR_VALIDATION', 'a key of 129 characters');

  // Two at once with one key: the second waits for the first and gets its answer.
  const concurrent = { ...request, headers: { ...api.admin, 'idempotency-key': 'gala-3' } };
  const [a, b] = await Promise.all([api.inject(concurrent), api.inject(concurrent)]);
  t.equal(a.body, b.body, 'one concert for two concurrent requests with one key');
  t.equal((await api.inject({ method: 'GET', url: '/concerts' })).json().length, 3);
});

t.test('catalogue reads: unknown ids are 404, overlong ones 400', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  t.same((await api.inject({ method: 'GET', url: '/concerts' })).json(), [], 'no concerts yet');
  await api.refused(t, { method: 'GET', url: '/concerts/nope/schedules' }, 404, 'CONCERT_NOT_FOUND');
  await api.refused(t, { method: 'GET', url: '/schedules/nope/seats' }, 404, 'SCHEDULE_NOT_FOUND');
  await api.refused(t, { method: 'GET', url: `/concerts/${'c'.repeat(129)}/schedules` }, 400, 'FST_ERR_VALIDATION');
  await api.refused(t, { method: 'GET', url: `/schedules/${'s'.repeat(129)}/seats` }, 400, 'FST_ERR_VALIDATION');
  const ok = await api.inject({ method: 'GET', url: `/concerts/${'c'.repeat(128)}/schedules` });
  t.equal(ok.statusCode, 404, 'an id of 128 characters is a valid id, just unknown');
});
