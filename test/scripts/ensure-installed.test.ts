import t from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import { outside, outsideEnv } from '../support/outside-env.js';

/**
 * The check that `npm start` and `npm test` run first: it runs `npm ci` when
 * node_modules is missing or differs from package-lock.json, and nothing
 * otherwise. npm is replaced by a stand-in named like npm's own entry point
 * (the script calls the npm in npm_execpath) that records each call and does
 * what the case needs; the whole install, for real, is in
 * test/e2e/fresh-clone.test.ts.
 */
const script = fileURLToPath(new URL('../../scripts/ensure-installed.mjs', import.meta.url));

const FAKE_NPM = `
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
appendFileSync(process.env.FAKE_NPM_CALLS, JSON.stringify(process.argv.slice(2)) + '\\n');
if (process.env.FAKE_NPM === 'fail') process.exit(3);
if (process.env.FAKE_NPM === 'install') {
  // What npm ci leaves behind: its record of the lock's packages, without the
  // project itself and without optional packages for other platforms.
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
  const packages = Object.fromEntries(Object.entries(lock.packages).filter(([path, entry]) => path !== '' && !entry.os));
  mkdirSync('node_modules', { recursive: true });
  writeFileSync('node_modules/.package-lock.json', JSON.stringify({ ...lock, packages }, null, 2));
}
`;

type Entry = Record<string, unknown>;
const registry = (name: string, version: string) => ({
  version,
  resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`,
  integrity: `sha512-${name}-${version}`,
  license: 'MIT',
});
const LOCK = {
  name: 'fixture',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'fixture', version: '1.0.0', dependencies: { a: '^1.0.0' }, devDependencies: { b: '^2.0.0' } },
    'node_modules/a': registry('a', '1.0.0'),
    'node_modules/a/node_modules/c': registry('c', '3.0.0'),
    'node_modules/b': { ...registry('b', '2.0.0'), dev: true },
    'node_modules/b-darwin-arm64': { ...registry('b-darwin-arm64', '2.0.0'), dev: true, optional: true, os: ['darwin'], cpu: ['arm64'] },
  } as Record<string, Entry>,
};

/** npm's record after installing LOCK on Linux: everything but the project and the darwin-only package. */
function installedRecord(change: (packages: Record<string, Entry>) => void = () => undefined) {
  const packages: Record<string, Entry> = {};
  for (const [path, entry] of Object.entries(LOCK.packages)) if (path !== '' && !entry.os) packages[path] = { ...entry };
  change(packages);
  return { ...LOCK, packages };
}

interface Clone {
  record?: object;
  /** node_modules exists, but without npm's record in it. */
  bareNodeModules?: boolean;
}

/** A project folder with the script, LOCK, and node_modules as the case says. */
function clone(t: Test, { record, bareNodeModules }: Clone = {}) {
  const dir = t.testdir({
    'package-lock.json': JSON.stringify(LOCK, null, 2),
    scripts: {},
    'fake-npm': { 'package.json': JSON.stringify({ type: 'module' }), 'npm-cli.js': FAKE_NPM },
  });
  copyFileSync(script, join(dir, 'scripts', 'ensure-installed.mjs'));
  if (record || bareNodeModules) mkdirSync(join(dir, 'node_modules'));
  if (record) writeFileSync(join(dir, 'node_modules', '.package-lock.json'), JSON.stringify(record, null, 2));
  return dir;
}

function run(dir: string, fakeNpm: 'install' | 'fail' | 'noop' = 'install') {
  const result = spawnSync(...outside(process.execPath, [join(dir, 'scripts', 'ensure-installed.mjs')]), {
    env: outsideEnv({ npm_execpath: join(dir, 'fake-npm', 'npm-cli.js'), FAKE_NPM: fakeNpm, FAKE_NPM_CALLS: join(dir, 'npm-calls') }),
    encoding: 'utf8',
  });
  const callsFile = join(dir, 'npm-calls');
  const npmCalls = existsSync(callsFile)
    ? readFileSync(callsFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as string[])
    : [];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, npmCalls };
}

t.test('on this checkout, ready since npm test began, it decides "nothing to do" and runs no npm', async (t) => {
  const recorder = t.testdir({ 'package.json': JSON.stringify({ type: 'module' }), 'npm-cli.js': FAKE_NPM });
  const runs = [1, 2, 3, 4, 5].map(() => {
    const started = performance.now();
    const result = spawnSync(...outside(process.execPath, [script]), {
      cwd: recorder,
      env: outsideEnv({ npm_execpath: join(recorder, 'npm-cli.js'), FAKE_NPM: 'fail', FAKE_NPM_CALLS: join(recorder, 'npm-calls') }),
      encoding: 'utf8',
    });
    return { ...result, ms: performance.now() - started };
  });
  for (const result of runs) {
    t.equal(result.status, 0, 'exits 0');
    t.equal(result.stdout + result.stderr, '', 'says nothing');
  }
  t.notOk(existsSync(join(recorder, 'npm-calls')), 'npm was never called');
  // What makes it quick is what it does not do (no npm, no build): that is
  // asserted above. Its time is reported, not judged: on a busy machine a
  // process's start alone can take longer than any fixed bound.
  t.comment(`check on a ready clone, Node's own start included: ${runs.map((result) => result.ms.toFixed(0)).join(', ')} ms`);
});

