import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteEventStore, type SqliteSynchronous } from '../../infra/eventstore/sqlite.js';
import { wallClockMs } from './timing.js';

/**
 * The other process of the cross-process latency benchmark: appends one event
 * at a time to a shared store file and tells its parent, over IPC, the moment
 * each append was acknowledged. Arguments: file, count, gap in ms, synchronous.
 */
export interface AppendAck {
  id: string;
  ackedAt: number;
}

const [file, countArg, gapArg, synchronousArg] = process.argv.slice(2);
if (!file || !countArg || !gapArg || !synchronousArg || !process.send) {
  throw new Error('usage: append-child <file> <count> <gapMs> <synchronous>, started with an IPC channel');
}
const count = Number(countArg);
const gapMs = Number(gapArg);
const send = (ack: AppendAck) =>
  new Promise<void>((resolve, reject) => process.send!(ack, undefined, {}, (error) => (error ? reject(error) : resolve())));

const store = new SqliteEventStore({ file, synchronous: synchronousArg as SqliteSynchronous });
try {
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    await store.append('latency-probe', [{ id, type: 'LatencyProbe', data: { i } }], i === 0 ? 'no_stream' : i - 1);
    await send({ id, ackedAt: wallClockMs() });
    await sleep(gapMs);
  }
} finally {
  await store.close();
  process.disconnect();
}
