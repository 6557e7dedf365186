import {
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
  type AnyBulkWriteOperation,
  type Collection as MongoCollection,
  type Db,
  type Filter,
  type Sort,
} from 'mongodb';
import { positionKey, positionFromKey } from './position-key.js';
import type { Position } from '../eventstore/port.js';
import type { Collection, CollectionSpec, Doc, DocChange, FindQuery, ProjectionCommit, Range, ReadStore, Stamped, Where } from './port.js';

/** What a document looks like in MongoDB: our id as `_id`, and the position of the change that wrote it. */
type Stored = { _id: string; _position?: string } & Record<string, unknown>;

interface CheckpointDoc {
  _id: string;
  position: string;
}

const CHECKPOINTS = 'projection_checkpoints';
const DUPLICATE_KEY = 11000;

/** The same alphabet as the embedded store, so a name that works there works here (no `$`, no `.`). */
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

function checkName(kind: string, name: string): string {
  if (!NAME.test(name)) throw new RangeError(`invalid ${kind} name: ${name}`);
  return name;
}

export { positionKey, positionFromKey } from './position-key.js';

/** Documents are JSON, as in the embedded store: dates become strings, undefined fields vanish. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function toDoc<T extends Doc>(stored: Stored): T {
  const { _id, _position, ...fields } = stored;
  return { ...fields, id: _id } as unknown as T;
}

function toStored(doc: Doc, position?: Position): Stored {
  const { id, ...fields } = asJson(doc);
  return { ...fields, id, _id: id, ...(position === undefined ? {} : { _position: positionKey(position) }) };
}

const OPERATORS: Record<keyof Range, string> = { lt: '$lt', lte: '$lte', gt: '$gt', gte: '$gte' };

function whereFilter(where: Where | undefined): Filter<Stored> {
  const filter: Record<string, unknown> = {};
  for (const [field, condition] of Object.entries(where ?? {})) {
    checkName('field', field);
    if (condition === null || typeof condition !== 'object') {
      // `{ field: null }` also matches a missing field, as IS NULL does in the embedded store.
      filter[field] = condition;
      continue;
    }
    const range: Record<string, number | string> = {};
    for (const [op, value] of Object.entries(condition) as Array<[keyof Range, number | string | undefined]>) {
      if (value === undefined) continue;
      if (!(op in OPERATORS)) throw new RangeError(`unknown range operator ${op}`);
      range[OPERATORS[op]] = value;
    }
    if (Object.keys(range).length > 0) filter[field] = range;
  }
  return filter as Filter<Stored>;
}

/** Only documents not yet written by this change or a later one. */
const olderThan = (id: string, key: string): Filter<Stored> => ({
  _id: id,
  $or: [{ _position: { $lt: key } }, { _position: { $exists: false } }],
});

const writeErrorsOf = (error: MongoBulkWriteError) => [error.writeErrors].flat();

