import t, { type Test } from 'tap';
import { generateKeyPair, SignJWT } from 'jose';
import type { InjectOptions } from 'fastify';
import { startTestSystem } from '../support/system.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { bearer, hs256Token, startJwksServer, USER_JWT_SECRET } from '../support/user-tokens.js';

/** Every route that names ana, as a request with `headers`: the ones identity guards. */
function anaRoutes(ids: { reservationId: string; paymentId: string }): Array<[string, (headers: Record<string, string>) => InjectOptions]> {
  return [
    ['POST /queue/tokens', (headers) => ({ method: 'POST', url: '/queue/tokens', headers, payload: { userId: 'ana' } })],
    ['POST /users/ana/points/charge', (headers) => ({ method: 'POST', url: '/users/ana/points/charge', headers, payload: { amount: 5 } })],
    ['GET /users/ana/points', (headers) => ({ method: 'GET', url: '/users/ana/points', headers })],
    ['GET /users/ana/points/history', (headers) => ({ method: 'GET', url: '/users/ana/points/history', headers })],
    ['GET /users/ana/reservations', (headers) => ({ method: 'GET', url: '/users/ana/reservations', headers })],
    ['GET /reservations/:id', (headers) => ({ method: 'GET', url: `/reservations/${ids.reservationId}`, headers })],
    ['GET /payments/:id', (headers) => ({ method: 'GET', url: `/payments/${ids.paymentId}`, headers })],
    ['GET /payments/:id/events', (headers) => ({ method: 'GET', url: `/payments/${ids.paymentId}/events`, headers })],
  ];
}

/** A system where ana holds and has paid for a seat, and an API over it configured with `config`. */
async function withAnaPaid(t: Test, config: Record<string, unknown>) {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(3, 100);
  await system.charge('ana', 500);
  const { hold, paymentId } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  const api = await startTestApi(t, system, { config });
  await api.settle();
  return { system, api, ids: { reservationId: hold.reservationId, paymentId } };
}

async function ownRoutesAnswer(t: Test, api: TestApi, ids: { reservationId: string; paymentId: string }, headers: Record<string, string>) {
  for (const [name, request] of anaRoutes(ids)) {
    const answer = await api.inject(request(headers));
    t.ok(answer.statusCode === 200 || answer.statusCode === 201, `${name} with ana's token: ${answer.statusCode}`);
  }
}

t.test('HS256: a route that names a user needs that user\'s token; every refusal writes nothing', async (t) => {
  const { system, api, ids } = await withAnaPaid(t, { userJwtSecret: USER_JWT_SECRET });
  const now = system.clock.now();
  const ana = bearer(await hs256Token('ana', { now }));
  const ben = bearer(await hs256Token('ben', { now }));
  const expired = bearer(await hs256Token('ana', { now: new Date(now.getTime() - 2 * 3_600_000), expiresInS: 3_600 }));
  const notYet = bearer(await hs256Token('ana', { now, notBefore: new Date(now.getTime() + 60_000) }));
  const otherSecret = bearer(await hs256Token('ana', { now }, 'some-other-secret-of-32-characters'));
  const [header, payload] = ana.authorization.slice('Bearer '.length).split('.');
  const unsigned = { authorization: `Bearer ${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.` };
  const tampered = { authorization: `Bearer ${header}.${Buffer.from(JSON.stringify({ sub: 'ben', iat: 1, exp: 9_999_999_999 })).toString('base64url')}.${ana.authorization.split('.')[2]}` };
  const noSub = bearer(
    await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(now.getTime() / 1000) + 60)
      .sign(new TextEncoder().encode(USER_JWT_SECRET)),
  );

  for (const [name, request] of anaRoutes(ids)) {
    await api.refused(t, request({}), 401, 'USER_TOKEN_REQUIRED', `${name}: no token`);
    await api.refused(t, request({ authorization: 'Basic YW5hOnB3' }), 401, 'USER_TOKEN_REQUIRED', `${name}: not a bearer`);
    await api.refused(t, request({ authorization: 'Bearer not.a.jwt' }), 401, 'USER_TOKEN_INVALID', `${name}: garbage`);
    await api.refused(t, request(otherSecret), 401, 'USER_TOKEN_INVALID', `${name}: signed with another secret`);
    await api.refused(t, request(unsigned), 401, 'USER_TOKEN_INVALID', `${name}: alg none`);
    await api.refused(t, request(tampered), 401, 'USER_TOKEN_INVALID', `${name}: claims altered`);
    await api.refused(t, request(noSub), 401, 'USER_TOKEN_INVALID', `${name}: no sub`);
    await api.refused(t, request(notYet), 401, 'USER_TOKEN_INVALID', `${name}: not valid yet (nbf)`);
    await api.refused(t, request(api.admin), 401, 'USER_TOKEN_INVALID', `${name}: the admin token is not a user token`);
    const late = await api.refused(t, request(expired), 401, 'USER_TOKEN_EXPIRED', `${name}: expired by the server's clock`);
    t.equal(late.message, 'the user token has expired');
    await api.refused(t, request(ben), 403, 'NOT_OWNER', `${name}: ben's token`);
  }
  const challenge = await api.inject(anaRoutes(ids)[2]![1]({}));
  t.equal(challenge.headers['www-authenticate'], 'Bearer realm="user"', 'a 401 says which credentials');
  await api.refused(t, { method: 'POST', url: '/queue/tokens', headers: ana, payload: { userId: 'ana maria' } }, 403, 'NOT_OWNER', 'a body naming another (invalid) id is not yours');
  await api.refused(t, { method: 'POST', url: '/queue/tokens', headers: ana, payload: {} }, 400, 'FST_ERR_VALIDATION', 'a body naming nobody: the schema answers');

  await ownRoutesAnswer(t, api, ids, ana);
  t.same((await api.inject({ method: 'GET', url: '/users/ana/points', headers: ana })).json(), { userId: 'ana', balance: 405 }, 'the charge went through with the token');

  // The same token goes stale as the server's clock moves: the clock is the server's, not the machine's.
  system.clock.advance(3_600_000);
  await api.refused(t, anaRoutes(ids)[2]![1](ana), 401, 'USER_TOKEN_EXPIRED', 'an hour later, the token has expired');
});

