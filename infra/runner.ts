import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { checkLayout, isProductionLayout, type Config } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { openStores, type Stores } from './stores.js';
import { RunningService } from '../bus/service.js';
import { serviceDefinitions, SERVICE_NAMES, type ServiceName } from './services.js';
import { dataPlatformSender } from '../domains/dataplatform/send.js';
import { ReadSide } from './http/read-side.js';
import { Projector } from '../bus/projector.js';
import { allProjections, queueTokens, readModels } from '../projections/index.js';
import { checkpointReached } from '../bus/checkpoint-wait.js';
import { formatPartition } from '../bus/partition.js';
import { seedDemo } from './seed.js';

/**
 * What one process runs: any of the seven services; `projector`, every read
 * model (each model has exactly one writer, so one projector process in a
 * layout); `api`, HTTP answered from the read store.
 */
export type Role = ServiceName | 'projector' | 'api';
export const ROLES: readonly Role[] = [...SERVICE_NAMES, 'projector', 'api'];

/** How long an admission tick waits for the line model to include the latest admission decision; past it the tick admits nobody. */
const LINE_WAIT_MS = 10_000;
/** How often a process looks at the checkpoint of a model another process runs. */
const CHECKPOINT_POLL_MS = 10;

export interface Node {
  config: Config;
  stores: Stores;
  services: Map<ServiceName, RunningService>;
  api: FastifyInstance | undefined;
  readSide: ReadSide | undefined;
  mockDataPlatform: FastifyInstance | undefined;
  log: Logger;
  /** Stops accepting, finishes work in hand, commits checkpoints, closes the stores. */
  stop(): Promise<void>;
}

export interface StartOptions {
  roles: readonly Role[];
  /** Seed the demo catalogue when the event store is empty (npm start). */
  seed?: boolean;
  clock?: Clock;
  log?: Logger;
  /** Print the API URL, Swagger UI and admin token (default); not in a cluster worker, whose primary prints them once. */
  announce?: boolean;
}

/** How the api knows who a user is: the banner's line, so that a demo is never mistaken for a checked deployment. */
function userIdentity(config: Config): string {
  if (config.userJwtSecret) return 'checked: Authorization: Bearer <JWT> (HS256, USER_JWT_SECRET)';
  if (config.userJwksUrl) return `checked: Authorization: Bearer <JWT> (keys from ${config.userJwksUrl})`;
  return 'taken as sent, unchecked (demo: set USER_JWT_SECRET or USER_JWKS_URL)';
}

/**
 * Starts the given roles in this process. `npm start` runs them all on the
 * embedded store; one role per process is the same code with one role, the
 * processes sharing nothing but the event store and the read store.
 */
