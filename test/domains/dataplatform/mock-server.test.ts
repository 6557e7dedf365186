import t from 'tap';
import type { CancellationPayload, DeliveryPayload } from '../../../domains/dataplatform/events.js';
import { buildMockDataPlatform, type ReceivedCancellation, type ReceivedReservation } from '../../../domains/dataplatform/mock-server.js';
import { seeded } from '../../support/seeded.js';

const reservation = (n: number): DeliveryPayload => ({
  paymentId: `pay-${n}`,
  reservationId: `res-${n}`,
  userId: 'u-1',
  concertId: 'c-1',
  scheduleId: 's-1',
  seatNo: n,
  amount: 3000,
  paidAt: '2030-01-01T10:00:02.000Z',
});

const post = (app: ReturnType<typeof buildMockDataPlatform>, body: unknown, key?: string) =>
  app.inject({ method: 'POST', url: '/reservations', payload: body as object, headers: key === undefined ? {} : { 'idempotency-key': key } });

t.test('keeps one record per key; a repeat answers 200 with the first record', async (t) => {
  const app = buildMockDataPlatform({ now: () => new Date('2030-01-01T10:00:03.000Z') });
  t.teardown(() => app.close());

  const first = await post(app, reservation(1), 'pay-1');
  t.equal(first.statusCode, 201);
  const expected: ReceivedReservation = { ...reservation(1), idempotencyKey: 'pay-1', receivedAt: '2030-01-01T10:00:03.000Z', attempts: 1 };
  t.same(first.json(), expected);

  const repeat = await post(app, { ...reservation(1), amount: 999 }, 'pay-1');
  t.equal(repeat.statusCode, 200, 'a repeat is a success');
  t.same(repeat.json(), { ...expected, attempts: 2 }, 'the first record, not the repeat body');

  await post(app, reservation(2), 'pay-2');
  const list = await app.inject({ method: 'GET', url: '/reservations' });
  t.equal(list.statusCode, 200);
  t.same(
    (list.json() as ReceivedReservation[]).map((r) => [r.idempotencyKey, r.amount, r.attempts]),
    [['pay-1', 3000, 2], ['pay-2', 3000, 1]],
    'two keys, two records, with their request counts',
  );

  const one = await app.inject({ method: 'GET', url: '/reservations/pay-2' });
  t.same(one.json(), { ...reservation(2), idempotencyKey: 'pay-2', receivedAt: '2030-01-01T10:00:03.000Z', attempts: 1 });
  t.equal((await app.inject({ method: 'GET', url: '/reservations/pay-404' })).statusCode, 404);
});

t.test('concurrent requests with one key make one record', async (t) => {
  const app = buildMockDataPlatform({ latencyMs: 20 });
  t.teardown(() => app.close());
  const answers = await Promise.all(Array.from({ length: 5 }, () => post(app, reservation(1), 'pay-1')));
  t.same(answers.map((a) => a.statusCode).sort(), [200, 200, 200, 200, 201]);
  const list = (await app.inject({ method: 'GET', url: '/reservations' })).json() as ReceivedReservation[];
  t.equal(list.length, 1);
  t.equal(list[0]?.attempts, 5);
});

t.test('Idempotency-Key is required', async (t) => {
  const app = buildMockDataPlatform();
  t.teardown(() => app.close());
  const answer = await post(app, reservation(1));
  t.equal(answer.statusCode, 400);
  t.match(answer.json(), { message: /idempotency-key/ });
  t.equal((await post(app, reservation(1), '')).statusCode, 400, 'an empty key is no key');
  t.same((await app.inject({ method: 'GET', url: '/reservations' })).json(), [], 'nothing kept');
});

t.test('the body has a schema', async (t) => {
  const app = buildMockDataPlatform();
  t.teardown(() => app.close());
  const { paidAt: _, ...withoutPaidAt } = reservation(1);
  for (const [why, body] of [
    ['missing paidAt', withoutPaidAt],
    ['seatNo as a string', { ...reservation(1), seatNo: '1' }],
    ['amount 0', { ...reservation(1), amount: 0 }],
    ['paidAt not a date-time', { ...reservation(1), paidAt: 'yesterday' }],
    ['not an object', [1, 2]],
  ] as const) {
    t.equal((await post(app, body, 'pay-1')).statusCode, 400, why);
  }
  t.same((await app.inject({ method: 'GET', url: '/reservations' })).json(), [], 'nothing kept');
});

