import t from 'tap';
import { startTestSystem } from '../support/system.js';
import { startTestApi } from '../support/api.js';
import { pointsStream } from '../../domains/point/wallet.js';

const charge = (userId: string, payload: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: `/users/${userId}/points/charge`,
  headers,
  payload: payload as object,
});

t.test('charge and read a balance', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  t.same((await api.inject({ method: 'GET', url: '/users/ana/points' })).json(), { userId: 'ana', balance: 0 }, 'a user never seen has 0');
  const first = await api.inject(charge('ana', { amount: 1 }));
  t.equal(first.statusCode, 200);
  t.same(first.json(), { userId: 'ana', balance: 1 });
  t.same((await api.inject(charge('ana', { amount: 10_000_000 }))).json(), { userId: 'ana', balance: 10_000_001 }, 'the largest charge');
  t.same((await api.inject({ method: 'GET', url: '/users/ana/points' })).json(), { userId: 'ana', balance: 10_000_001 }, 'read your own charge');
  t.same((await api.inject({ method: 'GET', url: '/users/ben/points' })).json(), { userId: 'ben', balance: 0 }, 'balances are per user');
});

t.test('a charge refuses bad amounts and bad user ids, and writes nothing', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const cases: Array<[string, unknown]> = [
    ['no amount', {}],
    ['an amount as a string', { amount: '10' }],
    ['amount 0', { amount: 0 }],
    ['a negative amount', { amount: -5 }],
    ['an amount over 10,000,000', { amount: 10_000_001 }],
    ['a huge amount', { amount: 1e308 }],
    ['a fractional amount', { amount: 1.5 }],
    ['amount null', { amount: null }],
    ['amount true', { amount: true }],
    ['an unknown field', { amount: 5, currency: 'KRW' }],
    ['a body that is a number', 5],
  ];
  for (const [name, payload] of cases) await api.refused(t, charge('ana', payload), 400, 'FST_ERR_VALIDATION', name);
  await api.refused(t, charge('u'.repeat(65), { amount: 5 }), 400, 'FST_ERR_VALIDATION', 'a userId of 65 characters');
  await api.refused(t, charge('ana%20maria', { amount: 5 }), 400, 'FST_ERR_VALIDATION', 'a userId with a space');
  await api.refused(t, { method: 'GET', url: '/users/ana!/points' }, 400, 'FST_ERR_VALIDATION', 'reading with a bad userId');
  await api.refused(t, { ...charge('ana', {}), payload: 'amount=5', headers: { 'content-type': 'text/plain' } }, 400, 'FST_ERR_VALIDATION', 'a text body');
  await api.refused(t, { ...charge('ana', {}), payload: '{amount: 5}', headers: { 'content-type': 'application/json' } }, 400, 'FST_ERR_CTP_INVALID_JSON_BODY', 'not quite JSON');
  await api.refused(t, { ...charge('ana', {}), payload: JSON.stringify({ amount: 5, pad: 'x'.repeat(1_100_000) }), headers: { 'content-type': 'application/json' } }, 413, 'FST_ERR_CTP_BODY_TOO_LARGE');
  await api.refused(t, charge('ana', { amount: 5 }, { 'idempotency-key': '' }), 400, 'FST_ERR_VALIDATION', 'an empty Idempotency-Key');
  t.same((await api.inject({ method: 'GET', url: '/users/ana/points' })).json().balance, 0);
});

t.test('a charge with an Idempotency-Key adds the points once, retried or raced', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const keyed = charge('ana', { amount: 300 }, { 'idempotency-key': 'top-up-1' });
  const first = await api.inject(keyed);
  t.same(first.json(), { userId: 'ana', balance: 300 });
  const retry = await api.inject(keyed);
  t.equal(retry.statusCode, 200);
  t.equal(retry.headers['idempotent-replayed'], 'true');
  t.same(retry.json(), { userId: 'ana', balance: 300 }, 'the first answer again');
  await api.refused(t, charge('ana', { amount: 400 }, { 'idempotency-key': 'top-up-1' }), 422, 'IDEMPOTENCY_KEY_REUSED', 'the key with another amount');
  const ben = await api.inject(charge('ben', { amount: 300 }, { 'idempotency-key': 'top-up-1' }));
  t.same(ben.json(), { userId: 'ben', balance: 300 }, 'the same key for another user is another charge');

  const raced = charge('ana', { amount: 50 }, { 'idempotency-key': 'top-up-2' });
  const answers = await Promise.all([api.inject(raced), api.inject(raced), api.inject(raced)]);
  t.same(answers.map((a) => a.json().balance), [350, 350, 350], 'three at once: one charge');
  const charges = (await system.store.readStream(pointsStream('ana'))).filter((e) => e.type === 'PointsCharged');
  t.equal(charges.length, 2, 'two charges in the ledger: one per key');
  t.same((await api.inject(charge('ana', { amount: 50 }))).json().balance, 400, 'without a key every charge counts');
});
