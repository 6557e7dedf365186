import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { checkLayout, ConfigError, type Config } from './config.js';
import { ROLES, type Role } from './runner.js';
import { SERVICE_NAMES, type ServiceName } from './services.js';
import { openStores } from './stores.js';
import { seedDemo } from './seed.js';
import { systemClock } from './clock.js';
import { buildMockDataPlatform } from '../domains/dataplatform/mock-server.js';

/**
 *   node dist/infra/main.js --cluster     (npm start -- --cluster)
 *
 * Every role in processes of its own on one machine, supervised: the primary
 * forks CLUSTER_INSTANCES workers of each service (SERVICE_INSTANCE 1..N of
 * SERVICE_INSTANCES=N) and of the api, one projector, and forks again any
 * worker that dies. The api workers listen on one PORT, shared through
 * node:cluster, which hands each new connection to the next api worker. Each
 * worker is the same process as `--service <role>`; what the all-in-one makes
 * up for itself (the secrets, the mock data platform, the demo catalogue) the
 * primary makes up once and hands to every worker, so a token issued by one
 * api worker verifies at the others.
 */

export interface WorkerPlan {
  /** The roles this worker runs in its one process (one, unless CLUSTER_GROUPS puts several together). */
  roles: Role[];
  /** 1-based; the projector's process is always 1 of 1. */
  instance: number;
  /** The group's number of processes: CLUSTER_INSTANCES, 1 for the projector's. */
  of: number;
  /** What this worker gets on top of the primary's environment. */
  env: Record<string, string>;
}

/**
 * CLUSTER_GROUPS: which roles share a process, as groups separated by commas,
 * the roles of a group joined by "+"; `services` stands for the seven
 * services. For example `api+projector,services`: on two cores, two
 * processes that each group-commit their own appends. Every role in exactly
 * one group. The projector's group runs once (each read model has one
 * writer), so with CLUSTER_INSTANCES above 1 it can share its process with
 * the api only. Unset: every role a group of its own.
 */
export function clusterGroups(text: string | undefined, instances: number): Role[][] {
  if (text === undefined) return ROLES.map((role) => [role]);
  const groups = text.split(',').map((group) =>
    group
      .trim()
      .split('+')
      .map((name) => name.trim())
      .flatMap((name): Role[] => {
        if (name === 'services') return [...SERVICE_NAMES];
        if (!ROLES.includes(name as Role)) throw new ConfigError(`CLUSTER_GROUPS: unknown role "${name}" in "${text}"; roles are ${ROLES.join(', ')} (or services for all seven)`);
        return [name as Role];
      }),
  );
  const seen = groups.flat();
  const twice = ROLES.filter((role) => seen.filter((r) => r === role).length > 1);
  const missing = ROLES.filter((role) => !seen.includes(role));
  if (twice.length > 0 || missing.length > 0) {
    throw new ConfigError(`CLUSTER_GROUPS must name every role once: ${[twice.length ? `twice: ${twice.join(', ')}` : '', missing.length ? `missing: ${missing.join(', ')}` : ''].filter(Boolean).join('; ')} (in "${text}")`);
  }
  const withProjector = groups.find((group) => group.includes('projector'))!;
  if (instances > 1 && withProjector.some((role) => role !== 'projector' && role !== 'api')) {
    throw new ConfigError(`CLUSTER_GROUPS: the projector's process runs once, so with CLUSTER_INSTANCES=${instances} it can share it with the api only, not ${withProjector.join('+')}`);
  }
  return groups;
}

/**
 * The workers of a cluster of `instances` of each group (by default each
 * role alone), in start order: the projector's first (the api and the queue
 * wait on its models), then the groups that run services, then the rest.
 * Every worker of the layout gets the same SERVICE_INSTANCES, as
 * partitioning requires; the api and the projector ignore their
 * SERVICE_INSTANCE, which only names them.
 */