export async function startNode(baseConfig: Config, options: StartOptions): Promise<Node> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? pino({ level: baseConfig.logLevel });
  const roles = new Set(options.roles);
  // Before anything is opened or generated: a process that would run wrong refuses outright.
  checkLayout(baseConfig, roles, ROLES.every((role) => roles.has(role)));
  const config: Config = { ...baseConfig };
  const generated: string[] = [];
  if (roles.has('api') && !config.adminToken) {
    config.adminToken = randomBytes(18).toString('base64url');
    generated.push('ADMIN_TOKEN');
  }
  if (roles.has('api') && !config.queueSecret) {
    // Tokens signed with a generated secret die with this process; set QUEUE_SECRET to keep them.
    config.queueSecret = randomBytes(32).toString('base64url');
    generated.push('QUEUE_SECRET');
  }

  let mockDataPlatform: FastifyInstance | undefined;
  if (roles.has('dataplatform') && !config.dataPlatformUrl) {
    const { buildMockDataPlatform } = await import('../domains/dataplatform/mock-server.js');
    mockDataPlatform = buildMockDataPlatform({ failureRate: config.mockDataPlatformFailureRate, latencyMs: config.mockDataPlatformLatencyMs });
    await mockDataPlatform.listen({ port: config.mockDataPlatformPort, host: '127.0.0.1' });
    config.dataPlatformUrl = `http://127.0.0.1:${(mockDataPlatform.server.address() as AddressInfo).port}`;
    log.info({ url: config.dataPlatformUrl, failureRate: config.mockDataPlatformFailureRate }, 'mock data platform listening');
  }

  const stores = await openStores(config);
  const { events: store, reads } = stores;
  if (options.seed && (await store.headPosition()) === null) {
    const seeded = await seedDemo(store, clock.now());
    log.info({ concerts: seeded.concerts.length }, 'seeded the demo catalogue into an empty store');
  }

  const services = new Map<ServiceName, RunningService>();
  const definitions = serviceDefinitions({
    config,
    store,
    reads,
    clock,
    send: dataPlatformSender({ url: config.dataPlatformUrl ?? 'http://127.0.0.1:9', timeoutMs: config.deliveryTimeoutMs }),
    lineReached: (position) =>
      projector.runs(queueTokens.name)
        ? projector.reached(position, LINE_WAIT_MS)
        : checkpointReached(reads, queueTokens.name, position, LINE_WAIT_MS, CHECKPOINT_POLL_MS),
  });
  // Every model this process keeps (the read models, and its services' timers) is applied by one reader in one commit per batch.
  const projector = new Projector({ store, reads, log: log.child({ role: 'projector' }), maxBatch: config.consumerMaxBatch });
  if (roles.has('projector')) projector.add(allProjections);
  for (const name of SERVICE_NAMES) {
    if (!roles.has(name)) continue;
    // A service's own read models (the queue's line) are read models like the rest: the projector role writes them.
    const definition = { ...definitions[name], projections: [] };
    const service = new RunningService(definition, {
      store,
      reads,
      clock,
      log: log.child({ service: name }),
      retry: { attempts: config.reactionRetryAttempts, baseMs: config.reactionRetryBaseMs },
      timerPollMs: config.timerPollMs,
      projector,
      partition: config.partition,
    });
    await service.start();
    services.set(name, service);
    log.info({ service: name, instance: formatPartition(config.partition) }, 'service started');
  }

  let api: FastifyInstance | undefined;
  let readSide: ReadSide | undefined;
  if (roles.has('api')) {
    // Without the projector role, the API follows the models through their checkpoints in the read store.
    readSide = new ReadSide({ store, reads, projections: roles.has('projector') ? readModels : [], log: log.child({ role: 'read-side' }), projector });
  }
  await projector.start();
  if (roles.has('projector')) log.info({ role: 'projector', models: projector.names.length }, 'projector started');
  if (readSide) {
    // Loaded only where the api runs: HTTP, Swagger and metrics are most of a process's start-up, which a service process skips.
    const [{ buildApi }, { Metrics }] = await Promise.all([import('./http/server.js'), import('./http/metrics.js')]);
    api = await buildApi({ config, store, reads, clock, readSide, metrics: new Metrics(), logger: log.child({ role: 'api' }) });
    await api.listen({ port: config.port, host: config.host });
    const url = `http://${config.host}:${(api.server.address() as AddressInfo).port}`;
    if (options.announce === false) {
      log.info({ url }, 'api listening');
    } else {
      // Printed, not only logged: a newcomer needs these three lines to use the system.
      process.stdout.write(
        [
          '',
          `  API          ${url}`,
          `  Swagger UI   ${url}/docs`,
          `  Admin token  ${generated.includes('ADMIN_TOKEN') ? config.adminToken : '(from ADMIN_TOKEN)'}`,
          `  User ids     ${userIdentity(config)}`,
          `  Event store  ${store.kind}   Read store  ${reads.kind}`,
          '',
        ].join('\n') + '\n',
      );
    }
  }
  if (api && !config.userJwtSecret && !config.userJwksUrl && isProductionLayout(config, ROLES.every((role) => roles.has(role)))) {
    log.warn('neither USER_JWT_SECRET nor USER_JWKS_URL is set: user ids are taken as sent, and anyone may act as any user');
  }
  if (generated.includes('QUEUE_SECRET')) log.warn('QUEUE_SECRET not set: generated one for this process; queue tokens will not survive a restart');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await api?.close();
      for (const service of services.values()) await service.stop();
      await projector.stop();
      await store.close();
      await reads.close();
      await mockDataPlatform?.close();
    })());

  return { config, stores, services, api, readSide, mockDataPlatform, log, stop };
}
