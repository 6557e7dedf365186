import { MongoClient, type AnyBulkWriteOperation, type Collection as MongoCollection, type Db, type Sort } from 'mongodb';
import { positionFromKey } from './position-key.js';
import type { Position } from '../eventstore/port.js';
import type { Collection, CollectionSpec, Doc, DocChange, FindQuery, ProjectionCommit, ReadStore, Stamped, Where } from './port.js';
import { asJson, checkName, liveById, liveFilter, toDoc, toStamped, toStored, type Stored } from './mongo-stored.js';
import { checkpointWrites, guardedWrite, latestPerDocument, type CheckpointDoc } from './mongo-commit-plan.js';
import { bulkFailureOf, duplicateKeysToRetry, isDuplicateKey } from './mongo-bulk-errors.js';

export { positionKey, positionFromKey } from './position-key.js';

const CHECKPOINTS = 'projection_checkpoints';

/**
 * The read store on MongoDB: a collection per read-model collection, the
 * document id as `_id`, and projection checkpoints in `projection_checkpoints`.
 *
 * Without a replica set there is no transaction across documents, so commit
 * is idempotent instead of atomic: every document carries the stamp of the
 * last event applied to it (`_position`, never returned), a delete leaves a
 * tombstone that keeps it, each change is one write guarded by that stamp,
 * and the checkpoints move last, with `$max`. A crash or a dropped connection
 * part-way leaves the checkpoints behind; the projection replays from there,
 * with whatever batch boundaries, and the stamps skip what already landed.
 * Any error the server or the network reports fails the commit, a write
 * concern error included; only the duplicate keys of guarded upserts are
 * expected, and they are settled here.
 */
