// Proves the Dockerfile's steps without a Docker engine: copies the build
// context as the builder would (honouring .dockerignore), then runs every
// stage's steps in order, each stage in a directory of its own that stands
// for its WORKDIR (/app): FROM another stage copies that stage's directory,
// COPY copies from the context or from a stage, RUN runs with /bin/sh in the
// stage's directory with the stage's ENV. What only an image can do is
// reported and skipped: apt-get (the base image's system packages; here the
// machine's own python3, make and g++ build better-sqlite3), USER, EXPOSE.
// Then it runs the final stage's CMD with the final stage's ENV only (as a
// container would get it) against the embedded store:
//   1. as the image would start with nothing set: it must refuse (exit 2),
//   2. with QUEUE_SECRET and DATA_PLATFORM_URL (the mock, started from the same
//      stage as compose's opt-in profile does): /health and /concerts answer,
//      and SIGTERM stops it with exit 0.
// RUN steps keep this machine's environment (npm's registry and cache
// settings); only the CMD gets a container's bare one.
//
//   node scripts/dockerfile-dry-run.mjs [--keep]      (npm run docker:dry-run)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyContext } from './docker-context.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'dockerfile-dry-run-'));
const say = (line) => process.stdout.write(`${line}\n`);
const fail = (message) => {
  say(`DRY RUN FAILED: ${message}`);
  say(`(work directory kept: ${work})`);
  process.exit(1);
};

/** Instructions, continuation lines joined and comments dropped. */
function parse(text) {
  const instructions = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = `${pending}${line}`.trim();
    pending = '';
    const [keyword, ...rest] = full.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: full.slice(keyword.length).trim(), rest });
  }
  return instructions;
}

/** ENV k=v k2="v 2" */
function parseEnv(args) {
  const env = {};
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)) env[match[1]] = match[3] ?? match[2];
  return env;
}

const WORKDIR = '/app';
const stages = [];
const byName = new Map();
let stage;

function stagePath(target, path) {
  const absolute = path.startsWith('/') ? path : `${target.workdir}/${path}`;
  if (absolute !== WORKDIR && !absolute.startsWith(`${WORKDIR}/`)) fail(`only paths under ${WORKDIR} can be emulated, got ${path}`);
  return join(target.dir, absolute.slice(WORKDIR.length));
}

function copy(args) {
  const words = args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  const dest = paths.pop();
  const source = from === undefined ? null : byName.get(from);
  if (from !== undefined && !source) fail(`COPY --from=${from}: no such stage`);
  const destination = stagePath(stage, dest);
  for (const path of paths) {
    const origin = source ? stagePath(source, path) : join(work, 'context', path);
    if (!existsSync(origin)) fail(`COPY ${path}: not in ${source ? `stage ${from}` : 'the build context'}`);
    const into = dest.endsWith('/') || paths.length > 1 ? join(destination, path === '.' ? '' : path.split('/').pop()) : destination;
    mkdirSync(dirname(into), { recursive: true });
    cpSync(origin, path === '.' ? destination : into, { recursive: true, verbatimSymlinks: true });
  }
}

