import t, { type Test } from 'tap';
import { until as untilFor } from '../support/until.js';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from 'undici';
import { openTestStores } from '../support/stores.js';
import { SERVICE_NAMES } from '../../infra/services.js';

/**
 * `npm start -- --cluster` from the build, as a real primary with real
 * workers on the test's stores: two of every service and of the api, one
 * projector. Tokens issued by one api worker verify at the other; a
 * SIGKILLed worker comes back under the same name and the system still
 * completes a payment; SIGTERM stops the primary with exit 0 and no worker
 * left. Every wait is on an observable state, with a generous deadline.
 */
const entry = fileURLToPath(new URL('../../dist/infra/main.js', import.meta.url));
/** A bound for a failure, never a pace: seventeen processes start on a machine that may be busy. */
const DEADLINE_MS = 240_000;

interface LogLine {
  msg: string;
  pid: number;
  worker?: string;
  /** The worker a supervisor line is about (`pid` is the primary's own, as on every log line). */
  workerPid?: number;
  url?: string;
  [key: string]: unknown;
}

const until = <T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = DEADLINE_MS) => untilFor(what, probe, ms);

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
};

/** One connection, so one api worker: the primary hands each new connection to the next worker. */
interface Pinned {
  pid: number;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> & Array<Record<string, unknown>> }>;
  close(): Promise<void>;
}

