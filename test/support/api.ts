import type { Test } from 'tap';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Config } from '../../infra/config.js';
import type { EventStore } from '../../infra/eventstore/port.js';
import type { ReadStore } from '../../infra/readstore/port.js';
import type { AnyProjection } from '../../bus/projection.js';
import { buildApi, type ApiDeps } from '../../infra/http/server.js';
import { ReadSide } from '../../infra/http/read-side.js';
import { Metrics } from '../../infra/http/metrics.js';
import { readModels } from '../../projections/index.js';
import type { TestSystem } from './system.js';
import { createApiClient, type ApiClient } from '../../client/index.js';

export const ADMIN_TOKEN = 'test-admin-token';
export const QUEUE_SECRET = 'test-queue-secret';

export interface TestApiOptions {
  /** The read models this API runs itself (default: all of them); the rest it follows through their checkpoints. */
  projections?: readonly AnyProjection[];
  config?: Partial<Config>;
  /** Stand-ins for the system's stores (a store that fails on purpose). */
  store?: EventStore;
  reads?: ReadStore;
  logger?: ApiDeps['logger'];
}

/** A schedule as POST /concerts takes it, bookable at the test clock's start. */
export const schedule = (overrides: Record<string, unknown> = {}) => ({
  startsAt: '2030-06-01T19:00:00.000Z',
  bookingOpensAt: '2030-01-01T09:00:00.000Z',
  seatCount: 3,
  price: 100,
  ...overrides,
});

/**
 * The HTTP API over a test system: its own read side running the read
 * models, its own metrics, admin token and queue secret. Closed before the
 * system (tap runs teardowns last-in, first-out).
 */
export async function startTestApi(t: Test, system: TestSystem, options: TestApiOptions = {}) {
  const config: Config = { ...system.config, adminToken: ADMIN_TOKEN, queueSecret: QUEUE_SECRET, ...options.config };
  const store = options.store ?? system.store;
  const reads = options.reads ?? system.reads;
  const readSide = new ReadSide({ store, reads, projections: options.projections ?? readModels });
  await readSide.start();
  const metrics = new Metrics({ processMetrics: false });
  const app: FastifyInstance = await buildApi({ config, store, reads, clock: system.clock, readSide, metrics, logger: options.logger });
  t.teardown(async () => {
    await app.close();
    await readSide.stop();
  });

  const head = async () => (await system.store.headPosition()) ?? 0n;

  /**
   * The services and then the read models, everything up to the head. An
   * empty store has nothing to settle (and no position a consumer could report
   * reaching).
   */
  async function settle() {
    if ((await head()) === 0n) return;
    await system.settle();
    const at = await head();
    for (const name of readSide.names) {
      if (!(await readSide.reached(name, at, 5_000))) throw new Error(`read model ${name} did not reach ${at}`);
    }
  }

  /**
   * Waits until services and read models have handled everything in the store,
   * without moving time: no timer fires and nobody is admitted.
   */
  async function quiesce() {
    for (;;) {
      const at = await head();
      if (at === 0n) return;
      await Promise.all([...system.services().values()].map((service) => service.reached(at)));
      for (const name of readSide.names) await readSide.reached(name, at, 5_000);
      if ((await head()) === at) return;
    }
  }

  const inject = (request: InjectOptions): Promise<LightMyRequestResponse> => app.inject(request);
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  /** POST /concerts as the admin; the schedules default to one bookable 3-seat schedule. */
  async function registerConcert(body: Record<string, unknown> = {}) {
    const response = await inject({ method: 'POST', url: '/concerts', headers: admin, payload: { title: 'Test concert', schedules: [schedule()], ...body } });
    if (response.statusCode !== 201) throw new Error(`POST /concerts: ${response.statusCode} ${response.body}`);
    return response.json() as { concertId: string; schedules: Array<{ scheduleId: string; seatCount: number; price: number }> };
  }

  /** A queue token, admitted by the admission tick. */
  async function activeToken(userId: string) {
    const response = await inject({ method: 'POST', url: '/queue/tokens', payload: { userId } });
    if (response.statusCode !== 201) throw new Error(`POST /queue/tokens: ${response.statusCode} ${response.body}`);
    await settle();
    return (response.json() as { token: string }).token;
  }

  /** Asserts that `request` is refused with `status` and `code`, and that nothing was appended. */
  async function refused(tt: Test, request: InjectOptions, status: number, code?: string, message = `${request.method} ${request.url} → ${status}`) {
    // Reactions to earlier requests finish first, so that the head moves only if this request writes.
    await quiesce();
    const before = await head();
    const response = await inject(request);
    tt.equal(response.statusCode, status, message);
    const body = response.json() as { statusCode: number; code: string; error: string; message: string };
    tt.equal(body.statusCode, status, `${message}: the body repeats the status`);
    tt.type(body.error, 'string', `${message}: an error name`);
    tt.type(body.message, 'string', `${message}: a message`);
    if (code !== undefined) tt.equal(body.code, code, `${message}: code ${code}`);
    tt.equal(await head(), before, `${message}: nothing appended`);
    return body;
  }

  let listening: Promise<ApiClient> | undefined;
  /**
   * The typed client, as client teams use it: fetch over a real socket on a
   * loopback port (opened on first use, closed with the app), so that what is
   * tested is the HTTP the client sends and parses, not an in-process shortcut.
   */
  function client(): Promise<ApiClient> {
    listening ??= (async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      return createApiClient(`http://127.0.0.1:${port}`);
    })();
    return listening;
  }

  return { app, config, readSide, metrics, system, admin, head, settle, quiesce, inject, client, registerConcert, activeToken, refused };
}

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;
