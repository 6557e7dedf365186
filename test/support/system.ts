import type { Test } from 'tap';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { openTestStores } from './stores.js';
import { ManualClock } from '../../infra/clock.js';
import { loadConfig, type Config } from '../../infra/config.js';
import { RunningService } from '../../bus/service.js';
import { serviceDefinitions, SERVICE_NAMES, type ServiceName } from '../../infra/services.js';
import { dataPlatformSender } from '../../domains/dataplatform/send.js';
import { buildMockDataPlatform, type ReceivedCancellation } from '../../domains/dataplatform/mock-server.js';
import { registerConcert } from '../../domains/concert/register-concert.js';
import { issueToken } from '../../domains/queue/issue-token.js';
import { holdSeat } from '../../domains/reservation/hold-seat.js';
import { chargePoints } from '../../domains/point/charge-points.js';
import { requestPayment } from '../../domains/payment/request-payment.js';
import { payment, paymentStream } from '../../domains/payment/payment.js';
import type { RefundReason } from '../../domains/payment/events.js';
import { handleCommand } from '../../bus/command.js';
import { checkInvariants } from '../../infra/invariants.js';
import { replayCheck } from '../../infra/cli/replay-check.js';
import type { RecordedEvent } from '../../infra/eventstore/port.js';

export interface TestSystemOptions {
  env?: Record<string, string>;
  /** A data platform of the test's own; otherwise the mock, on a real socket. */
  dataPlatform?: FastifyInstance;
  failureRate?: number;
  /** Services not to start (to make them late on purpose). */
  without?: ServiceName[];
  random?: () => number;
}

/**
 * The seven services over the real bus, on the test's stores (real SQLite
 * files in a temp dir, or its own share of EventStoreDB and MongoDB: see
 * stores.ts), with a manual clock and a real data platform server on a
 * loopback port.
 */
