import { delimiter } from 'node:path';

/**
 * The environment of a command typed in a terminal, rebuilt from this test's:
 * without what npm exports to the scripts it runs (npm_*, INIT_CWD, and
 * node_modules/.bin folders on PATH, which would let a command find this
 * checkout's tools instead of its own) and without what tap adds to a test
 * process (TAP_*, its coverage settings).
 */
export function outsideEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(npm_|INIT_CWD$|NODE_OPTIONS$|NODE_V8_COVERAGE$|TAP$|TAP_|_TAPJS_)/i.test(name)) continue;
    env[name] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((folder) => !folder.split(/[\\/]/).includes('node_modules'))
    .join(delimiter);
  return { ...env, ...extra };
}

/**
 * `command args…` as spawn arguments that run it outside tap: tap puts its
 * coverage loader back into NODE_OPTIONS on every process a test spawns,
 * whatever env the test passes, so a shell drops it just before the command
 * starts. Without this every Node process below (npm, tsc, the server) would
 * load it, and a timing would measure tap.
 */
export function outside(command: string, args: string[]): [string, string[]] {
  return ['/bin/sh', ['-c', 'unset NODE_OPTIONS NODE_V8_COVERAGE; exec "$@"', 'sh', command, ...args]];
}