function run(command) {
  if (/^apt-get\b/.test(command)) {
    const missing = ['python3', 'make', 'g++'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
    if (missing.length > 0) fail(`apt-get step skipped, and this machine lacks ${missing.join(', ')}`);
    say('    skipped: system packages of the image; this machine has python3, make and g++');
    return;
  }
  const result = spawnSync('/bin/sh', ['-c', command], { cwd: stage.dir, env: { ...process.env, ...stage.env }, stdio: 'inherit' });
  if (result.status !== 0) fail(`RUN exited ${result.status}: ${command}`);
}

say(`work directory: ${work}`);
const files = copyContext(root, join(work, 'context'));
say(`build context: ${files.length} files after .dockerignore`);

for (const { keyword, args, rest } of parse(readFileSync(join(root, 'Dockerfile'), 'utf8'))) {
  if (keyword === 'FROM') {
    const [image, as, name] = rest;
    const parent = byName.get(image);
    const label = as?.toUpperCase() === 'AS' ? name : `stage${stages.length}`;
    stage = { name: label, image, dir: join(work, 'stages', `${stages.length}-${label}`), env: { ...(parent?.env ?? {}) }, workdir: parent?.workdir ?? '/', cmd: parent?.cmd };
    if (parent) cpSync(parent.dir, stage.dir, { recursive: true, verbatimSymlinks: true });
    else mkdirSync(stage.dir, { recursive: true });
    stages.push(stage);
    byName.set(label, stage);
    say(`\n== stage ${label} (FROM ${image}${parent ? ': a copy of that stage' : ''})`);
    continue;
  }
  if (!stage) fail(`${keyword} before FROM`);
  say(`-- ${keyword} ${args}`);
  if (keyword === 'WORKDIR') {
    if (args !== WORKDIR) fail(`the dry run stands each stage's directory for ${WORKDIR}; WORKDIR ${args} is not emulated`);
    stage.workdir = args;
  } else if (keyword === 'ENV') Object.assign(stage.env, parseEnv(args));
  else if (keyword === 'COPY') copy(args);
  else if (keyword === 'RUN') run(args);
  else if (keyword === 'CMD') stage.cmd = JSON.parse(args);
  else if (keyword === 'USER' || keyword === 'EXPOSE') say('    (image metadata: nothing to run)');
  else fail(`${keyword} is not emulated`);
}

const final = stages.at(-1);
say(`\n== the final stage (${final.name}): what it holds`);
for (const devOnly of ['typescript', 'tap', 'autocannon', 'fast-check']) {
  if (existsSync(join(final.dir, 'node_modules', devOnly))) fail(`a dev dependency reached the runtime: ${devOnly}`);
}
say('    no dev dependencies (typescript, tap, autocannon, fast-check absent)');
const addon = join(final.dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(addon)) fail('better-sqlite3 has no compiled addon in the runtime');
say('    better-sqlite3 compiled');
if (!final.cmd) fail('the final stage has no CMD');

const freePort = () =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });

/** What a container gets: the image's ENV, a PATH, and what compose would pass. The host becomes loopback here. */
const containerEnv = (extra) => ({ PATH: process.env.PATH, HOME: join(work, 'home'), ...final.env, HOST: '127.0.0.1', DATA_DIR: join(work, 'data'), LOG_LEVEL: 'warn', ...extra });

function start(argv, env) {
  const child = spawn(argv[0], argv.slice(1), { cwd: final.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.output = '';
  child.stdout.on('data', (chunk) => (child.output += chunk));
  child.stderr.on('data', (chunk) => (child.output += chunk));
  child.done = new Promise((done) => child.on('close', (code) => done(code)));
  return child;
}

async function until(what, probe, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) fail(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

say(`\n== CMD ${JSON.stringify(final.cmd)} with nothing set: the production layout must refuse`);
const refused = start(final.cmd, containerEnv({ PORT: String(await freePort()) }));
const refusedCode = await refused.done;
if (refusedCode !== 2 || !refused.output.includes('refusing to start')) fail(`expected exit 2 and a refusal, got ${refusedCode}: ${refused.output}`);
say(`    exit 2: ${refused.output.split('\n')[0]}`);

say('\n== CMD with QUEUE_SECRET and DATA_PLATFORM_URL, on the embedded store');
const mockPort = await freePort();
const mock = start(['node', 'dist/infra/mock-data-platform.js'], containerEnv({ MOCK_DATA_PLATFORM_PORT: String(mockPort), MOCK_DATA_PLATFORM_FAILURE_RATE: '0' }));
const port = await freePort();
const app = start(final.cmd, containerEnv({ PORT: String(port), QUEUE_SECRET: 'dry-run-secret', ADMIN_TOKEN: 'dry-run-admin', DATA_PLATFORM_URL: `http://127.0.0.1:${mockPort}` }));
const stopAll = () => {
  for (const child of [app, mock]) if (child.exitCode === null) child.kill('SIGKILL');
};
process.on('exit', stopAll);
await until('GET /health', async () => ((await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined));
say('    GET /health: 200');
const concerts = await until('GET /concerts', async () => {
  const response = await fetch(`http://127.0.0.1:${port}/concerts`);
  const body = await response.json();
  return response.ok && Array.isArray(body) && body.length > 0 ? body : undefined;
});
say(`    GET /concerts: ${concerts.length} demo concerts`);
app.kill('SIGTERM');
mock.kill('SIGTERM');
const [appCode, mockCode] = await Promise.all([app.done, mock.done]);
if (appCode !== 0) fail(`the app exited ${appCode} on SIGTERM: ${app.output}`);
if (mockCode !== 0) fail(`the mock exited ${mockCode} on SIGTERM: ${mock.output}`);
say('    SIGTERM: both exit 0');

if (!keep) rmSync(work, { recursive: true, force: true });
say(`\nDRY RUN PASSED: every step of the Dockerfile ran, and the image's command serves.${keep ? ` (kept: ${work})` : ''}`);