async function pinned(base: string): Promise<Pinned> {
  const client = new Client(base, { pipelining: 1 });
  const call: Pinned['call'] = async (method, path, body, headers = {}) => {
    const response = await client.request({
      method: method as 'GET' | 'POST',
      path,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> & Array<Record<string, unknown>> };
  };
  const health = await call('GET', '/health');
  return { pid: health.body.pid as unknown as number, call, close: () => client.close() };
}

/** Opens connections until one lands on each of `count` api workers (those in `want`, when given). */
async function oneConnectionPerWorker(base: string, count: number, want?: readonly number[]): Promise<Pinned[]> {
  const found = new Map<number, Pinned>();
  await until(`a connection to each of ${count} api workers`, async () => {
    const next = await pinned(base).catch(() => undefined);
    if (next && !found.has(next.pid)) found.set(next.pid, next);
    else await next?.close();
    const done = found.size >= count && (want ?? []).every((pid) => found.has(pid));
    return done ? true : undefined;
  });
  return [...found.values()];
}

/** `--cluster` from the build on the test's stores, with `extra` in its environment; its log and printed lines kept. */
async function startPrimary(t: Test, extra: NodeJS.ProcessEnv) {
  const stores = await openTestStores(t);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...stores.env,
    PORT: '0',
    MOCK_DATA_PLATFORM_PORT: '0',
    MOCK_DATA_PLATFORM_FAILURE_RATE: '0',
    ...extra,
    QUEUE_ADMIT_INTERVAL_MS: '100',
    TIMER_POLL_MS: '50',
    LOG_LEVEL: 'info',
  };
  // What the primary must make up once and hand to every worker.
  for (const name of ['NODE_ENV', 'QUEUE_SECRET', 'ADMIN_TOKEN', 'DATA_PLATFORM_URL', 'SERVICE_INSTANCE', 'SERVICE_INSTANCES']) delete env[name];
  // The workers run as an operator's would: without the test runner's per-process coverage hooks, which would weigh on seventeen start-ups.
  delete env.NODE_OPTIONS;
  for (const name of Object.keys(env)) if (name.startsWith('_TAPJS_')) delete env[name];

  const primary = spawn(process.execPath, [entry, '--cluster'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => primary.once('exit', (code, signal) => resolve({ code, signal })));
  const logs: LogLine[] = [];
  const printed: string[] = [];
  createInterface({ input: primary.stdout }).on('line', (line) => {
    if (line.startsWith('{')) logs.push(JSON.parse(line) as LogLine);
    else printed.push(line);
  });
  const started = () => logs.filter((line): line is LogLine & { workerPid: number } => line.msg === 'worker started' && line.pid === primary.pid && typeof line.workerPid === 'number');
  t.teardown(async () => {
    // Only on a failure: a primary still running is killed, and every worker it ever named.
    if (primary.exitCode !== null || primary.signalCode !== null) return;
    for (const { workerPid } of started()) if (alive(workerPid)) process.kill(workerPid, 'SIGKILL');
    primary.kill('SIGKILL');
    await exited;
  });

  const base = await until('the printed API line', () => printed.join('\n').match(/API {10}(http:\/\/127\.0\.0\.1:\d+)/)?.[1]);
  const adminToken = printed.join('\n').match(/Admin token {2}(\S+)/)![1]!;
  return { primary, exited, logs, printed, started, base, adminToken };
}

/** The first schedule of the seeded catalogue, once the read models have it. */
async function seededSchedule(api: Pinned): Promise<string> {
  const schedules = await until('the seeded catalogue', async () => {
    const concerts = await api.call('GET', '/concerts');
    const first = concerts.body[0];
    if (!first) return undefined;
    const list = await api.call('GET', `/concerts/${first.concertId as string}/schedules`);
    return list.body.length > 0 ? list.body : undefined;
  });
  return schedules[0]!.scheduleId as string;
}

/** Token from one worker, everything else alternating between the two: each verifies the other's tokens. */
async function pay(t: Test, scheduleId: string, user: string, seatNo: number, [one, two]: Pinned[]): Promise<string> {
  const issued = await one!.call('POST', '/queue/tokens', { userId: user });
  t.equal(issued.status, 201, `${user}: token issued by pid ${one!.pid}`);
  const token = issued.body.token as string;
  await until(`${user}'s token to be admitted`, async () => ((await two!.call('GET', '/queue/tokens/current', undefined, { 'queue-token': token })).body.status === 'ACTIVE' ? true : undefined));
  t.equal((await one!.call('GET', '/queue/tokens/current', undefined, { 'queue-token': token })).status, 200, `${user}: the token verifies at both api workers`);
  t.equal((await two!.call('POST', `/users/${user}/points/charge`, { amount: 1_000 })).status, 200, `${user}: points charged`);
  const hold = await two!.call('POST', '/reservations', { scheduleId, seatNo }, { 'queue-token': token });
  t.equal(hold.status, 201, `${user}: seat ${seatNo} held at pid ${two!.pid}`);
  const payment = await one!.call('POST', '/payments', { reservationId: hold.body.reservationId }, { 'queue-token': token });
  t.equal(payment.status, 202, `${user}: payment accepted at pid ${one!.pid}`);
  const paymentId = payment.body.paymentId as string;
  const ended = await until(`${user}'s payment to end`, async () => {
    const polled = await two!.call('GET', `/payments/${paymentId}?waitMs=5000`);
    return polled.body.status === 'PENDING' ? undefined : polled.body;
  });
  t.equal(ended.status, 'COMPLETED', `${user}: the saga ran across the workers`);
  return paymentId;
}


t.test('--cluster: supervised workers behind one port; a killed worker comes back; SIGTERM stops them all', { skip: !existsSync(entry) && 'run `npm run build` first (npm test does)' }, async (t) => {
  const { primary, exited, logs, printed, started, base, adminToken } = await startPrimary(t, { CLUSTER_INSTANCES: '2' });
  t.notMatch(adminToken, /^\(from/, 'the primary generated an admin token and printed it');
  t.equal(printed.filter((line) => line.includes('Swagger UI')).length, 1, 'the API lines are printed once, not once per api worker');
  t.equal(started().length, 2 * SERVICE_NAMES.length + 2 + 1, 'two of each service and of the api, one projector');
  const mock = logs.find((line) => line.msg === 'mock data platform listening' && line.pid === primary.pid)?.url;
  t.ok(mock, 'the primary runs the mock data platform');

  const [a, b] = await oneConnectionPerWorker(base, 2);
  t.not(a!.pid, b!.pid, 'two api processes answer on the one port');
  const apiPids = started().filter((line) => line.worker?.startsWith('api ')).map((line) => line.workerPid);
  t.same([a!.pid, b!.pid].sort(), apiPids.sort(), 'they are the two api workers the primary started');

  const scheduleId = await seededSchedule(a!);
  const created = await b!.call('POST', '/concerts', { title: 'Cluster', schedules: [{ startsAt: '2031-01-01T20:00:00.000Z', seatCount: 2, price: 10 }] }, { authorization: `Bearer ${adminToken}` });
  t.equal(created.status, 201, 'the printed admin token verifies at an api worker');

  const first = await pay(t, scheduleId, 'ana', 1, [a!, b!]);
  await a!.close();
  await b!.close();

  // SIGKILL one api worker and one payment worker: the primary must fork both again under the same names.
  const victims = ['api 1/2', 'payment 1/2'].map((name) => started().findLast((line) => line.worker === name)!);
  for (const victim of victims) process.kill(victim.workerPid, 'SIGKILL');
  const replacements = await until('both killed workers to be started again', () => {
    const again = victims.map((victim) => started().find((line) => line.worker === victim.worker && line.workerPid !== victim.workerPid));
    return again.every(Boolean) ? again.map((line) => line!.workerPid) : undefined;
  });
  for (const victim of victims) {
    t.ok(
      logs.some((line) => line.msg === 'worker exited unexpectedly: restarting it' && line.worker === victim.worker && line.workerPid === victim.workerPid && line.signal === 'SIGKILL' && typeof line.restartInMs === 'number'),
      `${victim.worker}: its death and the restart's backoff are logged`,
    );
    t.notOk(alive(victim.workerPid), `${victim.worker}: the killed process is gone`);
  }
  t.equal(started().length, 2 * SERVICE_NAMES.length + 2 + 1 + 2, 'only the two killed workers were started again');

  // The restarted api worker answers on the same port, and verifies tokens the other one issued.
  const apiAgain = replacements[0]!;
  const [c, d] = await oneConnectionPerWorker(base, 2, [apiAgain]);
  t.ok([c!.pid, d!.pid].includes(apiAgain), 'the restarted api worker serves the shared port');
  const second = await pay(t, scheduleId, 'bo', 2, [c!, d!]);
  await c!.close();
  await d!.close();

  const delivered = await until('both paid reservations at the data platform', async () => {
    const records = (await (await fetch(`${mock!}/reservations`)).json()) as Array<{ paymentId: string }>;
    const ids = new Set(records.map((record) => record.paymentId));
    return ids.has(first) && ids.has(second) ? ids : undefined;
  });
  t.equal(delivered.size, 2, 'the dataplatform workers delivered to the URL the primary handed them');

  const everyWorker = started().map((line) => line.workerPid);
  primary.kill('SIGTERM');
  const { code, signal } = await within(exited, DEADLINE_MS, 'the primary to stop');
  t.same({ code, signal }, { code: 0, signal: null }, 'SIGTERM: the primary exits 0');
  t.same(everyWorker.filter(alive), [], 'and no worker is left');
  t.ok(logs.some((line) => line.msg === 'cluster stopped' && line.failedShutdowns === 0), 'every worker stopped cleanly');
});

t.test('--cluster with CLUSTER_GROUPS=api+projector,services: two processes, and a payment completes across them', { skip: !existsSync(entry) && 'run `npm run build` first (npm test does)' }, async (t) => {
  const { primary, exited, printed, started, base } = await startPrimary(t, { CLUSTER_INSTANCES: '1', CLUSTER_GROUPS: 'api+projector,services' });
  t.same(
    started().map((line) => line.worker),
    ['api+projector 1/1', `${SERVICE_NAMES.join('+')} 1/1`],
    'one worker per group, the projector’s first',
  );
  t.match(printed.join('\n'), /Workers {6}2: 1 × api\+projector, 1 × concert\+reservation/, 'the banner names the groups');
  const [api] = await oneConnectionPerWorker(base, 1);
  const scheduleId = await seededSchedule(api!);
  await pay(t, scheduleId, 'cy', 3, [api!, api!]);
  await api!.close();
  const everyWorker = started().map((line) => line.workerPid);
  primary.kill('SIGTERM');
  t.same(await within(exited, DEADLINE_MS, 'the primary to stop'), { code: 0, signal: null }, 'SIGTERM: the primary exits 0');
  t.same(everyWorker.filter(alive), [], 'and no worker is left');
});
