import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReceivedReservation } from '../../domains/dataplatform/mock-server.js';
import type { Arrival, ReceiverMode } from '../faults/receiver.js';

/** The data platform receiver (bench/faults/receiver.ts) as a child process, and what a benchmark asks of it. */

export interface ReceiverOptions {
  failureRate?: number;
  hangRate?: number;
  hangMs?: number;
}

export interface Receiver {
  url: string;
  records(): Promise<ReceivedReservation[]>;
  arrivals(): Promise<Arrival[]>;
  setMode(mode: ReceiverMode): Promise<void>;
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL('../faults/receiver.js', import.meta.url));

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`receiver answered ${response.status}`);
  return (await response.json()) as T;
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const child = fork(script, [], {
    env: {
      ...process.env,
      RECEIVER_PORT: '0',
      RECEIVER_FAILURE_RATE: String(options.failureRate ?? 0),
      RECEIVER_HANG_RATE: String(options.hangRate ?? 0),
      RECEIVER_HANG_MS: String(options.hangMs ?? 0),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the receiver exited with ${String(code)} before listening`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    records: async () => json<ReceivedReservation[]>(await fetch(`${url}/reservations`)),
    arrivals: async () => json<Arrival[]>(await fetch(`${url}/bench/arrivals`)),
    setMode: async (mode) => {
      await json(await fetch(`${url}/bench/mode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(mode) }));
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