t.test('fails the configured share with 503, and keeps only what succeeded', async (t) => {
  const app = buildMockDataPlatform({ failureRate: 0.3, random: seeded(42) });
  t.teardown(() => app.close());
  const total = 1000;
  let failed = 0;
  for (let n = 1; n <= total; n += 1) {
    const answer = await post(app, reservation(n), `pay-${n}`);
    if (answer.statusCode === 503) failed += 1;
    else t.equal(answer.statusCode, 201);
  }
  t.ok(failed > 0.25 * total && failed < 0.35 * total, `about 30% failed (${failed} of ${total})`);
  const list = (await app.inject({ method: 'GET', url: '/reservations' })).json() as ReceivedReservation[];
  t.equal(list.length, total - failed, 'a failed request leaves no record');
});

t.test('random() < failureRate decides each request', async (t) => {
  const draws = [0.49, 0.5, 0.51];
  const app = buildMockDataPlatform({ failureRate: 0.5, random: () => draws.shift() ?? 1 });
  t.teardown(() => app.close());
  const codes = [];
  for (const n of [1, 2, 3]) codes.push((await post(app, reservation(n), `pay-${n}`)).statusCode);
  t.same(codes, [503, 201, 201]);
  const failedKey = await app.inject({ method: 'GET', url: '/reservations/pay-1' });
  t.equal(failedKey.statusCode, 404, 'the failed key has no record');
  t.equal((await post(app, reservation(1), 'pay-1')).statusCode, 201, 'its retry is the first record');
  t.equal(((await app.inject({ method: 'GET', url: '/reservations/pay-1' })).json() as ReceivedReservation).attempts, 2, 'both requests counted');
});

t.test('failureRate 1 fails everything, 0 nothing', async (t) => {
  const always = buildMockDataPlatform({ failureRate: 1 });
  const never = buildMockDataPlatform({ failureRate: 0 });
  t.teardown(() => Promise.all([always.close(), never.close()]));
  for (let n = 1; n <= 20; n += 1) {
    t.equal((await post(always, reservation(n), `pay-${n}`)).statusCode, 503);
    t.equal((await post(never, reservation(n), `pay-${n}`)).statusCode, 201);
  }
});

t.test('waits latencyMs before answering', async (t) => {
  const app = buildMockDataPlatform({ latencyMs: 80 });
  t.teardown(() => app.close());
  const started = Date.now();
  t.equal((await post(app, reservation(1), 'pay-1')).statusCode, 201);
  t.ok(Date.now() - started >= 75, 'answered after the latency');
});

t.test('refuses nonsense options', async (t) => {
  t.throws(() => buildMockDataPlatform({ failureRate: 1.5 }), RangeError);
  t.throws(() => buildMockDataPlatform({ failureRate: Number.NaN }), RangeError);
  t.throws(() => buildMockDataPlatform({ latencyMs: -1 }), RangeError);
});

const cancellation = (n: number): CancellationPayload => ({
  paymentId: `pay-${n}`,
  reservationId: `res-${n}`,
  userId: 'u-1',
  scheduleId: 's-1',
  seatNos: [n, n + 1],
  amount: 6000,
  refundedAt: '2030-01-01T11:00:00.000Z',
  reason: 'USER',
});

const cancel = (app: ReturnType<typeof buildMockDataPlatform>, body: unknown, key?: string, paymentId = (body as { paymentId?: string }).paymentId ?? 'x') =>
  app.inject({
    method: 'POST',
    url: `/reservations/${paymentId}/cancellation`,
    payload: body as object,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });

