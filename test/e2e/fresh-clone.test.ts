import t, { type Test } from 'tap';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outside, outsideEnv } from '../support/outside-env.js';

/**
 * The README's two commands, typed in a clone that has never been installed:
 * `npm start` installs the lock file, builds and serves; `npm test` installs
 * and builds, then starts tap, which here only lists the test files
 * (`npm test -- list`): the real command up to its own start, without
 * running this suite inside itself.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));

// Two real `npm ci` runs and two builds; on two busy cores that is a few
// minutes at worst. Nothing below waits for a time, only for output or exits.
t.setTimeout(15 * 60_000);

/**
 * A clone of this checkout as it is now, uncommitted changes included: every
 * file git tracks or would track, nothing it ignores (node_modules, dist,
 * data). Outside this checkout, so Node cannot find this checkout's
 * node_modules by walking up from it.
 */
function freshClone(t: Test): { clone: string; data: string } {
  const root = mkdtempSync(join(tmpdir(), 'concert-saga-fresh-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const clone = join(root, 'clone');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '');
  for (const file of files) {
    if (!existsSync(join(repo, file))) continue; // deleted, not yet committed
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    copyFileSync(join(repo, file), join(clone, file));
  }
  const data = join(root, 'data');
  mkdirSync(data);
  return { clone, data };
}

/**
 * What keeps the two installs to seconds while each stays a real `npm ci` of
 * the lock file: packages come from the local npm cache without asking the
 * registry whether they are still current (.ci/run's own `npm ci` has filled
 * it), and better-sqlite3's installer, which would otherwise download its
 * prebuilt binary or compile SQLite for a minute, finds this checkout's binary
 * packed the way its release is, in the folder it looks in first. Should that
 * name not fit this machine, it downloads or compiles: slower, same result.
 */
function installFromLocalCopies(t: Test): Record<string, string> {
  const prebuilds = mkdtempSync(join(tmpdir(), 'concert-saga-prebuilds-'));
  t.teardown(() => rmSync(prebuilds, { recursive: true, force: true }));
  const sqlite = join(repo, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(sqlite, 'package.json'), 'utf8')) as { version: string };
  const release = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync('tar', ['-czf', join(prebuilds, release), '-C', sqlite, 'build/Release/better_sqlite3.node']);
  return {
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_better_sqlite3_local_prebuilds: prebuilds,
  };
}

/** `npm <args>` in its own process group, as a terminal runs it, its output kept. */
class Npm {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  /** Once npm and everything it started have exited and closed their output. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(t: Test, cwd: string, args: string[], env: Record<string, string>) {
    this.child = spawn(...outside('npm', args), { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.closed = new Promise((resolve) => this.child.once('close', (code, signal) => resolve({ code, signal })));
    t.teardown(() => this.signal('SIGKILL'));
  }

  get transcript(): string {
    return `--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`;
  }

  /** Sends the signal to npm and all it started; false when none of them is left (zombies count as left). */
  signal(signal: NodeJS.Signals): boolean {
    try {
      process.kill(-this.child.pid!, signal);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw error;
    }
  }

  /** The first match of `pattern` in stdout, or a failure with the transcript if npm ends first. */
  until(pattern: RegExp): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const look = () => {
        const match = this.stdout.match(pattern);
        if (!match) return;
        this.child.stdout!.off('data', look);
        resolve(match);
      };
      this.child.stdout!.on('data', look);
      void this.closed.then(({ code, signal }) => reject(new Error(`npm ${this.child.spawnargs.slice(-1)} ended (${code ?? signal}) before printing ${pattern}\n${this.transcript}`)));
      look();
    });
  }
}

const count = (text: string, part: string) => text.split(part).length - 1;

function assertInstalledOnce(t: Test, run: Npm) {
  const all = run.stdout + run.stderr;
  t.match(run.stderr, /^node_modules is missing\.\nInstalling the locked dependencies with npm ci \(first run: about [^)]+\)…\n/m, 'says what it does and how long a first install takes');
  const took = run.stderr.match(/^Installed the locked dependencies in (\d+(?:\.\d)?) s\.$/m);
  t.ok(took, 'and how long it took');
  t.comment(`npm ci in the fresh clone: ${took?.[1]} s`);
  t.equal(all.match(/^added \d+ packages/gm)?.length, 1, 'one npm ci');
  t.equal(count(all, '> concert-saga@0.1.0 build'), 1, 'one build: npm ci no longer builds as well');
}

t.test('npm start in a fresh clone installs the lock file, builds and serves', async (t) => {
  const { clone, data } = freshClone(t);
  t.notOk(existsSync(join(clone, 'node_modules')), 'the clone has no node_modules');
  t.notOk(existsSync(join(clone, 'dist')), 'nor a build');

  const start = new Npm(t, clone, ['start'], outsideEnv({ ...installFromLocalCopies(t), DATA_DIR: data, PORT: '0', MOCK_DATA_PLATFORM_PORT: '0' }));
  const [, api] = await start.until(/^ {2}API {10}(http:\/\/\S+)$/m);
  const health = await fetch(`${api}/health`);
  t.equal(health.status, 200, `the API answers at ${api}`);
  assertInstalledOnce(t, start);
  t.ok(existsSync(join(data, 'events.db')), 'its data in DATA_DIR');

  // Ctrl-C signals the whole foreground group; npm's shell would not pass a
  // signal sent to npm alone on to the server.
  t.ok(start.signal('SIGTERM'), 'SIGTERM to npm start and the server under it');
  await start.closed; // every process that could write to its output has exited
  t.match(start.stdout, /"msg":"shutting down: finishing work in hand"/, 'the server shuts down cleanly');
  t.notMatch(start.stdout + start.stderr, /shutdown failed/, 'without a failed shutdown');
  await t.rejects(fetch(`${api}/health`), 'and is gone');

  // What a real npm ci leaves behind is what the check counts as ready.
  const again = spawnSync(...outside(process.execPath, [join(clone, 'scripts', 'ensure-installed.mjs')]), { env: outsideEnv(), encoding: 'utf8' });
  t.equal(again.status, 0);
  t.equal(again.stdout + again.stderr, '', 'the next start installs nothing');
});

t.test('npm test in a fresh clone installs the lock file and builds before tap starts', async (t) => {
  const { clone } = freshClone(t);
  t.notOk(existsSync(join(clone, 'node_modules')), 'the clone has no node_modules');

  const test = new Npm(t, clone, ['test', '--', 'list'], outsideEnv(installFromLocalCopies(t)));
  const { code } = await test.closed;
  t.equal(code, 0, `npm test -- list exits 0${code === 0 ? '' : `\n${test.transcript}`}`);
  assertInstalledOnce(t, test);
  t.match(test.stdout, /^test\/e2e\/fresh-clone\.test\.ts$/m, "the clone's own tap runs and finds this suite");
  t.ok(existsSync(join(clone, 'dist', 'infra', 'main.js')), 'built');
});
