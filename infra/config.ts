import type { SqliteSynchronous } from './eventstore/sqlite.js';
import { isNamespaceName } from './namespaced-store.js';
import { MAX_PARTITIONS, type Partition } from '../bus/partition.js';

/**
 * Every knob of the system, read from the environment. The README lists each
 * with its default; keep the two in step.
 */
export interface Config {
  /** NODE_ENV; `production` (the image sets it) puts even an all-in-one process in the production layout. */
  nodeEnv: string;
  port: number;
  host: string;
  dataDir: string;
  sqliteSynchronous: SqliteSynchronous;
  sqliteReadSynchronous: SqliteSynchronous;
  eventStorePollMs: number;
  eventStoreTailWindow: number;
  consumerMaxBatch: number;
  eventStoreUrl: string | undefined;
  /** This system's share of a shared event store (see namespaced-store.ts); unset: the whole store. */
  eventStoreNamespace: string | undefined;
  mongodbUrl: string | undefined;
  mongodbDatabase: string;
  logLevel: string;
  adminToken: string | undefined;
  /** USER_JWT_SECRET: user tokens are HS256 JWTs signed with it. With USER_JWKS_URL unset too, user ids are taken as sent (the demo). */
  userJwtSecret: string | undefined;
  /** USER_JWKS_URL: user tokens are JWTs signed by a key of this JSON Web Key Set (an identity provider's). */
  userJwksUrl: string | undefined;
  /** USER_JWT_ISSUER / USER_JWT_AUDIENCE: when set, a token must carry this `iss` / `aud`. */
  userJwtIssuer: string | undefined;
  userJwtAudience: string | undefined;
  holdTtlMs: number;
  /** Seats one user may hold or own of one schedule, across reservations. */
  maxSeatsPerUser: number;
  paymentDeadlineMs: number;
  /** A buyer may cancel a paid reservation until this long before its schedule starts. */
  cancellationCutoffMs: number;
  queueAdmitIntervalMs: number;
  queueTokenTtlMs: number;
  queueMaxActive: number;
  queueSecret: string | undefined;
  timerPollMs: number;
  reactionRetryAttempts: number;
  reactionRetryBaseMs: number;
  dataPlatformUrl: string | undefined;
  deliveryBackoffMs: number;
  deliveryMaxBackoffMs: number;
  deliveryMaxAttempts: number;
  deliveryTimeoutMs: number;
  mockDataPlatformPort: number;
  mockDataPlatformFailureRate: number;
  mockDataPlatformLatencyMs: number;
  readYourWritesMs: number;
  /** Events a live tail (GET /admin/events) holds for a browser that reads slower than they come; past it they are skipped and counted. */
  tailBufferEvents: number;
  /** Which share of each service's work this process does (SERVICE_INSTANCE of SERVICE_INSTANCES). */
  partition: Partition;
  /** `--cluster`: processes of every service and of the api (the projector is always one); at most MAX_PARTITIONS. */
  clusterInstances: number;
  /** `--cluster`: which roles share a process (CLUSTER_GROUPS, checked by infra/cluster.ts); unset, each role has its own. */
  clusterGroups: string | undefined;
  /** The standard OTEL_* variables this system reads itself (infra/telemetry.ts); the OTLP exporter reads its own. */
  tracing: TracingConfig;
}

