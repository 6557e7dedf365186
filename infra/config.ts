import type { SqliteSynchronous } from './eventstore/sqlite.js';

/**
 * Every knob of the system, read from the environment. The README lists each
 * with its default; keep the two in step.
 */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  sqliteSynchronous: SqliteSynchronous;
  eventStorePollMs: number;
  eventStoreUrl: string | undefined;
  mongodbUrl: string | undefined;
  mongodbDatabase: string;
  logLevel: string;
}

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function integer(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const upper = raw.toUpperCase() as T;
  if (!allowed.includes(upper)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return upper;
}

const optional = (env: Env, name: string) => (env[name] ? env[name] : undefined);

export function loadConfig(env: Env = process.env): Config {
  return {
    port: integer(env, 'PORT', 3000),
    host: env.HOST || '127.0.0.1',
    dataDir: env.DATA_DIR || './data',
    sqliteSynchronous: oneOf<SqliteSynchronous>(env, 'SQLITE_SYNCHRONOUS', ['OFF', 'NORMAL', 'FULL', 'EXTRA'], 'FULL'),
    eventStorePollMs: integer(env, 'EVENTSTORE_POLL_MS', 20, 1),
    eventStoreUrl: optional(env, 'EVENTSTORE_URL'),
    mongodbUrl: optional(env, 'MONGODB_URL'),
    mongodbDatabase: env.MONGODB_DATABASE || 'concert',
    logLevel: env.LOG_LEVEL || 'info',
  };
}
