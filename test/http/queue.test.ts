import t from 'tap';
import { startTestSystem } from '../support/system.js';
import { startTestApi, QUEUE_SECRET } from '../support/api.js';
import { sign } from '../../domains/queue/token.js';

t.test('POST /queue/tokens refuses a bad userId and writes nothing', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const cases: Array<[string, unknown]> = [
    ['no userId', {}],
    ['an empty userId', { userId: '' }],
    ['a userId of 65 characters', { userId: 'u'.repeat(65) }],
    ['a userId with a space', { userId: 'ana maria' }],
    ['a userId with a slash', { userId: 'ana/1' }],
    ['a userId that is a number', { userId: 5 }],
    ['an unknown field', { userId: 'ana', vip: true }],
  ];
  for (const [name, payload] of cases) await api.refused(t, { method: 'POST', url: '/queue/tokens', payload: payload as object }, 400, 'FST_ERR_VALIDATION', name);
  const longest = await api.inject({ method: 'POST', url: '/queue/tokens', payload: { userId: `A-z.0_@${'x'.repeat(57)}` } });
  t.equal(longest.statusCode, 201, 'every allowed character, 64 of them');
});

t.test('the line: places in issue order, admission, and an estimate from the admission rate', async (t) => {
  const system = await startTestSystem(t, { env: { QUEUE_MAX_ACTIVE: '1', QUEUE_TOKEN_TTL_MS: '1000' } });
  const api = await startTestApi(t, system);
  const join = async (userId: string) => (await api.inject({ method: 'POST', url: '/queue/tokens', payload: { userId } })).json();
  const current = async (token: string) => {
    const response = await api.inject({ method: 'GET', url: '/queue/tokens/current', headers: { 'queue-token': token } });
    t.equal(response.statusCode, 200);
    return response.json();
  };

  const [ana, ben, cy] = [await join('ana'), await join('ben'), await join('cy')];
  t.same([ana.position, ben.position, cy.position], [1, 2, 3], 'in the order of issue');
  t.same([ana.status, ben.status, cy.status], ['WAITING', 'WAITING', 'WAITING']);
  t.notOk('expiresAt' in ana, 'a waiting token has no expiry yet');
  t.match(await current(cy.token), { status: 'WAITING', position: 3, etaMs: null }, 'no admissions yet: no estimate');

  const again = await join('ana');
  t.same([again.tokenId, again.token, again.position], [ana.tokenId, ana.token, 1], 'asking again gives the same live token');

  await api.settle();
  t.match(await current(ana.token), { status: 'ACTIVE', position: 0, etaMs: 0, expiresAt: '2030-01-01T10:00:01.000Z' });
  t.match(await current(ben.token), { status: 'WAITING', position: 1, etaMs: null }, 'one admission is no rate yet');
  t.match(await current(cy.token), { status: 'WAITING', position: 2 });

  // Ana's slot frees at her expiresAt; Ben is let in a second after her.
  system.clock.advance(1_000);
  await api.settle();
  t.match(await current(ana.token), { status: 'EXPIRED', position: 0, etaMs: null });
  t.match(await current(ben.token), { status: 'ACTIVE', position: 0 });
  t.match(await current(cy.token), { status: 'WAITING', position: 1, etaMs: 1_000 }, 'one admission a second: next in one second');

  // Ana comes back: a new token at the end of the line, and the old one stays expired.
  const back = await join('ana');
  t.not(back.tokenId, ana.tokenId);
  t.match(back, { status: 'WAITING', position: 2 });
  t.match(await current(ana.token), { status: 'EXPIRED' });
});

t.test('an ACTIVE token past its expiresAt is EXPIRED even before its timer fires', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const token = await api.activeToken('ana');
  system.clock.advance(system.config.queueTokenTtlMs);
  const response = await api.inject({ method: 'GET', url: '/queue/tokens/current', headers: { 'queue-token': token } });
  t.match(response.json(), { status: 'EXPIRED', position: 0 });
});

t.test('GET /queue/tokens/current: 401 for a missing, forged, altered or unknown token', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const token = (await api.inject({ method: 'POST', url: '/queue/tokens', payload: { userId: 'ana' } })).json().token as string;
  const [body, mac] = token.split('.') as [string, string];
  const other = Buffer.from(JSON.stringify(['x', 'ben']), 'utf8').toString('base64url');
  const get = (headers: Record<string, string>) => ({ method: 'GET' as const, url: '/queue/tokens/current', headers });
  await api.refused(t, get({}), 401, 'QUEUE_TOKEN_MISSING', 'no token');
  await api.refused(t, get({ 'queue-token': '' }), 401, 'QUEUE_TOKEN_MISSING', 'an empty token');
  await api.refused(t, get({ 'queue-token': 'not-a-token' }), 401, 'QUEUE_TOKEN_INVALID', 'garbage');
  await api.refused(t, get({ 'queue-token': `${other}.${mac}` }), 401, 'QUEUE_TOKEN_INVALID', "another user's claims under this MAC");
  await api.refused(t, get({ 'queue-token': `${body}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}` }), 401, 'QUEUE_TOKEN_INVALID', 'one character of the MAC changed');
  await api.refused(t, get({ 'queue-token': sign('another secret', { tokenId: 'x', userId: 'ana' }) }), 401, 'QUEUE_TOKEN_INVALID', 'signed with another secret');
  await api.refused(t, get({ 'queue-token': `${token}.${mac}` }), 401, 'QUEUE_TOKEN_INVALID', 'three parts');
  await api.refused(t, get({ 'queue-token': 'x'.repeat(5_000) }), 401, 'QUEUE_TOKEN_INVALID', 'a huge header');
  await api.refused(t, get({ 'queue-token': sign(QUEUE_SECRET, { tokenId: 'never-issued', userId: 'ana' }) }), 401, 'QUEUE_TOKEN_UNKNOWN', 'genuine but never issued');
  await api.refused(t, get({ 'queue-token': sign(QUEUE_SECRET, { tokenId: 'never-issued', userId: 'zed' }) }), 401, 'QUEUE_TOKEN_UNKNOWN', 'a user with no line at all');
  const ok = await api.inject(get({ 'queue-token': token }));
  t.equal(ok.statusCode, 200, 'the genuine token still works');
});
