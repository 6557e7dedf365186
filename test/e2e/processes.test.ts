import t from 'tap';
import { until as untilFor } from '../support/until.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { ROLES } from '../../infra/runner.js';
import { buildMockDataPlatform } from '../../domains/dataplatform/mock-server.js';
import { openTestStores } from '../support/stores.js';

/**
 * The seven services and the API as eight processes on the test's stores (one
 * SQLite file, or the test's share of EventStoreDB and MongoDB),
 * started from the build like `npm start -- --service <name>`; a payment goes
 * through them over HTTP.
 */
const entry = fileURLToPath(new URL('../../dist/infra/main.js', import.meta.url));

t.test('one process per service, sharing only the stores: a payment completes', { skip: !existsSync(entry) && 'run `npm run build` first (npm test does)' }, async (t) => {
  const stores = await openTestStores(t);
  const port = 3400 + Math.floor(Math.random() * 500);
  const base = `http://127.0.0.1:${port}`;
  // Split roles are the production layout: the dataplatform process needs a real receiver's address.
  const platform = buildMockDataPlatform({ failureRate: 0 });
  await platform.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => platform.close());
  const env = {
    ...process.env,
    ...stores.env,
    PORT: String(port),
    ADMIN_TOKEN: 'admin-secret',
    QUEUE_SECRET: 'queue-secret',
    QUEUE_ADMIT_INTERVAL_MS: '100',
    TIMER_POLL_MS: '50',
    DATA_PLATFORM_URL: `http://127.0.0.1:${(platform.server.address() as AddressInfo).port}`,
    LOG_LEVEL: 'warn',
  };
  const children: ChildProcess[] = ROLES.map((role) => {
    const child = spawn(process.execPath, [entry, '--service', role], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    return child;
  });
  t.teardown(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  });

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & Array<Record<string, unknown>> };
  };
  // Until the processes listen, a request is refused: that is "not yet", not a failure. 240 s bounds a failure on a busy machine.
  const until = <T>(what: string, probe: () => Promise<T | undefined>) => untilFor(what, () => probe().catch(() => undefined), 240_000);


  await until('the API', async () => ((await call('GET', '/health')).status === 200 ? true : undefined));
  const concert = await call(
    'POST',
    '/concerts',
    { title: 'Processes', schedules: [{ startsAt: '2031-01-01T20:00:00.000Z', seatCount: 2, price: 100 }] },
    { authorization: 'Bearer admin-secret' },
  );
  t.equal(concert.status, 201, 'the concert is registered');
  const scheduleId = (concert.body.schedules as Array<{ scheduleId: string }>)[0]!.scheduleId;

  const issued = await call('POST', '/queue/tokens', { userId: 'ana' });
  t.equal(issued.status, 201);
  const token = issued.body.token as string;
  await until('the queue process to admit the token', async () => {
    const current = await call('GET', '/queue/tokens/current', undefined, { 'queue-token': token });
    return current.body.status === 'ACTIVE' ? true : undefined;
  });
  t.equal((await call('POST', '/users/ana/points/charge', { amount: 500 })).status, 200);
  const hold = await call('POST', '/reservations', { scheduleId, seatNo: 1 }, { 'queue-token': token });
  t.equal(hold.status, 201, 'the seat is held');
  const pay = await call('POST', '/payments', { reservationId: hold.body.reservationId }, { 'queue-token': token });
  t.equal(pay.status, 202, 'the payment is accepted');
  const done = await until('the payment to end', async () => {
    const payment = await call('GET', `/payments/${pay.body.paymentId as string}?waitMs=2000`);
    return payment.body.status === 'PENDING' ? undefined : payment.body;
  });
  t.equal(done.status, 'COMPLETED', 'the saga ran across the processes');
  const balance = await until('the balance read model', async () => {
    const points = await call('GET', '/users/ana/points');
    return points.body.balance === 400 ? points.body.balance : undefined;
  });
  t.equal(balance, 400);
  const seats = await until('the seat read model', async () => {
    const list = await call('GET', `/schedules/${scheduleId}/seats`);
    return list.body[0]?.status === 'RESERVED' ? list.body : undefined;
  });
  t.equal(seats[0]!.status, 'RESERVED');
  const delivered = await until('the delivery to the data platform', async () => {
    const records = (await platform.inject({ method: 'GET', url: '/reservations' })).json() as Array<{ paymentId: string }>;
    return records.length > 0 ? records : undefined;
  });
  t.same(delivered.map((r) => r.paymentId), [done.paymentId], 'the dataplatform process delivered the paid reservation to DATA_PLATFORM_URL');
});
