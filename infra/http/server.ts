import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { EventStore } from '../eventstore/port.js';
import type { ReadStore } from '../readstore/port.js';
import type { Config } from '../config.js';
import type { Clock } from '../clock.js';
import { apiContext } from './context.js';
import { errorHandler, notFoundHandler } from './errors.js';
import type { Metrics } from './metrics.js';
import type { ReadSide } from './read-side.js';
import { operationsRoutes } from './operations.js';
import { adminRoutes } from './admin-routes.js';
import { consolePage } from './console-page.js';
import './correlation.js';
import './identity.js';
import { traceRequests } from './tracing.js';
import { concertRoutes } from '../../domains/concert/routes.js';
import { queueRoutes } from '../../domains/queue/routes.js';
import { reservationRoutes } from '../../domains/reservation/routes.js';
import { pointRoutes } from '../../domains/point/routes.js';
import { paymentRoutes } from '../../domains/payment/routes.js';
import { rankingRoutes } from '../../domains/ranking/routes.js';

export interface ApiDeps {
  /** `adminToken` and `queueSecret` are set by the caller (the runner generates them when the environment has none). */
  config: Config;
  store: EventStore;
  reads: ReadStore;
  clock: Clock;
  /** Runs (or follows) the read models the routes answer from. */
  readSide: ReadSide;
  metrics: Metrics;
  /** Logger options, or a logger instance (pino) to log through. Silent when absent. */
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
}

export const BODY_LIMIT = 1024 * 1024;

const isLoggerInstance = (logger: ApiDeps['logger']): logger is FastifyBaseLogger =>
  typeof logger === 'object' && logger !== null && typeof (logger as FastifyBaseLogger).child === 'function' && typeof (logger as FastifyBaseLogger).info === 'function';

/** Probes and scrapes are frequent and say little: their request lines are debug. */
const QUIET_ROUTES = new Set(['/health', '/metrics']);

/**
 * The HTTP API of API.md: one Fastify plugin per service, every route with a
 * JSON schema (no coercion: "10" is not a number), Fastify's error shape
 * everywhere, the OpenAPI document at /docs/json and Swagger UI at /docs.
 * The caller listens (or injects).
 */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const { config } = deps;
  if (!config.queueSecret) throw new Error('buildApi needs config.queueSecret to sign queue tokens');
  const logging = isLoggerInstance(deps.logger) ? { loggerInstance: deps.logger } : { logger: deps.logger ?? false };
  const app = Fastify({
    ...logging,
    bodyLimit: BODY_LIMIT,
    // Past 128 characters an id is refused by the schema with a 400 that says so; the router's own limit (100) would answer 414.
    routerOptions: { maxParamLength: 2_048 },
    // Fastify's default logs two lines per request; one line, with the route and the saga, is written below.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });

  app.decorateRequest('queueToken', null);
  app.decorateRequest('correlationId', null);
  app.decorateRequest('verifiedUser', null);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  traceRequests(app, QUIET_ROUTES);

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    deps.metrics.observeRequest({ method: request.method, route, status: reply.statusCode }, seconds);
    const line = {
      method: request.method,
      url: request.url,
      route,
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (QUIET_ROUTES.has(route)) request.log.debug(line, 'request');
    else request.log.info(line, 'request');
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Concert reservations',
        description: 'Seven event-sourced services behind one API: catalogue, waiting queue, holds, points, payments (a choreographed saga) and the sold-out ranking.',
        version: '1.0.0',
        // The project is private (package.json: UNLICENSED): no licence is granted; the link says what that word means.
        license: { name: 'UNLICENSED', url: 'https://docs.npmjs.com/cli/configuring-npm/package-json#license' },
      },
      // Relative: the API is wherever this document was fetched from, whatever the host, port or proxy in front.
      servers: [{ url: '/', description: 'The server that serves this document' }],
      tags: [
        { name: 'catalogue', description: 'Concerts, schedules, seat maps' },
        { name: 'queue', description: 'The waiting line; its token unlocks holds and payments' },
        { name: 'reservations', description: 'Holding a seat' },
        { name: 'points', description: 'Balances and top-ups' },
        { name: 'payments', description: 'Paying for a hold: the saga' },
        { name: 'ranking', description: 'Fastest sell-outs' },
        { name: 'operations', description: 'Health, metrics, saga traces' },
        { name: 'admin', description: "The operator's tools (what concertctl and the console at /console show): live tail, sagas, streams, dead letters and parked reactions with their redrives" },
      ],
      components: {
        securitySchemes: {
          admin: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN the server was started with (npm start prints it)' },
          user: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              "A user's JWT (HS256 with USER_JWT_SECRET, or signed by a key of USER_JWKS_URL); `sub` is the user id. Required on routes that name a user when the server runs with either; without them (the demo) user ids are taken as sent",
          },
          queueToken: { type: 'apiKey', in: 'header', name: 'Queue-Token', description: 'The token from POST /queue/tokens; holds and payments need it ACTIVE' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());
  const ctx = await apiContext({
    config,
    queueSecret: config.queueSecret,
    store: deps.store,
    reads: deps.reads,
    clock: deps.clock,
    readSide: deps.readSide,
    metrics: deps.metrics,
    log: app.log,
    closing: closing.signal,
  });
  await app.register(concertRoutes(ctx));
  await app.register(queueRoutes(ctx));
  await app.register(reservationRoutes(ctx));
  await app.register(pointRoutes(ctx));
  await app.register(paymentRoutes(ctx));
  await app.register(rankingRoutes(ctx));
  await app.register(operationsRoutes(ctx));
  await app.register(adminRoutes(ctx));
  await app.register(consolePage());

  const stopWatching = deps.metrics.watchSagas(deps.store, app.log);
  app.addHook('onClose', async () => stopWatching());
  return app;
}
