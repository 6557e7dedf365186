import t from 'tap';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { buildMockDataPlatform } from '../../domains/dataplatform/mock-server.js';
import { RoleProcesses } from '../../bench/support/role-processes.js';
import { freePort } from '../../bench/support/free-port.js';
import { SERVICE_NAMES, serviceDefinitions } from '../../infra/services.js';
import { loadConfig } from '../../infra/config.js';
import { systemClock } from '../../infra/clock.js';
import { checkInvariants } from '../../infra/invariants.js';
import { replayCheck } from '../../infra/cli/replay-check.js';
import { openTestStores } from '../support/stores.js';
import { until } from '../support/until.js';

/**
 * The scaled-out layout as real processes on one store: two instances of
 * every service (SERVICE_INSTANCE 1 and 2 of 2), one projector, two API
 * processes. 200 payments go through both APIs, a fifth of them without
 * enough points; midway one instance of every role is SIGKILLed and started
 * again. Every payment ends, every effect happens once, the invariants hold.
 */
const entry = fileURLToPath(new URL('../../dist/infra/main.js', import.meta.url));
const FANS = 200;
const BROKE = (i: number) => i % 5 === 4;

t.test('two instances of every role share the work, survive a SIGKILL each, and do everything once', { skip: !existsSync(entry) && 'run `npm run build` first (npm test does)' }, async (t) => {
  const stores = await openTestStores(t);
  const platform = buildMockDataPlatform({ failureRate: 0 });
  await platform.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => platform.close());
  const ports = [await freePort(), await freePort()];
  const processes = new RoleProcesses({
    entry,
    readyTimeoutMs: 300_000,
    env: {
      ...process.env,
      ...stores.env,
      ADMIN_TOKEN: 'admin-secret',
      QUEUE_SECRET: 'queue-secret',
      QUEUE_MAX_ACTIVE: String(FANS),
      QUEUE_ADMIT_INTERVAL_MS: '100',
      TIMER_POLL_MS: '50',
      SERVICE_INSTANCES: '2',
      DATA_PLATFORM_URL: `http://127.0.0.1:${(platform.server.address() as AddressInfo).port}`,
      LOG_LEVEL: 'info',
    },
  });
  t.teardown(() => processes.stopAll());
  const instance = (index: number) => ({ SERVICE_INSTANCE: String(index) });
  const roles: Array<[name: string, start: () => Promise<void>]> = [
    ...SERVICE_NAMES.flatMap((service) => [1, 2].map((i): [string, () => Promise<void>] => [`${service}#${i}`, () => processes.start(`${service}#${i}`, [service], instance(i))])),
    ['projector', () => processes.start('projector', ['projector'])],
    ...ports.map((port, i): [string, () => Promise<void>] => [`api#${i + 1}`, () => processes.start(`api#${i + 1}`, ['api'], { PORT: String(port) })]),
  ];
  const started = performance.now();
  await Promise.all(roles.map(([, start]) => start()));
  t.comment(`${roles.length} processes ready in ${Math.round(performance.now() - started)} ms`);

  let nextApi = 0;
  /** One request through the APIs in turn; an API that is down (killed) is skipped for the other. */
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    for (let tries = 0; ; tries++) {
      const port = ports[nextApi++ % ports.length]!;
      try {
        const response = await fetch(`http://127.0.0.1:${port}${path}`, {
          method,
          headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
          body: body ? JSON.stringify(body) : undefined,
        });
        const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> & Array<Record<string, unknown>> };
        // A read model behind (its projector just restarted) says so: try again, as its Retry-After asks.
        if (answer.status !== 503 || tries > 40) return answer;
      } catch (error) {
        if (tries > 40) throw error;
      }
      await sleep(250);
    }
  };


  const concert = await call('POST', '/concerts', { title: 'Scale', schedules: [{ startsAt: '2031-01-01T20:00:00.000Z', seatCount: FANS, price: 100 }] }, { authorization: 'Bearer admin-secret' });
  t.equal(concert.status, 201);
  const scheduleId = (concert.body.schedules as Array<{ scheduleId: string }>)[0]!.scheduleId;

  /** One fan from the queue to a paid (or refused) seat, every request through whichever API is next. */
  const fan = async (i: number) => {
    const userId = `fan${i}`;
    const issued = await call('POST', '/queue/tokens', { userId });
    const token = issued.body.token as string;
    await until(`${userId}'s admission`, async () => ((await call('GET', '/queue/tokens/current', undefined, { 'queue-token': token })).body.status === 'ACTIVE' ? true : undefined));
    const charged = await call('POST', `/users/${userId}/points/charge`, { amount: BROKE(i) ? 50 : 100 }, { 'idempotency-key': `charge-${userId}` });
    if (charged.status !== 200) throw new Error(`charge for ${userId}: ${charged.status} ${JSON.stringify(charged.body)}`);
    const hold = await call('POST', '/reservations', { scheduleId, seatNo: i + 1 }, { 'queue-token': token, 'idempotency-key': `hold-${userId}` });
    if (hold.status !== 201 && hold.status !== 200) throw new Error(`hold for ${userId}: ${hold.status} ${JSON.stringify(hold.body)}`);
    const pay = await call('POST', '/payments', { reservationId: hold.body.reservationId }, { 'queue-token': token });
    if (pay.status !== 202 && pay.status !== 200) throw new Error(`payment for ${userId}: ${pay.status} ${JSON.stringify(pay.body)}`);
    return until(`${userId}'s payment to end`, async () => {
      const payment = await call('GET', `/payments/${pay.body.paymentId as string}?waitMs=2000`);
      return payment.status === 200 && payment.body.status !== 'PENDING' ? { i, paymentId: payment.body.paymentId as string, status: payment.body.status as string, reason: payment.body.reason } : undefined;
    }, 120_000);
  };

  // Fans in waves of 40 at a time; after half of them, one instance of every role is killed and started again.
  const ended: Array<Awaited<ReturnType<typeof fan>>> = [];
  let killed = false;
  for (let first = 0; first < FANS; first += 40) {
    const wave = Array.from({ length: 40 }, (_, k) => fan(first + k));
    if (!killed && first >= FANS / 2) {
      killed = true;
      await sleep(200);
      const victims = [...SERVICE_NAMES.map((service, k) => `${service}#${(k % 2) + 1}`), 'projector', 'api#1'];
      await Promise.all(victims.map((name) => processes.signal(name, 'SIGKILL')));
      await Promise.all(roles.filter(([name]) => victims.includes(name)).map(([, start]) => start()));
    }
    ended.push(...(await Promise.all(wave)));
  }
  t.comment(`${FANS} fans through in ${Math.round(performance.now() - started)} ms`);

  t.equal(ended.length, FANS, 'every payment ended');
  t.same(
    ended.filter((e) => e.status === 'FAILED').map((e) => [e.i, e.reason]),
    Array.from({ length: FANS }, (_, i) => i).filter(BROKE).map((i) => [i, 'INSUFFICIENT_BALANCE']),
    'exactly the fans without enough points failed, for that reason',
  );
  const paid = ended.filter((e) => e.status === 'COMPLETED').map((e) => e.paymentId).sort();
  t.equal(paid.length, FANS - FANS / 5);
  const delivered = await until('every paid seat delivered', async () => {
    const records = (await platform.inject({ method: 'GET', url: '/reservations' })).json() as Array<{ paymentId: string }>;
    return records.length >= paid.length ? records : undefined;
  });
  t.same(delivered.map((r) => r.paymentId).sort(), paid, 'each paid seat reached the data platform once');
  t.same(processes.unexpectedExits, [], 'no process died but the ones killed on purpose');

  // An Idempotency-Key answered by one API is replayed by the other: the keys live in the shared read store.
  const direct = async (port: number) => {
    const response = await fetch(`http://127.0.0.1:${port}/users/fan0/points/charge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'once-across-apis' },
      body: JSON.stringify({ amount: 7 }),
    });
    return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: await response.json() };
  };
  const first = await direct(ports[0]!);
  const again = await direct(ports[1]!);
  t.equal(first.status, 200);
  t.same([again.status, again.replayed, again.body], [200, 'true', first.body], 'the second API replays the first answer');
  t.match(first.body, { userId: 'fan0', balance: 7 }, 'the 100 charged were spent on the seat; 7 more, once');

  await processes.stopAll();
  const definitions = serviceDefinitions({ config: loadConfig({}), store: stores.stored, reads: stores.reads, clock: systemClock, send: () => Promise.reject(new Error('the check sends nothing')) });
  const results = await checkInvariants(stores.stored, {
    now: new Date(),
    receiver: delivered.map((r) => ({ paymentId: r.paymentId, effects: 1 })),
    replay: () => replayCheck({ events: stores.stored, reads: stores.reads }, definitions, 2),
  });
  for (const result of results) t.ok(result.ok, `invariant ${result.id} (${result.name}) holds`, { violations: result.violations, counts: result.counts });
});