export function planCluster(instances: number, shared: Readonly<Record<string, string>> = {}, groups: Role[][] = clusterGroups(undefined, instances)): WorkerPlan[] {
  if (!Number.isInteger(instances) || instances < 1) throw new RangeError(`instances must be an integer ≥ 1, got ${instances}`);
  const worker = (roles: Role[], instance: number, of: number): WorkerPlan => ({
    roles,
    instance,
    of,
    env: { ...shared, SERVICE_INSTANCE: String(instance), SERVICE_INSTANCES: String(instances) },
  });
  const rank = (group: Role[]) => (group.includes('projector') ? 0 : group.some((role) => SERVICE_NAMES.includes(role as ServiceName)) ? 1 : 2);
  return [...groups]
    .sort((a, b) => rank(a) - rank(b))
    .flatMap((group) => {
      const of = group.includes('projector') ? 1 : instances;
      return Array.from({ length: of }, (_, i) => worker(group, i + 1, of));
    });
}

export const workerName = ({ roles, instance, of }: Pick<WorkerPlan, 'roles' | 'instance' | 'of'>) => `${roles.join('+')} ${instance}/${of}`;

/**
 * Restart backoff: a worker that ran for at least `steadyMs` is forked again
 * after `firstMs`; one that died sooner waits twice as long as the last time,
 * up to `maxMs`, so a worker that cannot start does not spin a core.
 */
export interface Backoff {
  firstMs: number;
  maxMs: number;
  steadyMs: number;
}
export const RESTART_BACKOFF: Readonly<Backoff> = { firstMs: 200, maxMs: 10_000, steadyMs: 10_000 };

export function restartDelay(previousMs: number | null, livedMs: number, backoff: Readonly<Backoff> = RESTART_BACKOFF): number {
  if (previousMs === null || livedMs >= backoff.steadyMs) return backoff.firstMs;
  return Math.min(previousMs * 2, backoff.maxMs);
}

/** A port nobody listens on now, for PORT=0: fixed before forking, so a restarted api worker (or all of them) comes back on it. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Running {
  plan: WorkerPlan;
  startedAt: number;
}

/**
 * Runs the cluster's primary until SIGTERM or SIGINT, then stops every worker
 * (each finishes its work in hand, as on its own) and exits: 0, or 1 when a
 * worker's own shutdown failed. A second signal kills the workers at once.
 */
