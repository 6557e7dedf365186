import { ConfigError } from './config.js';

/**
 * How an entry point ends when it cannot start: a configuration the operator
 * must fix (a bad or missing variable) exits 2 with its message alone; anything
 * else exits 1 with its stack.
 */
export function failStartup(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