t.test('no node_modules: runs npm ci once, saying why and how long it took', async (t) => {
  const dir = clone(t);
  const result = run(dir);
  t.equal(result.status, 0);
  t.same(result.npmCalls, [['ci']], 'exactly `npm ci`, the lock file as it is');
  t.match(result.stderr, /^node_modules is missing\.\n/);
  t.match(result.stderr, /Installing the locked dependencies with npm ci \(first run: about [^)]+\)…\n/);
  t.match(result.stderr, /Installed the locked dependencies in \d+(\.\d)? s\.\n$/);
  t.equal(result.stdout, '', 'stdout stays the program’s');
  t.equal(run(dir).npmCalls.length, 1, 'the next run finds it ready and installs nothing');
});

t.test('ready: npm’s record matches the lock, optional packages for other platforms left out', async (t) => {
  const dir = clone(t, { record: installedRecord() });
  const result = run(dir);
  t.equal(result.status, 0);
  t.same(result.npmCalls, []);
  t.equal(result.stderr, '');
});

t.test('the lock moved on (another version, integrity or source): npm ci, naming what differs', async (t) => {
  const older = clone(t, { record: installedRecord((packages) => (packages['node_modules/a'] = registry('a', '0.9.0'))) });
  const result = run(older);
  t.equal(result.status, 0);
  t.same(result.npmCalls, [['ci']]);
  t.match(result.stderr, /^node_modules does not match package-lock\.json: a is 0\.9\.0, the lock says 1\.0\.0\.\n/);

  const repacked = clone(t, {
    record: installedRecord((packages) => (packages['node_modules/a/node_modules/c'] = { ...registry('c', '3.0.0'), integrity: 'sha512-other' })),
  });
  const nested = run(repacked);
  t.same(nested.npmCalls, [['ci']], 'same version, other bytes: still a mismatch');
  t.match(nested.stderr, /c is 3\.0\.0, the lock says 3\.0\.0/);
});

t.test('a package missing or one the lock lacks: npm ci, with a count of the rest', async (t) => {
  const dir = clone(t, {
    record: installedRecord((packages) => {
      delete packages['node_modules/b'];
      for (const name of ['x', 'y', 'z']) packages[`node_modules/${name}`] = registry(name, '1.0.0');
    }),
  });
  const result = run(dir);
  t.equal(result.status, 0);
  t.same(result.npmCalls, [['ci']]);
  t.match(result.stderr, /b is not installed; x is installed but not in the lock; y is installed but not in the lock \(and 1 more\)/);
});

t.test('node_modules without npm’s record (an install cut short, or not by npm): npm ci', async (t) => {
  const dir = clone(t, { bareNodeModules: true });
  const result = run(dir);
  t.equal(result.status, 0);
  t.same(result.npmCalls, [['ci']]);
  t.match(result.stderr, /^node_modules has no record of a finished npm install/);
});

t.test('npm ci fails: the check fails, so nothing is built or started', async (t) => {
  const result = run(clone(t), 'fail');
  t.equal(result.status, 1);
  t.same(result.npmCalls, [['ci']]);
  t.match(result.stderr, /npm ci failed after \d+ s \(exit 3\); nothing was started\.\n$/);
});

t.test('npm ci succeeds but leaves a mismatch (dev dependencies omitted, say): fails instead of reinstalling every time', async (t) => {
  const result = run(clone(t), 'noop');
  t.equal(result.status, 1);
  t.same(result.npmCalls, [['ci']], 'one install, no loop');
  t.match(result.stderr, /npm ci finished, but node_modules is missing\. Is omit=dev or NODE_ENV=production set\?/);
});
