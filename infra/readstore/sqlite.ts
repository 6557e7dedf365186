import Database from 'better-sqlite3';
import type { Position } from '../eventstore/port.js';
import type { Collection, CollectionSpec, Doc, DocChange, FieldValue, FindQuery, Range, ReadStore, Where } from './port.js';
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

/**
 * The embedded read store: one table per collection holding JSON bodies, an
 * expression index per declared field, and projection checkpoints in the same
 * file so a projection's documents and its checkpoint commit together.
 */
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
    this.db.exec(`CREATE TABLE IF NOT EXISTS projection_checkpoints (
      projection TEXT PRIMARY KEY,
      position   INTEGER NOT NULL
    )`);
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
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${t} (id TEXT PRIMARY KEY, body TEXT NOT NULL)`);
      this.declared.add(name);
    }
    return t;
  }

  async collection<T extends Doc = Doc>(spec: CollectionSpec): Promise<Collection<T>> {
    const t = this.ensureTable(spec.name);
    for (const index of spec.indexes ?? []) {
      const fields = typeof index === 'string' ? [index] : index;
      const name = `${t}_${fields.map((f) => checkName('field', f)).join('_')}`;
      if (this.indexed.has(name)) continue;
      this.db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON ${t} (${fields.map(field).join(', ')})`);
      this.indexed.add(name);
    }
    return new SqliteCollection<T>(t, (sql) => this.statement(sql));
  }

  async commit(projection: string, position: Position, changes: readonly DocChange[]): Promise<void> {
    this.db.transaction(() => {
      for (const change of changes) {
        const t = this.ensureTable(change.collection);
        if (change.op === 'upsert') {
          this.statement(`INSERT INTO ${t} (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body`).run(
            change.doc.id,
            JSON.stringify(change.doc),
          );
        } else {
          this.statement(`DELETE FROM ${t} WHERE id = ?`).run(change.id);
        }
      }
      this.statement(
        `INSERT INTO projection_checkpoints (projection, position) VALUES (?, ?)
         ON CONFLICT (projection) DO UPDATE SET position = excluded.position`,
      ).run(projection, position);
    }).immediate();
  }

  async checkpoint(projection: string): Promise<Position | null> {
    const row = this.statement('SELECT position FROM projection_checkpoints WHERE projection = ?').get(projection) as
      | { position: number | bigint }
      | undefined;
    return row ? BigInt(row.position) : null;
  }

  async reset(projection: string, collections: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const name of collections) this.statement(`DELETE FROM ${this.ensureTable(name)}`).run();
      this.statement('DELETE FROM projection_checkpoints WHERE projection = ?').run(projection);
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
    private readonly table: string,
    private readonly statement: (sql: string) => Database.Statement,
  ) {}

  async get(id: string): Promise<T | null> {
    const row = this.statement(`SELECT body FROM ${this.table} WHERE id = ?`).get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as T) : null;
  }

  async upsert(doc: T): Promise<void> {
    this.statement(`INSERT INTO ${this.table} (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body`).run(
      doc.id,
      JSON.stringify(doc),
    );
  }

  async patch(id: string, fields: Partial<T>): Promise<boolean> {
    const info = this.statement(`UPDATE ${this.table} SET body = json_patch(body, ?) WHERE id = ?`).run(
      JSON.stringify({ ...fields, id }),
      id,
    );
    return info.changes > 0;
  }

  async delete(id: string): Promise<boolean> {
    return this.statement(`DELETE FROM ${this.table} WHERE id = ?`).run(id).changes > 0;
  }

  async find(query: FindQuery = {}): Promise<T[]> {
    const { clause, params } = whereClause(query.where);
    const order = (query.sort ?? []).map(([name, direction]) => `${field(name)} ${direction === 'desc' ? 'DESC' : 'ASC'}`);
    order.push('id ASC'); // a stable order for ties
    const rows = this.statement(
      `SELECT body FROM ${this.table} ${clause} ORDER BY ${order.join(', ')} LIMIT ?`,
    ).all(...params, query.limit ?? -1) as Array<{ body: string }>;
    return rows.map((row) => JSON.parse(row.body) as T);
  }

  async count(where?: Where): Promise<number> {
    const { clause, params } = whereClause(where);
    const row = this.statement(`SELECT count(*) AS n FROM ${this.table} ${clause}`).get(...params) as { n: number };
    return row.n;
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
