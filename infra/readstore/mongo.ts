import { MongoClient, type AnyBulkWriteOperation, type Collection as MongoCollection, type Db, type Sort } from 'mongodb';
import { positionFromKey } from './position-key.js';
import type { Position } from '../eventstore/port.js';
import type { Collection, CollectionSpec, Doc, DocChange, FindQuery, ProjectionCommit, ReadStore, Stamped, SwapRequest, SwapResult, Where } from './port.js';
import { stagedName } from './staged-name.js';
import { positionKey } from './position-key.js';
import { asJson, checkName, liveById, liveFilter, toDoc, toStamped, toStored, type Stored } from './mongo-stored.js';
import { checkpointWrites, guardedWrite, latestPerDocument, type CheckpointDoc } from './mongo-commit-plan.js';
import { bulkFailureOf, duplicateKeysToRetry, isDuplicateKey } from './mongo-bulk-errors.js';

export { positionKey, positionFromKey } from './position-key.js';

const CHECKPOINTS = 'projection_checkpoints';
/** A model rebuilt side by side reads from another collection: `{_id: model, physical}`. */
const ALIASES = 'collection_aliases';

interface AliasDoc {
  _id: string;
  physical: string;
}

/** The server's answer to dropping a collection that is not there. */
const NAMESPACE_NOT_FOUND = 26;

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

  private get aliases(): MongoCollection<AliasDoc> {
    return this.db.collection<AliasDoc>(ALIASES);
  }

  /** The physical collection a model's name stands for: its own, until a rebuild swapped another in. */
  private async resolve(name: string): Promise<string> {
    return (await this.aliases.findOne({ _id: name }))?.physical ?? name;
  }

  private async ensureIndexes(name: string, spec: CollectionSpec): Promise<void> {
    const documents = this.documents(name);
    for (const index of spec.indexes ?? []) {
      const fields = typeof index === 'string' ? [index] : index;
      const key = `${name}.${fields.map((field) => checkName('field', field)).join('+')}`;
      if (this.indexed.has(key)) continue;
      await documents.createIndex(Object.fromEntries(fields.map((field) => [field, 1])));
      this.indexed.add(key);
    }
  }

  async collection<T extends Doc = Doc>(spec: CollectionSpec): Promise<Collection<T>> {
    await this.ensureIndexes(await this.resolve(spec.name), spec);
    // Resolved again on every operation: a swap by another process shows at the next read.
    return new MongoDocuments<T>(async () => this.documents(await this.resolve(spec.name)));
  }

  async commit(commits: readonly ProjectionCommit[]): Promise<void> {
    // Collections are written side by side; every write settles before the
    // checkpoints are considered, and any failure leaves them where they were.
    const planned = [...latestPerDocument(commits)];
    const targets = await Promise.all(planned.map(([model]) => this.resolve(model)));
    await this.writeAll(planned.map(([, changes], i) => [targets[i]!, changes] as const));
    const checkpoints = checkpointWrites(commits);
    if (checkpoints.length > 0) await this.checkpoints.bulkWrite(checkpoints, { ordered: false });
    // No transaction holds a swap off: a model swapped while these changes
    // were written gets them again in its new collection (the stamps make a
    // second write of the same change harmless).
    const now = await Promise.all(planned.map(([model]) => this.resolve(model)));
    const moved = planned.flatMap(([, changes], i) => (now[i] !== targets[i] ? [[now[i]!, changes] as const] : []));
    if (moved.length > 0) await this.writeAll(moved);
  }

  private async writeAll(writes: ReadonlyArray<readonly [string, readonly DocChange[]]>): Promise<void> {
    const written = await Promise.allSettled(writes.map(([name, changes]) => this.write(name, changes)));
    const failed = written.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async stage(spec: CollectionSpec): Promise<string> {
    const physical = stagedName(spec.name);
    // Creating the indexes creates the collection, empty.
    await this.db.createCollection(checkName('collection', physical));
    await this.ensureIndexes(physical, spec);
    return physical;
  }

  /**
   * Without a transaction the check and the switch are two writes: a commit
   * of the live model may land between them. The commit notices the swap and
   * writes its changes again (see commit), and the rebuild catches up from
   * the checkpoint it reads after the swap (bus/projection.ts).
   */
  async swap({ projection, model, physical, position }: SwapRequest): Promise<SwapResult> {
    const live = await this.checkpoint(projection);
    if (live !== null && live > position) return { switched: false, checkpoint: live };
    const before = await this.aliases.findOneAndUpdate({ _id: model }, { $set: { physical } }, { upsert: true, returnDocument: 'before' });
    await this.checkpoints.updateOne({ _id: projection }, { $max: { position: positionKey(position) } }, { upsert: true });
    return { switched: true, previous: before?.physical ?? model };
  }

  async drop(physical: string): Promise<void> {
    if ((await this.aliases.countDocuments({ physical }, { limit: 1 })) > 0) throw new Error(`${physical} is still a model's collection`);
    try {
      await this.documents(physical).drop();
    } catch (error) {
      // Already gone (a drop retried after a lost answer): the outcome asked for.
      if ((error as { code?: unknown }).code !== NAMESPACE_NOT_FOUND) throw error;
    }
    for (const key of [...this.indexed]) if (key.startsWith(`${physical}.`)) this.indexed.delete(key);
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
    for (const stored of await this.documents(await this.resolve(collection)).find({ _id: { $in: unique } }).toArray()) {
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
    for (const name of collections) await this.documents(await this.resolve(name)).deleteMany({});
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
  /** The model's current collection, resolved per operation. */
  constructor(private readonly current: () => Promise<MongoCollection<Stored>>) {}

  async get(id: string): Promise<T | null> {
    const found = await (await this.current()).findOne(liveById(id));
    return found ? toDoc<T>(found) : null;
  }

  /** A direct write: it replaces the document (or its tombstone) without a stamp, so any later projection change applies. */
  async upsert(doc: T): Promise<void> {
    await (await this.current()).replaceOne({ _id: doc.id }, toStored(doc), { upsert: true });
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
    if (Object.keys(update).length === 0) return (await (await this.current()).countDocuments(liveById(id), { limit: 1 })) > 0;
    const result = await (await this.current()).updateOne(liveById(id), update);
    return result.matchedCount > 0;
  }

  /** A direct delete removes a live document; a projection's tombstone stays. */
  async delete(id: string): Promise<boolean> {
    return (await (await this.current()).deleteOne(liveById(id))).deletedCount > 0;
  }

  async find(query: FindQuery = {}): Promise<T[]> {
    const sort: Record<string, 1 | -1> = {};
    for (const [field, direction] of query.sort ?? []) sort[checkName('field', field)] = direction === 'desc' ? -1 : 1;
    sort._id = 1; // a stable order for ties, as in the embedded store
    // SQLite's LIMIT: 0 is nothing, negative is no limit. MongoDB reads 0 as no limit.
    if (query.limit === 0) return [];
    let cursor = (await this.current()).find(liveFilter(query.where)).sort(sort as Sort);
    if (query.limit !== undefined && query.limit > 0) cursor = cursor.limit(query.limit);
    return (await cursor.toArray()).map((stored) => toDoc<T>(stored));
  }

  async count(where?: Where): Promise<number> {
    return (await this.current()).countDocuments(liveFilter(where));
  }
}