export const TRACES_EXPORTERS = ['none', 'otlp', 'console'] as const;
export const TRACES_SAMPLERS = [
  'parentbased_always_on',
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

export interface TracingConfig {
  /** `none` (no SDK is even loaded) unless OTEL_TRACES_EXPORTER or an OTLP endpoint variable is set. */
  exporter: (typeof TRACES_EXPORTERS)[number];
  sampler: (typeof TRACES_SAMPLERS)[number];
  samplerArg: number;
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

export function fraction(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new ConfigError(`${name} must be a number from 0 to 1, got "${raw}"`);
  return value;
}

function namespace(env: Env, name: string): string | undefined {
  const raw = optional(env, name);
  if (raw !== undefined && !isNamespaceName(raw)) throw new ConfigError(`${name} must be 1 to 64 letters and digits, got "${raw}"`);
  return raw;
}

function partition(env: Env): Partition {
  const count = integer(env, 'SERVICE_INSTANCES', 1, 1);
  if (count > MAX_PARTITIONS) throw new ConfigError(`SERVICE_INSTANCES must be at most ${MAX_PARTITIONS}, got "${env.SERVICE_INSTANCES}"`);
  const index = integer(env, 'SERVICE_INSTANCE', 1, 1);
  if (index > count) throw new ConfigError(`SERVICE_INSTANCE must be from 1 to SERVICE_INSTANCES (${count}), got "${env.SERVICE_INSTANCE}"`);
  return { index, count };
}

/** Each service's instances become its SERVICE_INSTANCES, so the same bound holds. */
function clusterInstances(env: Env): number {
  const count = integer(env, 'CLUSTER_INSTANCES', 2, 1);
  if (count > MAX_PARTITIONS) throw new ConfigError(`CLUSTER_INSTANCES must be at most ${MAX_PARTITIONS}, got "${env.CLUSTER_INSTANCES}"`);
  return count;
}

/** HS256 is only as strong as its secret: RFC 7518 asks for one at least as long as the hash (256 bits). */
const MIN_JWT_SECRET = 32;

function userJwtSecret(env: Env): string | undefined {
  const secret = optional(env, 'USER_JWT_SECRET');
  if (secret !== undefined && secret.length < MIN_JWT_SECRET) throw new ConfigError(`USER_JWT_SECRET must be at least ${MIN_JWT_SECRET} characters, got ${secret.length}`);
  if (secret !== undefined && optional(env, 'USER_JWKS_URL')) throw new ConfigError('set USER_JWT_SECRET or USER_JWKS_URL, not both: which one signs user tokens?');
  return secret;
}

function url(env: Env, name: string): string | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  return raw;
}

/**
 * Off unless asked for: the specification's default exporter is otlp, but a
 * system nobody pointed at a collector would only log export failures.
 * OTEL_SDK_DISABLED=true wins over everything.
 */
function tracing(env: Env): TracingConfig {
  const named = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  let exporter: TracingConfig['exporter'];
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') exporter = 'none';
  else if (named) {
    if (!(TRACES_EXPORTERS as readonly string[]).includes(named)) {
      throw new ConfigError(`OTEL_TRACES_EXPORTER must be one of ${TRACES_EXPORTERS.join(', ')}, got "${env.OTEL_TRACES_EXPORTER}"`);
    }
    exporter = named as TracingConfig['exporter'];
  } else exporter = optional(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') || optional(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ? 'otlp' : 'none';
  const sampler = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || 'parentbased_always_on';
  if (!(TRACES_SAMPLERS as readonly string[]).includes(sampler)) {
    throw new ConfigError(`OTEL_TRACES_SAMPLER must be one of ${TRACES_SAMPLERS.join(', ')}, got "${env.OTEL_TRACES_SAMPLER}"`);
  }
  return { exporter, sampler: sampler as TracingConfig['sampler'], samplerArg: fraction(env, 'OTEL_TRACES_SAMPLER_ARG', 1) };
}

export function loadConfig(env: Env = process.env): Config {
  return {
    nodeEnv: env.NODE_ENV || 'development',
    port: integer(env, 'PORT', 3000),
    host: env.HOST || '127.0.0.1',
    dataDir: env.DATA_DIR || './data',
    sqliteSynchronous: oneOf<SqliteSynchronous>(env, 'SQLITE_SYNCHRONOUS', ['OFF', 'NORMAL', 'FULL', 'EXTRA'], 'FULL'),
    // Read models are derived: a power loss can only roll back whole projection
    // commits (documents with their checkpoint), which are then replayed.
    sqliteReadSynchronous: oneOf<SqliteSynchronous>(env, 'SQLITE_READ_SYNCHRONOUS', ['OFF', 'NORMAL', 'FULL', 'EXTRA'], 'NORMAL'),
    eventStorePollMs: integer(env, 'EVENTSTORE_POLL_MS', 20, 1),
    eventStoreTailWindow: integer(env, 'EVENTSTORE_TAIL_WINDOW', 10_000, 1),
    consumerMaxBatch: integer(env, 'CONSUMER_MAX_BATCH', 500, 1),
    eventStoreUrl: optional(env, 'EVENTSTORE_URL'),
    eventStoreNamespace: namespace(env, 'EVENTSTORE_NAMESPACE'),
    mongodbUrl: optional(env, 'MONGODB_URL'),
    mongodbDatabase: env.MONGODB_DATABASE || 'concert',
    logLevel: env.LOG_LEVEL || 'info',
    adminToken: optional(env, 'ADMIN_TOKEN'),
    userJwtSecret: userJwtSecret(env),
    userJwksUrl: url(env, 'USER_JWKS_URL'),
    userJwtIssuer: optional(env, 'USER_JWT_ISSUER'),
    userJwtAudience: optional(env, 'USER_JWT_AUDIENCE'),
    holdTtlMs: integer(env, 'HOLD_TTL_MS', 300_000, 1),
    maxSeatsPerUser: integer(env, 'MAX_SEATS_PER_USER', 4, 1),
    paymentDeadlineMs: integer(env, 'PAYMENT_DEADLINE_MS', 30_000, 1),
    cancellationCutoffMs: integer(env, 'CANCELLATION_CUTOFF_MS', 86_400_000, 0),
    queueAdmitIntervalMs: integer(env, 'QUEUE_ADMIT_INTERVAL_MS', 1_000, 1),
    queueTokenTtlMs: integer(env, 'QUEUE_TOKEN_TTL_MS', 600_000, 1),
    queueMaxActive: integer(env, 'QUEUE_MAX_ACTIVE', 100, 1),
    queueSecret: optional(env, 'QUEUE_SECRET'),
    timerPollMs: integer(env, 'TIMER_POLL_MS', 100, 1),
    reactionRetryAttempts: integer(env, 'REACTION_RETRY_ATTEMPTS', 5, 1),
    reactionRetryBaseMs: integer(env, 'REACTION_RETRY_BASE_MS', 100, 0),
    dataPlatformUrl: optional(env, 'DATA_PLATFORM_URL'),
    deliveryBackoffMs: integer(env, 'DELIVERY_BACKOFF_MS', 1_000, 1),
    deliveryMaxBackoffMs: integer(env, 'DELIVERY_MAX_BACKOFF_MS', 60_000, 1),
    deliveryMaxAttempts: integer(env, 'DELIVERY_MAX_ATTEMPTS', 10, 1),
    deliveryTimeoutMs: integer(env, 'DELIVERY_TIMEOUT_MS', 5_000, 1),
    mockDataPlatformPort: integer(env, 'MOCK_DATA_PLATFORM_PORT', 3001),
    mockDataPlatformFailureRate: fraction(env, 'MOCK_DATA_PLATFORM_FAILURE_RATE', 0.2),
    mockDataPlatformLatencyMs: integer(env, 'MOCK_DATA_PLATFORM_LATENCY_MS', 20),
    readYourWritesMs: integer(env, 'READ_YOUR_WRITES_MS', 2_000),
    tailBufferEvents: integer(env, 'TAIL_BUFFER_EVENTS', 1_000, 1),
    partition: partition(env),
    clusterInstances: clusterInstances(env),
    clusterGroups: optional(env, 'CLUSTER_GROUPS'),
    tracing: tracing(env),
  };
}

/**
 * The production layout: the image (NODE_ENV=production), or the roles split
 * over several processes (`--service`). There, what an all-in-one `npm start`
 * makes up for itself is wrong: a generated QUEUE_SECRET differs per replica
 * and per restart (every token is a 401 elsewhere), and a missing
 * DATA_PLATFORM_URL quietly runs the failing mock instead of the real platform.
 */
export function isProductionLayout(config: Pick<Config, 'nodeEnv'>, runsEveryRole: boolean): boolean {
  return config.nodeEnv === 'production' || !runsEveryRole;
}

/** What a process running `roles` in the production layout must be given; empty when nothing is missing. */
export function missingForProduction(config: Pick<Config, 'queueSecret' | 'dataPlatformUrl'>, roles: ReadonlySet<string>): string[] {
  const missing: string[] = [];
  if (roles.has('api') && !config.queueSecret) {
    missing.push('QUEUE_SECRET: the api signs queue tokens with it; every api process and every restart must share one');
  }
  if (roles.has('dataplatform') && !config.dataPlatformUrl) {
    missing.push('DATA_PLATFORM_URL: where the dataplatform service delivers paid reservations; unset, a mock that fails on purpose would receive them');
  }
  return missing;
}

/** Throws a ConfigError naming every missing variable, or returns when this process may start. */
export function checkLayout(config: Config, roles: ReadonlySet<string>, runsEveryRole: boolean): void {
  if (!isProductionLayout(config, runsEveryRole)) return;
  const missing = missingForProduction(config, roles);
  if (missing.length === 0) return;
  const why = config.nodeEnv === 'production' ? 'NODE_ENV=production' : 'one process per service (--service)';
  throw new ConfigError(
    [`refusing to start: the production layout (${why}) needs these set:`, ...missing.map((line) => `  ${line}`)].join('\n'),
  );
}
