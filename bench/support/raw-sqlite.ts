import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Metadata } from '../../infra/eventstore/port.js';
import { SqliteEventStore, type SqliteSynchronous } from '../../infra/eventstore/sqlite.js';
import { perSecond } from './timing.js';

/**
 * The raw SQLite baseline of the write benchmarks: the store's own table and
 * indexes, filled by plain INSERTs, so a figure can say how far above the
 * database's own cost the system runs.
 */

/** Ten event types in turn, so a filter on one of them matches about 10% of the events. */
export const EVENT_TYPES = Array.from({ length: 10 }, (_, i) => `BenchEvent${i}`);

export interface BenchEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Metadata;
}

/** The same event, id included, for the store and for the raw inserts: both pay for a UUID and two JSON.stringify. */
export function benchEvent(writer: number, n: number): BenchEvent {
  return {
    id: randomUUID(),
    type: EVENT_TYPES[n % EVENT_TYPES.length]!,
    data: { writer, n, scheduleId: `schedule-${writer % 7}`, seatNo: n, userId: `user-${writer}`, amount: 50_000 },
    metadata: { correlationId: `payment-${writer}-${n}`, causationId: `command-${writer}-${n}` },
  };
}

export const streamOf = (writer: number) => `bench-${writer}`;

/** The store creates the schema, so the baseline writes to exactly the tables and indexes the store uses. */
async function openRaw(file: string, synchronous: SqliteSynchronous): Promise<Database.Database> {
  await new SqliteEventStore({ file, synchronous }).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  return db;
}

/** Raw inserts, `batch` per transaction (1: every insert is its own transaction), over the same number of streams. */
export async function rawAppends(file: string, synchronous: SqliteSynchronous, streams: number, total: number, batch: number) {
  const db = await openRaw(file, synchronous);
  try {
    const insert = db.prepare(
      `INSERT INTO events (id, stream_id, revision, type, data, metadata, created)
       VALUES (@id, @stream_id, @revision, @type, @data, @metadata, @created)`,
    );
    const insertOne = (i: number) => {
      const writer = i % streams;
      const n = Math.floor(i / streams);
      const event = benchEvent(writer, n);
      insert.run({
        id: event.id,
        stream_id: streamOf(writer),
        revision: n,
        type: event.type,
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(event.metadata),
        created: Date.now(),
      });
    };
    const insertMany = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) insertOne(i);
    });
    const start = performance.now();
    if (batch === 1) for (let i = 0; i < total; i++) insertOne(i);
    else for (let i = 0; i < total; i += batch) insertMany(i, Math.min(total, i + batch));
    return perSecond(total, performance.now() - start);
  } finally {
    db.close();
  }
}