/**
 * The read store on MongoDB: a collection per read-model collection, the
 * document id as `_id`, and projection checkpoints in `projection_checkpoints`.
 *
 * Without a replica set there is no transaction across documents, so commit
 * is idempotent instead of atomic: each document carries the position of the
 * change that wrote it (`_position`, never returned), a change to a document
 * that already holds an equal or later position is skipped, and the
 * checkpoint moves last. A crash part-way leaves the checkpoint behind; the
 * projection replays from there and the replayed changes skip what already
 * landed and finish what did not.
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

  // TODO(issue 10, items 4-5): per-change stamps, tombstones, guarded checkpoints; this keeps the old behaviour meanwhile.
  async commit(commits: readonly ProjectionCommit[]): Promise<void> {
    for (const { projection, position, changes } of commits) await this.commitOne(projection, position, changes);
  }

  async stamped<T extends Doc = Doc>(collection: string, ids: readonly string[]): Promise<Map<string, Stamped<T>>> {
    const found = new Map<string, Stamped<T>>();
    for (const stored of await this.documents(collection).find({ _id: { $in: [...ids] } }).toArray()) {
      found.set(stored._id, { doc: toDoc<T>(stored), position: stored._position ? positionFromKey(stored._position) : -1n });
    }
    return found;
  }

  private async commitOne(projection: string, position: Position, changes: readonly DocChange[]): Promise<void> {
    const key = positionKey(position);
    // One commit carries one position, so two changes to one document would
    // see each other as already applied: only the last change of each counts.
    const last = new Map<string, DocChange>();
    for (const change of changes) {
      const id = change.op === 'upsert' ? change.doc.id : change.id;
      const slot = `${checkName('collection', change.collection)}\u0000${id}`;
      last.delete(slot);
      last.set(slot, change);
    }
    const byCollection = new Map<string, DocChange[]>();
    for (const change of last.values()) {
      const list = byCollection.get(change.collection) ?? [];
      list.push(change);
      byCollection.set(change.collection, list);
    }
    for (const [name, list] of byCollection) await this.apply(this.documents(name), list, position, key);
    await this.checkpoints.updateOne({ _id: projection }, { $set: { position: key } }, { upsert: true });
  }

  private async apply(documents: MongoCollection<Stored>, changes: DocChange[], position: Position, key: string): Promise<void> {
    const operations: AnyBulkWriteOperation<Stored>[] = changes.map((change) =>
      change.op === 'upsert'
        ? { replaceOne: { filter: olderThan(change.doc.id, key), replacement: toStored(change.doc, position), upsert: true } }
        : { deleteOne: { filter: olderThan(change.id, key) } },
    );
    try {
      await documents.bulkWrite(operations, { ordered: false });
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const writeErrors = writeErrorsOf(error);
      const unexpected = writeErrors.find((writeError) => writeError.code !== DUPLICATE_KEY);
      if (unexpected) throw error;
      // A duplicate key on a filtered upsert means the document exists and did
      // not match: it already holds this change or a later one. Or another
      // writer inserted it between our filter and our insert; one retry tells
      // the two apart, as the document now exists either way.
      for (const { index } of writeErrors) await this.retryUpsert(documents, operations[index]!);
    }
  }

  private async retryUpsert(documents: MongoCollection<Stored>, operation: AnyBulkWriteOperation<Stored>): Promise<void> {
    if (!('replaceOne' in operation)) throw new Error('a duplicate key can only come from an upsert');
    const { filter, replacement } = operation.replaceOne;
    try {
      await documents.replaceOne(filter, replacement, { upsert: true });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return; // an equal or later change is there
      throw error;
    }
  }

  async checkpoint(projection: string): Promise<Position | null> {
    const found = await this.checkpoints.findOne({ _id: projection });
    return found ? positionFromKey(found.position) : null;
  }

  /** The checkpoint goes first: a crash part-way then rebuilds from zero rather than resuming on half-emptied collections. */
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

class MongoDocuments<T extends Doc> implements Collection<T> {
  constructor(private readonly documents: MongoCollection<Stored>) {}

  async get(id: string): Promise<T | null> {
    const found = await this.documents.findOne({ _id: id });
    return found ? toDoc<T>(found) : null;
  }

  /** A direct write: it replaces the document and drops its position, so any later projection change applies. */
  async upsert(doc: T): Promise<void> {
    await this.documents.replaceOne({ _id: doc.id }, toStored(doc), { upsert: true });
  }

  /** A JSON merge patch, as the embedded store's json_patch: null removes a field, the id stays. */
  async patch(id: string, fields: Partial<T>): Promise<boolean> {
    const set: Record<string, unknown> = {};
    const unset: Record<string, ''> = {};
    for (const [field, value] of Object.entries(asJson(fields))) {
      if (field === 'id' || field === '_id' || field === '_position') continue;
      if (value === null) unset[field] = '';
      else set[field] = value;
    }
    const update = {
      ...(Object.keys(set).length ? { $set: set } : {}),
      ...(Object.keys(unset).length ? { $unset: unset } : {}),
    };
    if (Object.keys(update).length === 0) return (await this.documents.countDocuments({ _id: id }, { limit: 1 })) > 0;
    const result = await this.documents.updateOne({ _id: id }, update);
    return result.matchedCount > 0;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.documents.deleteOne({ _id: id })).deletedCount > 0;
  }

  async find(query: FindQuery = {}): Promise<T[]> {
    const sort: Record<string, 1 | -1> = {};
    for (const [field, direction] of query.sort ?? []) sort[checkName('field', field)] = direction === 'desc' ? -1 : 1;
    sort._id = 1; // a stable order for ties, as in the embedded store
    // SQLite's LIMIT: 0 is nothing, negative is no limit. MongoDB reads 0 as no limit.
    if (query.limit === 0) return [];
    let cursor = this.documents.find(whereFilter(query.where)).sort(sort as Sort);
    if (query.limit !== undefined && query.limit > 0) cursor = cursor.limit(query.limit);
    return (await cursor.toArray()).map((stored) => toDoc<T>(stored));
  }

  async count(where?: Where): Promise<number> {
    return this.documents.countDocuments(whereFilter(where));
  }
}