t.test('cancellations: one record per key, apart from the reservations, saying whether the reservation came first', async (t) => {
  const app = buildMockDataPlatform({ now: () => new Date('2030-01-01T11:00:03.000Z') });
  t.teardown(() => app.close());
  t.equal((await post(app, reservation(1), 'pay-1')).statusCode, 201);

  const first = await cancel(app, cancellation(1), 'cancel-pay-1');
  t.equal(first.statusCode, 201, first.body);
  const expected: ReceivedCancellation = {
    ...cancellation(1),
    idempotencyKey: 'cancel-pay-1',
    receivedAt: '2030-01-01T11:00:03.000Z',
    attempts: 1,
    afterReservation: true,
  };
  t.same(first.json(), expected);
  const repeat = await cancel(app, { ...cancellation(1), amount: 1 }, 'cancel-pay-1');
  t.equal(repeat.statusCode, 200, 'a repeat is a success');
  t.same(repeat.json(), { ...expected, attempts: 2 }, 'the first record, not the repeat body');

  t.equal((await cancel(app, cancellation(2), 'cancel-pay-2')).statusCode, 201);
  const list = (await app.inject({ method: 'GET', url: '/cancellations' })).json() as ReceivedCancellation[];
  t.same(
    list.map((r) => [r.idempotencyKey, r.attempts, r.afterReservation]),
    [['cancel-pay-1', 2, true], ['cancel-pay-2', 1, false]],
    'pay-2 was never reserved here: its cancellation says so',
  );
  t.same(
    ((await app.inject({ method: 'GET', url: '/reservations' })).json() as ReceivedReservation[]).map((r) => r.idempotencyKey),
    ['pay-1'],
    'the reservations list holds reservations only',
  );
  t.same((await app.inject({ method: 'GET', url: '/reservations/pay-1/cancellation' })).json(), { ...expected, attempts: 2 });
  t.equal((await app.inject({ method: 'GET', url: '/reservations/pay-404/cancellation' })).statusCode, 404);
});

t.test('cancellations: the key, the body and the path are checked, and a refusal keeps nothing', async (t) => {
  const app = buildMockDataPlatform();
  t.teardown(() => app.close());
  const { reason: _, ...withoutReason } = cancellation(1);
  for (const [why, body, key] of [
    ['no Idempotency-Key', cancellation(1), undefined],
    ['missing reason', withoutReason, 'cancel-pay-1'],
    ['an unknown reason', { ...cancellation(1), reason: 'BORED' }, 'cancel-pay-1'],
    ['no seats', { ...cancellation(1), seatNos: [] }, 'cancel-pay-1'],
    ['a seat twice', { ...cancellation(1), seatNos: [1, 1] }, 'cancel-pay-1'],
    ['seatNos as strings', { ...cancellation(1), seatNos: ['1'] }, 'cancel-pay-1'],
    ['refundedAt not a date-time', { ...cancellation(1), refundedAt: 'today' }, 'cancel-pay-1'],
    ["a reservation's body", reservation(1), 'cancel-pay-1'],
  ] as const) {
    t.equal((await cancel(app, body, key)).statusCode, 400, why);
  }
  const elsewhere = await cancel(app, cancellation(1), 'cancel-pay-1', 'pay-2');
  t.equal(elsewhere.statusCode, 400, "another payment's path");
  t.match(elsewhere.json(), { message: 'body/paymentId must be the paymentId of the path' });
  t.same((await app.inject({ method: 'GET', url: '/cancellations' })).json(), [], 'nothing kept');
});

t.test('cancellations: fail the configured share with 503 like reservations, and keep only what succeeded', async (t) => {
  const draws = [0.2, 0.9, 0.2];
  const app = buildMockDataPlatform({ failureRate: 0.5, random: () => draws.shift() ?? 1 });
  t.teardown(() => app.close());
  t.equal((await cancel(app, cancellation(1), 'cancel-pay-1')).statusCode, 503);
  t.equal((await app.inject({ method: 'GET', url: '/reservations/pay-1/cancellation' })).statusCode, 404, 'the failed request left no record');
  t.equal((await cancel(app, cancellation(1), 'cancel-pay-1')).statusCode, 201, 'its retry is the first record');
  t.equal((await cancel(app, cancellation(1), 'cancel-pay-1')).statusCode, 503, 'a repeat can fail too');
  const [kept] = (await app.inject({ method: 'GET', url: '/cancellations' })).json() as ReceivedCancellation[];
  t.equal(kept?.attempts, 3, 'every request counted');
});