export class MongoReadStore implements ReadStore {
  readonly kind = 'mongodb' as const;
  private readonly indexed = new Set<string>();

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  static async connect(url: string, database: string): Promise<MongoReadStore> {
    const client = new MongoClient(url);
    try {
      await client.connect();
      const store = new MongoReadStore(client, client.db(database));
      await store.ping();
      return store;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  private documents(name: string): MongoCollection<Stored> {
    return this.db.collection<Stored>(checkName('collection', name));
  }

  private get checkpoints(): MongoCollection<CheckpointDoc> {
    return this.db.collection<CheckpointDoc>(CHECKPOINTS);
  }

  async collection<T extends Doc = Doc>(spec: CollectionSpec): Promise<Collection<T>> {
    const documents = this.documents(spec.name);
    for (const index of spec.indexes ?? []) {
      const fields = typeof index === 'string' ? [index] : index;
      const key = `${spec.name}.${fields.map((field) => checkName('field', field)).join('+')}`;
      if (this.indexed.has(key)) continue;
      await documents.createIndex(Object.fromEntries(fields.map((field) => [field, 1])));
      this.indexed.add(key);
    }
    return new MongoDocuments<T>(documents);
  }

  async commit(commits: readonly ProjectionCommit[]): Promise<void> {
    // Collections are written side by side; every write settles before the
    // checkpoints are considered, and any failure leaves them where they were.
    const written = await Promise.allSettled([...latestPerDocument(commits)].map(([name, changes]) => this.write(name, changes)));
    const failed = written.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    const checkpoints = checkpointWrites(commits);
    if (checkpoints.length > 0) await this.checkpoints.bulkWrite(checkpoints, { ordered: false });
  }

  private async write(name: string, changes: readonly DocChange[]): Promise<void> {
    const documents = this.documents(name);
    const operations = changes.map(guardedWrite);
    try {
      await documents.bulkWrite(operations, { ordered: false });
    } catch (error) {
      const failure = bulkFailureOf(error);
      const retry = failure && duplicateKeysToRetry(failure, operations.length);
      if (!retry) throw error;
      for (const index of retry) await this.retryGuarded(documents, operations[index]!);
    }
  }

  /**
   * A guarded upsert that met a duplicate key, once more: the document exists
   * now, and projections never remove one (deletes leave tombstones), so this
   * attempt either replaces an older document or meets a duplicate key again,
   * which means it holds this change or a later one. (Only a reset or a direct
   * delete removes documents; this attempt then simply inserts.)
   */
  private async retryGuarded(documents: MongoCollection<Stored>, operation: AnyBulkWriteOperation<Stored>): Promise<void> {
    if (!('replaceOne' in operation)) throw new Error('a duplicate key can only come from a guarded upsert');
    const { filter, replacement } = operation.replaceOne;
    try {
      await documents.replaceOne(filter, replacement, { upsert: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async stamped<T extends Doc = Doc>(collection: string, ids: readonly string[]): Promise<Map<string, Stamped<T>>> {
    const found = new Map<string, Stamped<T>>();
    const unique = [...new Set(ids)];
    if (unique.length === 0) return found;
    for (const stored of await this.documents(collection).find({ _id: { $in: unique } }).toArray()) {
      found.set(stored._id, toStamped<T>(stored));
    }
    return found;
  }

  async checkpoint(projection: string): Promise<Position | null> {
    const found = await this.checkpoints.findOne({ _id: projection });
    return found ? positionFromKey(found.position) : null;
  }

  /**
   * The checkpoint goes first: a crash part-way then rebuilds from zero rather
   * than resuming on half-emptied collections. Tombstones go with the documents.
   */
  async reset(projection: string, collections: readonly string[]): Promise<void> {
    await this.checkpoints.deleteOne({ _id: projection });
    // deleteMany rather than drop: the collections keep their indexes.
    for (const name of collections) await this.documents(name).deleteMany({});
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** Direct reads and writes of a collection: tombstones are invisible to all of them. */
class MongoDocuments<T extends Doc> implements Collection<T> {
  constructor(private readonly documents: MongoCollection<Stored>) {}

  async get(id: string): Promise<T | null> {
    const found = await this.documents.findOne(liveById(id));
    return found ? toDoc<T>(found) : null;
  }

  /** A direct write: it replaces the document (or its tombstone) without a stamp, so any later projection change applies. */
  async upsert(doc: T): Promise<void> {
    await this.documents.replaceOne({ _id: doc.id }, toStored(doc), { upsert: true });
  }

  /** A JSON merge patch, as the embedded store's json_patch: null removes a field, the id and the stamp stay. */
  async patch(id: string, fields: Partial<T>): Promise<boolean> {
    const set: Record<string, unknown> = {};
    const unset: Record<string, ''> = {};
    for (const [field, value] of Object.entries(asJson(fields))) {
      if (field === 'id' || field.startsWith('_')) continue;
      if (value === null) unset[field] = '';
      else set[field] = value;
    }
    const update = {
      ...(Object.keys(set).length ? { $set: set } : {}),
      ...(Object.keys(unset).length ? { $unset: unset } : {}),
    };
    if (Object.keys(update).length === 0) return (await this.documents.countDocuments(liveById(id), { limit: 1 })) > 0;
    const result = await this.documents.updateOne(liveById(id), update);
    return result.matchedCount > 0;
  }

  /** A direct delete removes a live document; a projection's tombstone stays. */
  async delete(id: string): Promise<boolean> {
    return (await this.documents.deleteOne(liveById(id))).deletedCount > 0;
  }

  async find(query: FindQuery = {}): Promise<T[]> {
    const sort: Record<string, 1 | -1> = {};
    for (const [field, direction] of query.sort ?? []) sort[checkName('field', field)] = direction === 'desc' ? -1 : 1;
    sort._id = 1; // a stable order for ties, as in the embedded store
    // SQLite's LIMIT: 0 is nothing, negative is no limit. MongoDB reads 0 as no limit.
    if (query.limit === 0) return [];
    let cursor = this.documents.find(liveFilter(query.where)).sort(sort as Sort);
    if (query.limit !== undefined && query.limit > 0) cursor = cursor.limit(query.limit);
    return (await cursor.toArray()).map((stored) => toDoc<T>(stored));
  }

  async count(where?: Where): Promise<number> {
    return this.documents.countDocuments(liveFilter(where));
  }
}
