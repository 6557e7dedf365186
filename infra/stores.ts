import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';
import type { EventStore } from './eventstore/port.js';
import { SqliteEventStore } from './eventstore/sqlite.js';
import type { ReadStore } from './readstore/port.js';
import { SqliteReadStore } from './readstore/sqlite.js';
import { NamespacedEventStore } from './namespaced-store.js';

export interface Stores {
  events: EventStore;
  reads: ReadStore;
}

/** The event store named by EVENTSTORE_URL, or the embedded one under DATA_DIR; only EVENTSTORE_NAMESPACE's share of it when that is set. */
export async function openEventStore(config: Config): Promise<EventStore> {
  const store = await openWholeEventStore(config);
  if (!config.eventStoreNamespace) return store;
  try {
    return await NamespacedEventStore.open(store, config.eventStoreNamespace);
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function openWholeEventStore(config: Config): Promise<EventStore> {
  if (config.eventStoreUrl) {
    const { EsdbEventStore } = await import('./eventstore/esdb.js');
    return EsdbEventStore.connect(config.eventStoreUrl);
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteEventStore({
    file: join(config.dataDir, 'events.db'),
    synchronous: config.sqliteSynchronous,
    pollMs: config.eventStorePollMs,
    tailWindow: config.eventStoreTailWindow,
  });
}

/** The read store named by MONGODB_URL, or the embedded one beside the event store. */
export async function openReadStore(config: Config): Promise<ReadStore> {
  if (config.mongodbUrl) {
    const { MongoReadStore } = await import('./readstore/mongo.js');
    return MongoReadStore.connect(config.mongodbUrl, config.mongodbDatabase);
  }
  mkdirSync(config.dataDir, { recursive: true });
  // A file of its own: projections then never wait on the event log's write lock.
  return new SqliteReadStore({ file: join(config.dataDir, 'readmodels.db'), synchronous: config.sqliteReadSynchronous });
}

export async function openStores(config: Config): Promise<Stores> {
  const events = await openEventStore(config);
  try {
    return { events, reads: await openReadStore(config) };
  } catch (error) {
    await events.close();
    throw error;
  }
}
