// The first step of `npm start` and `npm test` (their pre-scripts), so that
// those two commands work on a fresh clone: when node_modules is missing or no
// longer matches package-lock.json, install exactly the lock file with
// `npm ci`; otherwise do nothing. It runs before anything is installed, so it
// may use nothing but Node itself.
//
// How it decides: at the end of every install (`npm ci`, `npm install`,
// `npm uninstall`, …) npm writes node_modules/.package-lock.json, its record of
// what it put there, with the same per-package entries as package-lock.json.
// node_modules matches the lock when every package in that record has the
// lock's version, resolved URL, integrity and link, nothing is recorded that
// the lock lacks, and everything the lock has is recorded, except optional
// packages, which npm leaves out on platforms they do not support. A missing
// record means an install that never finished (`npm ci` writes it last) or
// one npm did not make, so it counts as no match. Reading two JSON files costs
// milliseconds, so a ready clone starts as fast as before. Hand edits inside
// node_modules go unnoticed; delete node_modules to start over.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const lockPath = join(root, 'package-lock.json');
const recordPath = join(root, 'node_modules', '.package-lock.json');

// Measured on two cores with an empty npm cache: 78 s, and 108 s on a busy
// machine; most of it is compiling SQLite for better-sqlite3 when its
// prebuilt binary cannot be downloaded.
const FIRST_INSTALL_TAKES = 'about 1–2 min';

const FIELDS = ['version', 'resolved', 'integrity', 'link'];

/** Why node_modules does not match the lock file, or undefined when it does. */
function mismatch() {
  if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
  if (!existsSync(recordPath)) return 'node_modules has no record of a finished npm install (node_modules/.package-lock.json)';
  const locked = JSON.parse(readFileSync(lockPath, 'utf8')).packages ?? {};
  const installed = JSON.parse(readFileSync(recordPath, 'utf8')).packages ?? {};
  const differences = [];
  for (const [path, entry] of Object.entries(locked)) {
    if (path === '') continue; // the project itself
    const have = installed[path];
    if (have === undefined) {
      if (!entry.optional) differences.push(`${name(path)} is not installed`);
    } else if (FIELDS.some((field) => have[field] !== entry[field])) {
      differences.push(`${name(path)} is ${have.version ?? have.resolved}, the lock says ${entry.version ?? entry.resolved}`);
    }
  }
  for (const path of Object.keys(installed)) {
    if (!(path in locked)) differences.push(`${name(path)} is installed but not in the lock`);
  }
  if (differences.length === 0) return undefined;
  const more = differences.length > 3 ? ` (and ${differences.length - 3} more)` : '';
  return `node_modules does not match package-lock.json: ${differences.slice(0, 3).join('; ')}${more}`;
}

const name = (path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

/**
 * `npm ci` with the npm that runs this script (npm names itself in
 * npm_execpath), so a clone with several npm versions installed uses one.
 */
function npmCi() {
  const npm = process.env.npm_execpath;
  const options = { cwd: root, stdio: 'inherit' };
  if (npm && basename(npm) === 'npm-cli.js') return spawnSync(process.execPath, [npm, 'ci'], options);
  return spawnSync('npm', ['ci'], { ...options, shell: process.platform === 'win32' });
}

const why = mismatch();
if (why !== undefined) {
  process.stderr.write(`${why}.\nInstalling the locked dependencies with npm ci (first run: ${FIRST_INSTALL_TAKES})…\n`);
  const started = performance.now();
  const result = npmCi();
  const seconds = (performance.now() - started) / 1000;
  if (result.error) throw result.error;
  if (result.status !== 0) {
    process.stderr.write(`npm ci failed after ${seconds.toFixed(0)} s (exit ${result.status ?? result.signal}); nothing was started.\n`);
    process.exit(1);
  }
  // An install that leaves a mismatch (dev dependencies omitted by NODE_ENV=production
  // or omit=dev, say) would otherwise reinstall on every start and then fail to build.
  const still = mismatch();
  if (still !== undefined) {
    process.stderr.write(`npm ci finished, but ${still}. Is omit=dev or NODE_ENV=production set? The build needs the dev dependencies.\n`);
    process.exit(1);
  }
  process.stderr.write(`Installed the locked dependencies in ${seconds < 10 ? seconds.toFixed(1) : seconds.toFixed(0)} s.\n`);
}