export async function startTestSystem(t: Test, options: TestSystemOptions = {}) {
  const dir = t.testdir();
  let platform = options.dataPlatform ?? buildMockDataPlatform({ failureRate: options.failureRate ?? 0, random: options.random });
  await platform.listen({ port: 0, host: '127.0.0.1' });
  const platformPort = (platform.server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${platformPort}`;
  let platformUp = true;
  const config: Config = loadConfig({
    DATA_DIR: dir,
    DATA_PLATFORM_URL: url,
    QUEUE_MAX_ACTIVE: '1000',
    REACTION_RETRY_BASE_MS: '5',
    DELIVERY_BACKOFF_MS: '1000',
    ...options.env,
  });
  const clock = new ManualClock('2030-01-01T10:00:00.000Z');
  // The store stamps events with the same clock: reactions take "now" from the event.
  const stores = await openTestStores(t, { dir, pollMs: 10, now: () => clock.now() });
  const { events: store, reads } = stores;
  const send = dataPlatformSender({ url, timeoutMs: 2_000 });
  let services = new Map<ServiceName, RunningService>();

  const definitions = () => {
    const defs = serviceDefinitions({
      config,
      store,
      reads,
      clock,
      send,
      random: options.random ?? (() => 0.5),
      lineReached: async (position) => (await services.get('queue')?.projector.reached(position)) ?? false,
    });
    return defs;
  };

  async function start(names: readonly ServiceName[] = SERVICE_NAMES.filter((n) => !options.without?.includes(n))) {
    const defs = definitions();
    for (const name of names) {
      if (services.has(name)) continue;
      const service = new RunningService(defs[name], {
        store,
        reads,
        clock,
        manualTime: true,
        retry: { attempts: config.reactionRetryAttempts, baseMs: config.reactionRetryBaseMs },
      });
      await service.start();
      services.set(name, service);
    }
  }

  async function stop(names: readonly ServiceName[] = [...services.keys()]) {
    for (const name of names) {
      await services.get(name)?.stop();
      services.delete(name);
    }
  }

  /** Waits until every running service has handled everything in the store, firing due timers, until nothing moves. */
  async function settle(maxRounds = 50) {
    for (let round = 0; round < maxRounds; round++) {
      const head = (await store.headPosition()) ?? 0n;
      // An empty store has nothing to reach.
      if (head > 0n) await Promise.all([...services.values()].map((s) => s.reached(head)));
      for (const service of services.values()) await service.advance();
      const after = (await store.headPosition()) ?? 0n;
      if (after === head) return;
    }
    throw new Error(`the system did not settle in ${maxRounds} rounds`);
  }

  async function streamTypes(streamId: string): Promise<string[]> {
    return (await store.readStream(streamId).catch(() => [] as RecordedEvent[])).map((e) => e.type);
  }

  /** A schedule ready to sell: one concert, one schedule, bookings open. */
  async function openSchedule(seatCount = 3, price = 100) {
    const concert = await registerConcert(
      store,
      { title: 'Test concert', schedules: [{ startsAt: '2030-06-01T19:00:00.000Z', bookingOpensAt: '2030-01-01T09:00:00.000Z', seatCount, price }] },
      clock.now(),
    );
    return { concertId: concert.concertId, scheduleId: concert.schedules[0]!.scheduleId, price, seatCount };
  }

  /** Hold a seat and ask to pay for it, as the routes do. */
  async function holdAndPay(schedule: { concertId: string; scheduleId: string; price: number }, userId: string, seatNo: number) {
    const hold = await holdSeat(store, { scheduleId: schedule.scheduleId, seatNo, userId, price: schedule.price }, clock.now(), config.holdTtlMs);
    const pay = await requestPayment(
      store,
      { reservationId: hold.reservationId, userId, concertId: schedule.concertId, scheduleId: schedule.scheduleId, seatNo, amount: hold.price },
      clock.now(),
      config.paymentDeadlineMs,
    );
    return { hold, paymentId: pay.paymentId };
  }

  const received = async () => {
    const response = await platform.inject({ method: 'GET', url: '/reservations' });
    return response.json() as Array<{ paymentId: string; attempts: number }>;
  };

  /**
   * The cancellations the receiver kept; undefined when the test's own data
   * platform has no such list (it takes no cancellations), so that only the
   * delivery events are checked for them.
   */
  const receivedCancellations = async () => {
    const response = await platform.inject({ method: 'GET', url: '/cancellations' });
    if (response.statusCode === 404) return undefined;
    return response.json() as ReceivedCancellation[];
  };

  /** All six: invariant 6 rebuilds every model in memory and replays every reaction, writing nothing. */
  async function invariants(now = clock.now()) {
    const records = await received();
    const cancellations = await receivedCancellations();
    return checkInvariants(store, {
      now,
      maxSeatsPerUser: config.maxSeatsPerUser,
      receiver: records.map((r) => ({ paymentId: r.paymentId, effects: 1 })),
      ...(cancellations ? { receivedCancellations: cancellations.map((r) => ({ paymentId: r.paymentId, effects: 1, afterReservation: r.afterReservation })) } : {}),
      replay: () => replayCheck({ events: store, reads }, definitions()),
    });
  }

  await start();
  // Before the stores close (openTestStores' teardown, registered earlier, runs later).
  t.teardown(async () => {
    await stop();
    if (platformUp) await platform.close();
  });

  return {
    store,
    reads,
    /** The stores as a child process opens them (DATA_DIR, and the servers' variables when the tests run on them). */
    stores,
    clock,
    config,
    platform: () => platform,
    /** The receiver goes away: connections are refused. */
    async platformDown() {
      await platform.close();
      platformUp = false;
    },
    /** A fresh receiver on the same address. */
    async platformUp() {
      platform = buildMockDataPlatform({ failureRate: 0 });
      await platform.listen({ port: platformPort, host: '127.0.0.1' });
      platformUp = true;
    },
    services: () => services,
    start,
    stop,
    settle,
    streamTypes,
    openSchedule,
    holdAndPay,
    received,
    receivedCancellations,
    invariants,
    issueToken: (userId: string) => issueToken(store, userId, clock.now()),
    charge: (userId: string, amount: number, key?: string) => chargePoints(store, userId, amount, clock.now(), key),
    /**
     * RefundRequested through the payment's decider, whatever the cutoff, as
     * a cancellation asks it; the refund saga (seats, points, then
     * PaymentRefunded) follows as the services settle.
     */
    async refundPayment(paymentId: string, reason: RefundReason = 'USER') {
      await handleCommand(store, payment, paymentStream(paymentId), { type: 'RequestRefund', data: { reason, now: clock.now().toISOString() } });
    },
    /** Forget every reaction and timer checkpoint and restart: every event is delivered again. */
    async redeliverEverything() {
      await stop();
      for (const name of SERVICE_NAMES) {
        await store.resetCheckpoint(`reactions-${name}`);
      }
      services = new Map();
      await start();
    },
  };
}

export type TestSystem = Awaited<ReturnType<typeof startTestSystem>>;

/** Every invariant must hold; a failing one names its violations. */
export async function assertInvariants(t: Test, system: TestSystem) {
  for (const result of await system.invariants()) {
    t.ok(result.ok, `invariant ${result.id}: ${result.name}${result.ok ? '' : ` — ${result.violations.join('; ')}`}`);
  }
}
