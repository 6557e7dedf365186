import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForOutput } from '../cli/cli.js';
import { openTestStores, storeEnv } from '../support/stores.js';

/**
 * The node process itself, from the build: in the production layout it refuses
 * to start without QUEUE_SECRET and DATA_PLATFORM_URL (exit 2, before it opens
 * or creates anything); `npm start`'s all-in-one process still starts without them.
 */
const entry = fileURLToPath(new URL('../../dist/infra/main.js', import.meta.url));
if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);

function env(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, ...storeEnv(dataDir), PORT: '0', MOCK_DATA_PLATFORM_PORT: '0', LOG_LEVEL: 'warn' };
  for (const name of ['NODE_ENV', 'QUEUE_SECRET', 'DATA_PLATFORM_URL', 'ADMIN_TOKEN']) delete base[name];
  return { ...base, ...extra };
}

function run(args: string[], environment: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [entry, ...args], { env: environment, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`main.js ${args.join(' ')} did not exit within 20 s; stderr: ${stderr}`));
    }, 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

t.test('one process per service: the api without QUEUE_SECRET and dataplatform without DATA_PLATFORM_URL refuse, exit 2', async (t) => {
  const dataDir = join(t.testdir(), 'data');
  const result = await run(['--service', 'api', '--service', 'dataplatform'], env(dataDir));
  t.equal(result.code, 2);
  t.match(result.stderr, /^refusing to start: the production layout \(one process per service \(--service\)\) needs these set:\n/);
  t.match(result.stderr, /^ {2}QUEUE_SECRET: /m);
  t.match(result.stderr, /^ {2}DATA_PLATFORM_URL: /m);
  t.notMatch(result.stderr, /\n\s+at /, 'a message, not a stack trace');
  t.notOk(existsSync(dataDir), 'nothing was opened: the data dir was never created');
});

t.test('NODE_ENV=production: even the all-in-one process refuses without them', async (t) => {
  const dataDir = join(t.testdir(), 'data');
  const result = await run([], env(dataDir, { NODE_ENV: 'production' }));
  t.equal(result.code, 2);
  t.match(result.stderr, 'the production layout (NODE_ENV=production)');
  t.match(result.stderr, 'QUEUE_SECRET');
  t.match(result.stderr, 'DATA_PLATFORM_URL');
  t.notOk(existsSync(dataDir));
});

t.test('only what its roles use: the api alone needs QUEUE_SECRET, not DATA_PLATFORM_URL', async (t) => {
  const result = await run(['--service', 'api'], env(join(t.testdir(), 'data')));
  t.equal(result.code, 2);
  t.match(result.stderr, 'QUEUE_SECRET');
  t.notMatch(result.stderr, 'DATA_PLATFORM_URL');
});

t.test('npm start as before: every role, no NODE_ENV, nothing set: it generates what it needs and runs the mock', async (t) => {
  const { dir } = await openTestStores(t);
  const child = spawn(process.execPath, [entry], { env: env(dir, { LOG_LEVEL: 'info' }), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const printed = await waitForOutput(child.stdout, (text) => /Admin token {2}\S+/.test(text) && text.includes('QUEUE_SECRET not set'));
  t.match(printed, /API {10}http:\/\/127\.0\.0\.1:\d+/, 'the API is up');
  t.notMatch(printed, /Admin token {2}\(from ADMIN_TOKEN\)/, 'an admin token was generated and printed');
  t.match(printed, /User ids {5}taken as sent, unchecked \(demo: set USER_JWT_SECRET or USER_JWKS_URL\)/, 'the banner says user ids are not checked');
  t.match(printed, 'mock data platform listening', 'the mock data platform runs in the process');
  child.kill('SIGTERM');
  t.equal(await exited, 0, 'and it stops cleanly');
});

t.test('--cluster in NODE_ENV=production refuses as the all-in-one does, before seeding or forking anything', async (t) => {
  const dataDir = join(t.testdir(), 'data');
  const result = await run(['--cluster'], env(dataDir, { NODE_ENV: 'production' }));
  t.equal(result.code, 2);
  t.match(result.stderr, 'the production layout (NODE_ENV=production)');
  t.match(result.stderr, 'QUEUE_SECRET');
  t.match(result.stderr, 'DATA_PLATFORM_URL');
  t.notOk(existsSync(dataDir), 'nothing was opened');
});

t.test('--cluster runs every role: with --service it is refused', async (t) => {
  const result = await run(['--cluster', '--service', 'api'], env(join(t.testdir(), 'data')));
  t.equal(result.code, 2);
  t.match(result.stderr, '--cluster runs every role');
});