t.test('the admin token and a user token share the header, never a route', async (t) => {
  const { system, api } = await withAnaPaid(t, { userJwtSecret: USER_JWT_SECRET });
  const ana = bearer(await hs256Token('ana', { now: system.clock.now() }));
  const concert = { title: 'Gala', schedules: [{ startsAt: '2030-06-01T19:00:00.000Z', seatCount: 1, price: 1 }] };
  await api.refused(t, { method: 'POST', url: '/concerts', headers: ana, payload: concert }, 401, 'ADMIN_TOKEN_INVALID', "a user's token is not the admin's");
  t.equal((await api.inject({ method: 'POST', url: '/concerts', headers: api.admin, payload: concert })).statusCode, 201, 'the admin token works as before');
  t.equal((await api.inject({ method: 'GET', url: '/concerts' })).statusCode, 200, 'the catalogue needs no token');
});

t.test('JWKS: tokens signed by a key of the set pass, others do not, and the set is fetched once and cached', async (t) => {
  const system = await startTestSystem(t);
  const idp = await startJwksServer(t);
  const api = await startTestApi(t, system, { config: { userJwksUrl: idp.url, userJwtIssuer: 'https://id.test/', userJwtAudience: 'concerts' } });
  const now = system.clock.now();
  const claims = { now, issuer: 'https://id.test/', audience: 'concerts' };
  const ana = bearer(await idp.sign('ana', claims));
  for (let i = 0; i < 3; i++) {
    const answer = await api.inject({ method: 'GET', url: '/users/ana/points/history', headers: ana });
    t.same([answer.statusCode, answer.json()], [200, []], `request ${i + 1} with a token of the provider`);
  }
  t.equal(idp.fetches(), 1, 'the key set was fetched once and cached');
  const stranger = (await generateKeyPair('ES256')).privateKey;
  await api.refused(t, { method: 'GET', url: '/users/ana/points', headers: bearer(await idp.sign('ana', claims, stranger)) }, 401, 'USER_TOKEN_INVALID', 'a key the set does not have');
  await api.refused(t, { method: 'GET', url: '/users/ana/points', headers: bearer(await idp.sign('ana', { ...claims, audience: 'another-app' })) }, 401, 'USER_TOKEN_INVALID', 'a token for another audience');
  await api.refused(t, { method: 'GET', url: '/users/ana/points', headers: bearer(await idp.sign('ana', { ...claims, issuer: 'https://evil.test/' })) }, 401, 'USER_TOKEN_INVALID', 'a token of another issuer');
  await api.refused(t, { method: 'GET', url: '/users/ana/points', headers: bearer(await hs256Token('ana', { now }, 'x'.repeat(32))) }, 401, 'USER_TOKEN_INVALID', 'an HS256 token where keys sign');
  await api.refused(t, { method: 'GET', url: '/users/ana/points', headers: bearer(await idp.sign('ana', { ...claims, now: new Date(now.getTime() - 7_200_000) })) }, 401, 'USER_TOKEN_EXPIRED', 'expired');
  await api.refused(t, { method: 'GET', url: '/users/ben/points', headers: ana }, 403, 'NOT_OWNER', "ana's token on ben's points");
  const issued = await api.inject({ method: 'POST', url: '/queue/tokens', headers: ana, payload: { userId: 'ana' } });
  t.equal(issued.statusCode, 201, 'a queue token for the token\'s user');
});

t.test('a key set that cannot be fetched is a 503 to retry, not a 401', async (t) => {
  const system = await startTestSystem(t);
  const idp = await startJwksServer(t);
  const api = await startTestApi(t, system, { config: { userJwksUrl: `${idp.url}.missing` } });
  const answer = await api.refused(t, { method: 'GET', url: '/users/ana/points', headers: bearer(await idp.sign('ana', { now: system.clock.now() })) }, 503, 'IDENTITY_UNAVAILABLE');
  t.equal(answer.message, 'the user token cannot be checked now; try again');
});

t.test('the demo: without USER_JWT_SECRET or USER_JWKS_URL, user ids are taken as sent', async (t) => {
  const { api, ids } = await withAnaPaid(t, {});
  await ownRoutesAnswer(t, api, ids, {});
  await ownRoutesAnswer(t, api, ids, { authorization: 'Bearer whatever' });
});
