import Database from 'better-sqlite3';
import type { Position } from '../eventstore/port.js';
import type { Collection, CollectionSpec, Doc, DocChange, FieldValue, FindQuery, ProjectionCommit, Range, ReadStore, Stamped, SwapRequest, SwapResult, Where } from './port.js';
import { stagedName } from './staged-name.js';
import { positionFromKey, positionKey } from './position-key.js';
import type { SqliteSynchronous } from '../eventstore/sqlite.js';

export interface SqliteReadStoreOptions {
  file: string;
  synchronous?: SqliteSynchronous;
}

/** Collection and field names become SQL identifiers and JSON paths, so they are held to a safe alphabet. */
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

function checkName(kind: string, name: string): string {
  if (!NAME.test(name)) throw new RangeError(`invalid ${kind} name: ${name}`);
  return name;
}

const table = (collection: string) => `rm_${checkName('collection', collection)}`;
const field = (name: string) => `json_extract(body, '$.${checkName('field', name)}')`;

/** SQLite has no boolean; JSON true/false come back from json_extract as 1/0. */
const sqlValue = (value: FieldValue) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

/** Ids per `IN (...)` list: well under SQLite's limit on bound parameters. */
const IDS_PER_QUERY = 500;

/**
 * The embedded read store: one table per collection holding JSON bodies and
 * the stamp (position key) of the last event applied to each, an expression
 * index per declared field, tombstones for documents a projection deleted,
 * and projection checkpoints in the same file, so that any number of
 * projections' documents and checkpoints commit together.
 */
/** A model's collection as one commit writes it. */
interface Target {
  collection: string;
  table: string;
  /** Whether any of its documents has a tombstone (checked once per commit, set when the commit deletes one). */
  hasTombstones: boolean;
  /** Looked up once per commit rather than once per document: the statement cache is keyed by the whole SQL. */
  upsert: Database.Statement;
}