export async function runCluster(baseConfig: Config, log: Logger = pino({ level: baseConfig.logLevel })): Promise<void> {
  // A bad CLUSTER_GROUPS stops the primary before it starts anything.
  const groups = clusterGroups(baseConfig.clusterGroups, baseConfig.clusterInstances);
  // The primary runs every role, through its workers: in NODE_ENV=production it refuses as the all-in-one does.
  checkLayout(baseConfig, new Set(ROLES), true);
  const config: Config = { ...baseConfig };
  const generatedAdminToken = !config.adminToken;
  config.adminToken ??= randomBytes(18).toString('base64url');
  if (!config.queueSecret) {
    // One secret for every api worker and every restart of one; it still dies with the primary.
    config.queueSecret = randomBytes(32).toString('base64url');
    log.warn('QUEUE_SECRET not set: generated one for this cluster; queue tokens will not survive a restart of the primary');
  }

  let mockDataPlatform: FastifyInstance | undefined;
  if (!config.dataPlatformUrl) {
    mockDataPlatform = buildMockDataPlatform({ failureRate: config.mockDataPlatformFailureRate, latencyMs: config.mockDataPlatformLatencyMs });
    await mockDataPlatform.listen({ port: config.mockDataPlatformPort, host: '127.0.0.1' });
    config.dataPlatformUrl = `http://127.0.0.1:${(mockDataPlatform.server.address() as AddressInfo).port}`;
    log.info({ url: config.dataPlatformUrl, failureRate: config.mockDataPlatformFailureRate }, 'mock data platform listening');
  }

  // Seeded here, once, before any worker runs: the workers are the production layout's processes, which never seed.
  const stores = await openStores(config);
  const kinds = { events: stores.events.kind, reads: stores.reads.kind };
  try {
    if ((await stores.events.headPosition()) === null) {
      const seeded = await seedDemo(stores.events, systemClock.now());
      log.info({ concerts: seeded.concerts.length }, 'seeded the demo catalogue into an empty store');
    }
  } finally {
    await stores.events.close();
    await stores.reads.close();
  }

  const port = config.port === 0 ? await freePort(config.host) : config.port;
  const plans = planCluster(
    config.clusterInstances,
    {
      PORT: String(port),
      ADMIN_TOKEN: config.adminToken,
      QUEUE_SECRET: config.queueSecret,
      DATA_PLATFORM_URL: config.dataPlatformUrl,
    },
    groups,
  );

  const running = new Map<Worker, Running>();
  const lastDelay = new Map<string, number>();
  const pendingRestarts = new Set<NodeJS.Timeout>();
  let stopping = false;
  let failedShutdowns = 0;
  let announced = false;

  const fork = (plan: WorkerPlan) => {
    // Settings apply to the next fork only: each worker is `main.js --service <role> [--service <role>…]`.
    cluster.setupPrimary({ exec: process.argv[1], args: plan.roles.flatMap((role) => ['--service', role]) });
    const worker = cluster.fork(plan.env);
    running.set(worker, { plan, startedAt: Date.now() });
    log.info({ worker: workerName(plan), roles: plan.roles, instance: plan.instance, workerPid: worker.process.pid }, 'worker started');
  };

  cluster.on('listening', (worker, address) => {
    if (announced || !running.get(worker)?.plan.roles.includes('api')) return;
    announced = true;
    const url = `http://${config.host}:${address.port}`;
    const apis = plans.filter((plan) => plan.roles.includes('api')).length;
    // Printed, not only logged, and once for the whole cluster: a newcomer needs these lines to use the system.
    process.stdout.write(
      [
        '',
        `  API          ${url}   (${apis} api workers on one port)`,
        `  Swagger UI   ${url}/docs`,
        `  Admin token  ${generatedAdminToken ? config.adminToken : '(from ADMIN_TOKEN)'}`,
        `  Event store  ${kinds.events}   Read store  ${kinds.reads}`,
        `  Workers      ${plans.length}: ${[...new Map(plans.map((plan) => [plan.roles.join('+'), plan.of]))].map(([roles, of]) => `${of} × ${roles}`).join(', ')}`,
        '',
      ].join('\n') + '\n',
    );
  });

  let allStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (allStopped = resolve));

  cluster.on('exit', (worker, code, signal) => {
    const entry = running.get(worker);
    running.delete(worker);
    if (!entry) return;
    const { plan, startedAt } = entry;
    const name = workerName(plan);
    if (stopping) {
      // Stopped by us: SIGTERM handled (exit 0), or not yet handled by a worker still starting (the signal itself).
      const clean = code === 0 || signal === 'SIGTERM' || signal === 'SIGKILL';
      if (!clean) {
        failedShutdowns++;
        log.error({ worker: name, workerPid: worker.process.pid, code, signal }, 'worker failed to stop cleanly');
      }
      if (running.size === 0) allStopped();
      return;
    }
    const delayMs = restartDelay(lastDelay.get(name) ?? null, Date.now() - startedAt);
    lastDelay.set(name, delayMs);
    log.warn({ worker: name, roles: plan.roles, instance: plan.instance, workerPid: worker.process.pid, code, signal, restartInMs: delayMs }, 'worker exited unexpectedly: restarting it');
    const timer = setTimeout(() => {
      pendingRestarts.delete(timer);
      if (!stopping) fork(plan);
    }, delayMs);
    pendingRestarts.add(timer);
  });

  for (const plan of plans) fork(plan);

  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: killing the workers');
      for (const worker of running.keys()) worker.process.kill('SIGKILL');
      return;
    }
    stopping = true;
    log.info({ signal, workers: running.size }, 'shutting down: every worker finishes its work in hand');
    for (const timer of pendingRestarts) clearTimeout(timer);
    pendingRestarts.clear();
    if (running.size === 0) allStopped();
    for (const worker of running.keys()) worker.process.kill('SIGTERM');
    await stopped;
    await mockDataPlatform?.close();
    log.info({ failedShutdowns }, 'cluster stopped');
    process.exit(failedShutdowns === 0 ? 0 : 1);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    shutdown(signal).catch((error: unknown) => {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
