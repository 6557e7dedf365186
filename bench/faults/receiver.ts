import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildMockDataPlatform } from '../../domains/dataplatform/mock-server.js';

/**
 * The external data platform for the fault benchmarks, as its own process so
 * that killing the dataplatform service never loses what the receiver kept:
 * the project's mock (one record per Idempotency-Key) with a failure share
 * and, in front of it, a hook that sometimes hangs past the sender's timeout
 * and then carries on (the effect happens; the answer comes too late: the
 * worst case for one effect per key). Every arrival is logged for the report.
 *
 * Environment: RECEIVER_PORT [0], RECEIVER_FAILURE_RATE [0], RECEIVER_HANG_RATE [0],
 * RECEIVER_HANG_MS [0]. POST /bench/mode {failureRate, hangRate} changes the
 * shares while it runs; GET /bench/arrivals lists every POST it received.
 * Tells its parent its port over IPC.
 */

export interface ReceiverMode {
  failureRate: number;
  hangRate: number;
}

export interface Arrival {
  key: string;
  /** Wall-clock ms, comparable with the event store's `created` on this machine. */
  at: number;
  hung: boolean;
}

const share = (name: string) => {
  const value = Number(process.env[name] ?? '0');
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be within [0, 1]`);
  return value;
};

const mode: ReceiverMode = { failureRate: share('RECEIVER_FAILURE_RATE'), hangRate: share('RECEIVER_HANG_RATE') };
const hangMs = Number(process.env.RECEIVER_HANG_MS ?? '0');
const arrivals: Arrival[] = [];

// The mock fails when random() < failureRate: with a rate of 1, this random decides by the current mode.
const app = buildMockDataPlatform({ failureRate: 1, random: () => (Math.random() < mode.failureRate ? 0 : 1) });

app.addHook('onRequest', async (request) => {
  if (request.method !== 'POST' || request.url !== '/reservations') return;
  const hung = Math.random() < mode.hangRate;
  arrivals.push({ key: String(request.headers['idempotency-key'] ?? ''), at: Date.now(), hung });
  if (hung) await sleep(hangMs);
});

app.post<{ Body: Partial<ReceiverMode> }>('/bench/mode', async (request) => {
  const { failureRate, hangRate } = request.body ?? {};
  if (typeof failureRate === 'number') mode.failureRate = failureRate;
  if (typeof hangRate === 'number') mode.hangRate = hangRate;
  return mode;
});

app.get('/bench/arrivals', async () => arrivals);

await app.listen({ port: Number(process.env.RECEIVER_PORT ?? '0'), host: '127.0.0.1' });
process.send?.({ port: (app.server.address() as AddressInfo).port });

const stop = () => {
  void app.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