export class SqliteReadStore implements ReadStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly declared = new Set<string>();
  private readonly indexed = new Set<string>();
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(options: SqliteReadStoreOptions) {
    this.db = new Database(options.file, { timeout: 10_000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS projection_positions (
        projection TEXT PRIMARY KEY,
        position   TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS tombstones (
        collection TEXT NOT NULL,
        id         TEXT NOT NULL,
        position   TEXT NOT NULL,
        PRIMARY KEY (collection, id)
      ) WITHOUT ROWID;
      -- A model rebuilt side by side reads from another table: model name → physical collection.
      CREATE TABLE IF NOT EXISTS collection_aliases (
        model    TEXT PRIMARY KEY,
        physical TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
    this.migrateIntegerCheckpoints();
  }

  /**
   * Files written before positions became keys kept checkpoints as INTEGERs,
   * which cannot hold an EventStoreDB position; their values are carried over.
   */
  private migrateIntegerCheckpoints(): void {
    const old = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'projection_checkpoints'`).get();
    if (!old) return;
    this.db.transaction(() => {
      const rows = this.db.prepare('SELECT projection, position FROM projection_checkpoints').all() as Array<{ projection: string; position: number | bigint }>;
      const insert = this.db.prepare('INSERT OR IGNORE INTO projection_positions (projection, position) VALUES (?, ?)');
      for (const row of rows) insert.run(row.projection, positionKey(BigInt(row.position)));
      this.db.exec('DROP TABLE projection_checkpoints');
    }).immediate();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  private ensureTable(name: string): string {
    const t = table(name);
    if (!this.declared.has(name)) {
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${t} (id TEXT PRIMARY KEY, body TEXT NOT NULL, position TEXT)`);
      // Tables made before documents carried stamps get the column; their rows count as unstamped.
      const columns = this.db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>;
      if (!columns.some((c) => c.name === 'position')) this.db.exec(`ALTER TABLE ${t} ADD COLUMN position TEXT`);
      this.declared.add(name);
    }
    return t;
  }

  /** The physical collection a model's name stands for: its own, until a rebuild swapped another in. */
  private resolve(name: string): string {
    const physical = this.statement('SELECT physical FROM collection_aliases WHERE model = ?').pluck().get(name) as string | undefined;
    return physical ?? name;
  }

  private ensureIndexes(t: string, spec: CollectionSpec): void {
    for (const index of spec.indexes ?? []) {
      const fields = typeof index === 'string' ? [index] : index;
      const name = `${t}_${fields.map((f) => checkName('field', f)).join('_')}`;
      if (this.indexed.has(name)) continue;
      this.db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON ${t} (${fields.map(field).join(', ')})`);
      this.indexed.add(name);
    }
  }

  async collection<T extends Doc = Doc>(spec: CollectionSpec): Promise<Collection<T>> {
    this.ensureIndexes(this.ensureTable(this.resolve(spec.name)), spec);
    // Every operation resolves the model again, in one read transaction with
    // its query: a swap by another process is seen whole or not at all, and a
    // dropped table is never read.
    // A write takes the write lock first, so that it never has to upgrade a read snapshot another writer has moved past.
    const on = <R>(write: boolean, work: (table: string) => R): R => {
      const transaction = this.db.transaction(() => work(table(this.resolve(spec.name))));
      return write ? transaction.immediate() : transaction();
    };
    return new SqliteCollection<T>(on, (sql) => this.statement(sql));
  }

  async stage(spec: CollectionSpec): Promise<string> {
    const physical = stagedName(spec.name);
    this.ensureIndexes(this.ensureTable(physical), spec);
    return physical;
  }

  async swap({ projection, model, physical, position }: SwapRequest): Promise<SwapResult> {
    return this.db.transaction((): SwapResult => {
      const live = (this.statement('SELECT position FROM projection_positions WHERE projection = ?').get(projection) as { position: string } | undefined)?.position;
      if (live !== undefined && live > positionKey(position)) return { switched: false, checkpoint: positionFromKey(live) };
      const previous = this.resolve(model);
      this.statement(
        `INSERT INTO collection_aliases (model, physical) VALUES (?, ?) ON CONFLICT (model) DO UPDATE SET physical = excluded.physical`,
      ).run(model, physical);
      this.statement(
        `INSERT INTO projection_positions (projection, position) VALUES (?, ?) ON CONFLICT (projection) DO UPDATE SET position = excluded.position`,
      ).run(projection, positionKey(position));
      return { switched: true, previous };
    }).immediate();
  }

  async drop(physical: string): Promise<void> {
    const t = table(physical);
    this.db.transaction(() => {
      const used = this.statement('SELECT 1 FROM collection_aliases WHERE physical = ?').get(physical);
      if (used !== undefined) throw new Error(`${physical} is still a model's collection`);
      this.db.exec(`DROP TABLE IF EXISTS ${t}`);
      this.statement('DELETE FROM tombstones WHERE collection = ?').run(physical);
    }).immediate();
    this.declared.delete(physical);
    // The statements cached for it would name a table that is gone.
    for (const sql of [...this.prepared.keys()]) if (sql.includes(t)) this.prepared.delete(sql);
    for (const index of [...this.indexed]) if (index.startsWith(`${t}_`)) this.indexed.delete(index);
  }

  async commit(commits: readonly ProjectionCommit[]): Promise<void> {
    this.db.transaction(() => {
      // Inside the transaction: a swap lands wholly before or after it, so each model is resolved once per commit.
      const targets = new Map<string, Target>();
      const targetOf = (model: string): Target => {
        let target = targets.get(model);
        if (!target) {
          const collection = this.resolve(model);
          const hasTombstones = this.statement('SELECT EXISTS (SELECT 1 FROM tombstones WHERE collection = ?)').pluck().get(collection) === 1;
          const t = this.ensureTable(collection);
          // The guard in the statement itself: a document already at this stamp or later stays.
          const upsert = this.statement(
            `INSERT INTO ${t} (id, body, position) VALUES (?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET body = excluded.body, position = excluded.position
             WHERE position IS NULL OR position < excluded.position`,
          );
          target = { collection, table: t, hasTombstones, upsert };
          targets.set(model, target);
        }
        return target;
      };
      for (const { projection, position, changes } of commits) {
        for (const change of changes) this.apply(change, targetOf(change.collection));
        // A checkpoint never moves back: a lagging writer of the same model cannot undo a newer one.
        this.statement(
          `INSERT INTO projection_positions (projection, position) VALUES (?, ?)
           ON CONFLICT (projection) DO UPDATE SET position = max(position, excluded.position)`,
        ).run(projection, positionKey(position));
      }
    }).immediate();
  }

  /** One stamped change, unless the document (or its tombstone) already has this event or a later one. */
  private apply(change: DocChange, target: Target): void {
    const { collection, table: t } = target;
    const id = change.op === 'upsert' ? change.doc.id : change.id;
    const key = positionKey(change.position);
    // Most models never delete: their documents have no tombstone to look up.
    const tombstone = target.hasTombstones
      ? (this.statement('SELECT position FROM tombstones WHERE collection = ? AND id = ?').pluck().get(collection, id) as string | undefined)
      : undefined;
    if (tombstone !== undefined && tombstone >= key) return;
    if (change.op === 'upsert') {
      target.upsert.run(id, JSON.stringify(change.doc), key);
      if (tombstone !== undefined) this.statement('DELETE FROM tombstones WHERE collection = ? AND id = ?').run(collection, id);
    } else {
      const deleted = this.statement(`DELETE FROM ${t} WHERE id = ? AND (position IS NULL OR position < ?)`).run(id, key).changes;
      const newer = deleted === 0 && this.statement(`SELECT 1 FROM ${t} WHERE id = ?`).get(id) !== undefined;
      if (newer) return;
      this.statement(
        `INSERT INTO tombstones (collection, id, position) VALUES (?, ?, ?)
         ON CONFLICT (collection, id) DO UPDATE SET position = excluded.position`,
      ).run(collection, id, key);
      target.hasTombstones = true;
    }
  }

  async stamped<T extends Doc = Doc>(model: string, ids: readonly string[]): Promise<Map<string, Stamped<T>>> {
    const collection = this.resolve(model);
    const t = this.ensureTable(collection);
    const found = new Map<string, Stamped<T>>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
      const chunk = unique.slice(i, i + IDS_PER_QUERY);
      const marks = chunk.map(() => '?').join(', ');
      const rows = this.statement(
        `SELECT id, body, position FROM ${t} WHERE id IN (${marks})
         UNION ALL SELECT id, NULL AS body, position FROM tombstones WHERE collection = ? AND id IN (${marks})`,
      ).all(...chunk, collection, ...chunk) as Array<{ id: string; body: string | null; position: string | null }>;
      for (const row of rows) {
        // An unstamped document (written directly, or before stamps) is older than any event.
        found.set(row.id, { doc: row.body === null ? null : (JSON.parse(row.body) as T), position: row.position === null ? -1n : positionFromKey(row.position) });
      }
    }
    return found;
  }

  async checkpoint(projection: string): Promise<Position | null> {
    const row = this.statement('SELECT position FROM projection_positions WHERE projection = ?').get(projection) as
      | { position: string }
      | undefined;
    return row ? positionFromKey(row.position) : null;
  }

  async reset(projection: string, collections: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const model of collections) {
        const name = this.resolve(model);
        this.statement(`DELETE FROM ${this.ensureTable(name)}`).run();
        this.statement('DELETE FROM tombstones WHERE collection = ?').run(name);
      }
      this.statement('DELETE FROM projection_positions WHERE projection = ?').run(projection);
    }).immediate();
  }

  async ping(): Promise<void> {
    this.statement('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

class SqliteCollection<T extends Doc> implements Collection<T> {
  constructor(
    /** Runs a query against the model's current table, resolved with it in one transaction. */
    private readonly on: <R>(write: boolean, work: (table: string) => R) => R,
    private readonly statement: (sql: string) => Database.Statement,
  ) {}

  async get(id: string): Promise<T | null> {
    const row = this.on(false, (t) => this.statement(`SELECT body FROM ${t} WHERE id = ?`).get(id) as { body: string } | undefined);
    return row ? (JSON.parse(row.body) as T) : null;
  }

  async upsert(doc: T): Promise<void> {
    this.on(true, (t) =>
      this.statement(`INSERT INTO ${t} (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body`).run(doc.id, JSON.stringify(doc)),
    );
  }

  async patch(id: string, fields: Partial<T>): Promise<boolean> {
    const info = this.on(true, (t) => this.statement(`UPDATE ${t} SET body = json_patch(body, ?) WHERE id = ?`).run(JSON.stringify({ ...fields, id }), id));
    return info.changes > 0;
  }

  async delete(id: string): Promise<boolean> {
    return this.on(true, (t) => this.statement(`DELETE FROM ${t} WHERE id = ?`).run(id).changes) > 0;
  }

  async find(query: FindQuery = {}): Promise<T[]> {
    const { clause, params } = whereClause(query.where);
    const order = (query.sort ?? []).map(([name, direction]) => `${field(name)} ${direction === 'desc' ? 'DESC' : 'ASC'}`);
    order.push('id ASC'); // a stable order for ties
    const rows = this.on(
      false,
      (t) => this.statement(`SELECT body FROM ${t} ${clause} ORDER BY ${order.join(', ')} LIMIT ?`).all(...params, query.limit ?? -1) as Array<{ body: string }>,
    );
    return rows.map((row) => JSON.parse(row.body) as T);
  }

  async count(where?: Where): Promise<number> {
    const { clause, params } = whereClause(where);
    return this.on(false, (t) => (this.statement(`SELECT count(*) AS n FROM ${t} ${clause}`).get(...params) as { n: number }).n);
  }
}

const OPERATORS: Record<keyof Range, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

function whereClause(where: Where | undefined): { clause: string; params: unknown[] } {
  const terms: string[] = [];
  const params: unknown[] = [];
  for (const [name, condition] of Object.entries(where ?? {})) {
    if (condition === null) {
      terms.push(`${field(name)} IS NULL`);
    } else if (typeof condition === 'object') {
      for (const [op, value] of Object.entries(condition) as Array<[keyof Range, number | string | undefined]>) {
        if (value === undefined) continue;
        if (!(op in OPERATORS)) throw new RangeError(`unknown range operator ${op}`);
        terms.push(`${field(name)} ${OPERATORS[op]} ?`);
        params.push(value);
      }
    } else {
      terms.push(`${field(name)} = ?`);
      params.push(sqlValue(condition));
    }
  }
  return terms.length === 0 ? { clause: '', params } : { clause: `WHERE ${terms.join(' AND ')}`, params };
}
