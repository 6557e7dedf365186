import type { Test } from 'tap';
import { join } from 'node:path';
import { v4 as uuid } from 'uuid';
import { MongoClient } from 'mongodb';
import type { EventStore } from '../../infra/eventstore/port.js';
import type { ReadStore } from '../../infra/readstore/port.js';
import { SqliteEventStore } from '../../infra/eventstore/sqlite.js';
import { SqliteReadStore } from '../../infra/readstore/sqlite.js';
import { EsdbEventStore } from '../../infra/eventstore/esdb.js';
import { MongoReadStore } from '../../infra/readstore/mongo.js';
import { NamespacedEventStore } from '../../infra/namespaced-store.js';
import { clockStamped } from './clock-stamped-store.js';

/**
 * The one place where tests choose their stores. By default the embedded
 * ones, in the test's temp dir. With EVENTSTORE_URL the events go to that
 * EventStoreDB, and with MONGODB_URL the read models to that MongoDB, which
 * every test shares with every other (tap runs files in parallel), so each
 * test gets a share of its own: a fresh EVENTSTORE_NAMESPACE (its streams,
 * checkpoints, $all and head, nobody else's) and a fresh MongoDB database,
 * dropped when the test ends. Its assertions then hold as on an empty store.
 */
const eventStoreUrl = process.env.EVENTSTORE_URL || undefined;
const mongodbUrl = process.env.MONGODB_URL || undefined;

export interface TestStores {
  /** The events as this test writes and reads them: on a server, created at the test clock's time (see clock-stamped-store.ts). */
  events: EventStore;
  /** The same events as another process reads them: on a server, created at the server's time. */
  stored: EventStore;
  reads: ReadStore;
  dir: string;
  /** What a child process needs to open these same stores (DATA_DIR and the servers' variables). */
  env: Record<string, string>;
}

/** Children of the tests open the stores their test opened for a data dir, and the embedded ones under any other. */
const envByDir = new Map<string, Record<string, string>>();

export function storeEnv(dataDir: string): Record<string, string> {
  // Never the servers a developer's shell names unless the test opened them: this dir's stores only.
  return envByDir.get(dataDir) ?? { DATA_DIR: dataDir, EVENTSTORE_URL: '', EVENTSTORE_NAMESPACE: '', MONGODB_URL: '', MONGODB_DATABASE: '' };
}

export interface TestStoreOptions {
  /** The data dir (default: the test's temp dir), where the embedded stores live. */
  dir?: string;
  /** The creation time of appended events (a test's manual clock); default: the store's own. */
  now?: () => Date;
  /** The embedded store's poll for other processes' commits. */
  pollMs?: number;
}

/** Stores for one test, closed (and a server database dropped) when the test ends. */
export async function openTestStores(t: Test, options: TestStoreOptions = {}): Promise<TestStores> {
  const dir = options.dir ?? t.testdir();
  const env: Record<string, string> = { ...storeEnv(dir) };

  let events: EventStore;
  let stored: EventStore;
  if (eventStoreUrl) {
    const namespace = `t${uuid().replaceAll('-', '')}`;
    stored = await NamespacedEventStore.open(await EsdbEventStore.connect(eventStoreUrl), namespace);
    events = options.now ? clockStamped(stored, options.now) : stored;
    Object.assign(env, { EVENTSTORE_URL: eventStoreUrl, EVENTSTORE_NAMESPACE: namespace });
  } else {
    events = stored = new SqliteEventStore({ file: join(dir, 'events.db'), pollMs: options.pollMs, now: options.now });
  }

  let reads: ReadStore;
  let database: string | undefined;
  if (mongodbUrl) {
    database = `t_${uuid().replaceAll('-', '')}`;
    reads = await MongoReadStore.connect(mongodbUrl, database);
    Object.assign(env, { MONGODB_URL: mongodbUrl, MONGODB_DATABASE: database });
  } else {
    reads = new SqliteReadStore({ file: join(dir, 'readmodels.db') });
  }

  envByDir.set(dir, env);
  let closed = false;
  t.teardown(async () => {
    envByDir.delete(dir);
    if (!closed) {
      closed = true;
      await events.close();
      await reads.close();
    }
    if (mongodbUrl && database) {
      const client = new MongoClient(mongodbUrl);
      try {
        await client.db(database).dropDatabase();
      } finally {
        await client.close();
      }
    }
  });
  return { events, stored, reads, dir, env };
}
