import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Observable } from 'rxjs';
import { CommitSignal } from './commit-signal.js';
import { observe, positionOf } from './messages.js';
import { LogTail } from './tail.js';
import { EVENT_COLUMNS, SCHEMA, toRecorded, tupleToRecorded, type EventRow, type EventTuple } from './sqlite-rows.js';
import { ActualRevision, StreamNotFoundError, WrongExpectedVersionError } from './errors.js';
import type {
  AppendResult,
  Checkpoint,
  EventData,
  EventFilter,
  EventStore,
  ExpectedRevision,
  FollowOptions,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  SubscriptionMessage,
} from './port.js';

export type SqliteSynchronous = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

export interface SqliteEventStoreOptions {
  /** The database file; several processes may open the same one. */
  file: string;
  /**
   * FULL (our default) makes every acknowledged append survive a power loss;
   * NORMAL only survives a process crash. Group commit makes FULL affordable.
   */
  synchronous?: SqliteSynchronous;
  /** How often a live subscription looks for commits made by other processes. */
  pollMs?: number;
  /** Events per page when catching up. */
  pageSize?: number;
  /** The newest events kept in memory for every follower of this process to share (EVENTSTORE_TAIL_WINDOW). */
  tailWindow?: number;
  now?: () => Date;
}


interface PendingAppend {
  /** Undefined for a checkpoint written on its own. */
  streamId: string | undefined;
  events: readonly EventData[];
  expected: ExpectedRevision;
  checkpoint: Checkpoint | undefined;
  /** When it was first tried: a file locked by another process is waited for, up to BUSY_WAIT_MS from here. */
  since: number;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** How long an append waits for another process's write lock before it fails. */
const BUSY_WAIT_MS = 10_000;
/**
 * How long one attempt blocks the event loop on that lock: between attempts
 * the process serves requests and handles events.
 */
const BUSY_ATTEMPT_MS = 20;

const isBusy = (error: unknown) => error instanceof Database.SqliteError && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED');


/** Catch-up pages are separated by a turn of the event loop so a slow consumer is not flooded. */
/** What a reader learned of its type filter: whether it matches enough rows that reading along the log beats the type index. */
interface TypeScan {
  dense: boolean;
}

/** Reading along the log wins once at least one row in this many matches (measured: 1.7× faster at one in two, 0.8× at one in eight). */
const DENSE_SHARE = 4n;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The embedded event store: EventStoreDB's semantics on one SQLite file.
 *
 * Appends made in the same turn of the event loop are group-committed: one
 * transaction (one fsync) for all of them, each in its own savepoint so that
 * one append's wrong expected version does not fail its neighbours.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly pageSize: number;
  private readonly now: () => Date;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  /** Fires after a commit by this process, and when polling sees another process's commit. */
  private readonly signal: CommitSignal;
  /** The newest events, read once per commit for every follower. */
  private readonly tail: LogTail;
  private busyRetry: NodeJS.Timeout | undefined;
  private closed = false;

  private readonly statements;
  /** Reads with a shape chosen per call (filters, direction) are prepared once per shape. */
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(options: SqliteEventStoreOptions) {
    this.db = new Database(options.file, { timeout: BUSY_WAIT_MS });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.exec(SCHEMA);
    // From here on a locked file is waited for between attempts, not inside one (see flush).
    this.db.pragma(`busy_timeout = ${BUSY_ATTEMPT_MS}`);
    this.signal = new CommitSignal(() => this.db.pragma('data_version', { simple: true }) as number, options.pollMs ?? 20);
    this.pageSize = options.pageSize ?? 1000;
    this.now = options.now ?? (() => new Date());
    this.statements = {
      streamHead: this.db.prepare<[string], { revision: number | null }>(
        'SELECT max(revision) AS revision FROM events WHERE stream_id = ?',
      ),
      idsFrom: this.db.prepare<[string, number, number], { id: string; position: number | bigint }>(
        'SELECT id, position FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
      ),
      revisionOfId: this.db.prepare<[string, string], { revision: number }>(
        'SELECT revision FROM events WHERE stream_id = ? AND id = ? ORDER BY revision LIMIT 1',
      ),
      insert: this.db.prepare(
        `INSERT INTO events (id, stream_id, revision, type, data, metadata, created)
         VALUES (@id, @stream_id, @revision, @type, @data, @metadata, @created)`,
      ),
      head: this.db.prepare<[], { position: number | bigint | null }>('SELECT max(position) AS position FROM events'),
      readCheckpoint: this.db.prepare<[string], { position: number | bigint }>(
        'SELECT position FROM checkpoints WHERE subscriber = ?',
      ),
      // A checkpoint never moves backwards: a late writer cannot undo a newer one.
      writeCheckpoint: this.db.prepare(
        `INSERT INTO checkpoints (subscriber, position) VALUES (?, ?)
         ON CONFLICT (subscriber) DO UPDATE SET position = max(position, excluded.position)`,
      ),
      deleteCheckpoint: this.db.prepare('DELETE FROM checkpoints WHERE subscriber = ?'),
      after: this.db.prepare<[Position, number], EventTuple>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(true),
      // The same expression as events_by_correlation, or SQLite would not use the index.
      correlation: this.db.prepare<[string], EventRow>(
        "SELECT * FROM events WHERE json_extract(metadata, '$.correlationId') = ? ORDER BY position",
      ),
    };
    this.tail = new LogTail(
      {
        readAfter: (after, limit) => this.statements.after.all(after, limit).map(tupleToRecorded),
        head: () => this.currentHead(),
        changes: () => this.signal.changes(),
      },
      options.tailWindow ?? 10_000,
    );
  }

  private currentHead(): Position {
    return BigInt(this.statements.head.get()?.position ?? 0);
  }

  append(
    streamId: string,
    events: readonly EventData[],
    expectedRevision: ExpectedRevision = 'any',
    options: { checkpoint?: Checkpoint } = {},
  ): Promise<AppendResult> {
    return this.enqueue({ streamId, events, expected: expectedRevision, checkpoint: options.checkpoint });
  }

  private enqueue(append: Omit<PendingAppend, 'resolve' | 'reject' | 'since'>): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ ...append, since: Date.now(), resolve, reject });
      if (!this.flushScheduled && !this.busyRetry) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes every append queued since the last flush in one transaction. */
  private flush(): void {
    this.flushScheduled = false;
    this.busyRetry = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
    let wrote = false;
    const one = this.db.transaction((append: PendingAppend) => {
      const outcome = append.streamId === undefined ? { result: { nextExpectedRevision: -1, position: 0n }, written: false } : this.appendNow(append as PendingAppend & { streamId: string });
      if (append.checkpoint) this.saveCheckpoint(append.checkpoint);
      return outcome;
    });
    const all = this.db.transaction(() => {
      for (const append of batch) {
        try {
          const { result, written } = one(append);
          wrote ||= written;
          outcomes.push({ ok: true, result });
        } catch (error) {
          // The savepoint of this append rolled back; its neighbours go on.
          outcomes.push({ ok: false, error });
        }
      }
    });
    try {
      // IMMEDIATE: take the write lock up front. A deferred BEGIN reads first and
      // then must upgrade, which fails at once (SQLITE_BUSY_SNAPSHOT, no busy
      // wait) when another process wrote in between.
      all.immediate();
    } catch (error) {
      // Nothing was written. Another process holding the lock is waited for
      // without blocking this one; past BUSY_WAIT_MS, or for any other error, the appends fail.
      const waiting = isBusy(error) && !this.closed ? batch.filter((append) => Date.now() - append.since < BUSY_WAIT_MS) : [];
      for (const append of batch) if (!waiting.includes(append)) append.reject(error);
      if (waiting.length > 0) {
        this.pending = [...waiting, ...this.pending];
        this.busyRetry = setTimeout(() => this.flush(), BUSY_ATTEMPT_MS);
      }
      return;
    }
    batch.forEach((append, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) append.resolve(outcome.result);
      else append.reject(outcome.error);
    });
    if (wrote) this.signal.committed();
  }

  /** Runs inside a savepoint. Implements EventStoreDB's expected-revision and idempotency rules. */
  private appendNow({ streamId, events, expected }: PendingAppend & { streamId: string }): { result: AppendResult; written: boolean } {
    const current = this.statements.streamHead.get(streamId)?.revision ?? -1;
    const actual: ActualRevision = current === -1 ? 'no_stream' : current;
    const fail = () => new WrongExpectedVersionError(streamId, expected, actual);

    // Where would these events already be, if this is a retry of an earlier append?
    let retryFrom: number | undefined;
    if (typeof expected === 'number') {
      if (expected < -1) throw new RangeError(`expected revision ${expected} is not valid`);
      if (current === expected) retryFrom = undefined;
      else if (current > expected) retryFrom = expected + 1;
      else throw fail();
    } else if (expected === 'no_stream') {
      if (current !== -1) retryFrom = 0;
    } else {
      if (expected === 'stream_exists' && current === -1) throw fail();
      const firstId = events[0]?.id;
      if (firstId !== undefined) retryFrom = this.statements.revisionOfId.get(streamId, firstId)?.revision;
    }

    if (retryFrom !== undefined) {
      const existing = this.statements.idsFrom.all(streamId, retryFrom, events.length);
      const same = events.length > 0 && existing.length === events.length && events.every((e, i) => e.id === existing[i]!.id);
      if (!same) throw fail();
      return {
        result: { nextExpectedRevision: retryFrom + events.length - 1, position: BigInt(existing.at(-1)!.position), fresh: false },
        written: false,
      };
    }

    const created = this.now().getTime();
    let position: Position = 0n;
    events.forEach((event, i) => {
      const info = this.statements.insert.run({
        id: event.id ?? randomUUID(),
        stream_id: streamId,
        revision: current + 1 + i,
        type: event.type,
        data: JSON.stringify(event.data ?? null),
        metadata: JSON.stringify(event.metadata ?? {}),
        created,
      });
      position = BigInt(info.lastInsertRowid);
    });
    if (events.length === 0) position = BigInt(this.statements.head.get()?.position ?? 0);
    return { result: { nextExpectedRevision: current + events.length, position, fresh: true }, written: events.length > 0 };
  }

  private saveCheckpoint({ subscriber, position }: Checkpoint): void {
    this.statements.writeCheckpoint.run(subscriber, position);
  }

  async readCheckpoint(subscriber: string): Promise<Position | null> {
    const row = this.statements.readCheckpoint.get(subscriber);
    return row ? BigInt(row.position) : null;
  }

  /** Group-committed with the appends, so that it neither costs its own fsync nor blocks on another process's lock. */
  async writeCheckpoint(checkpoint: Checkpoint): Promise<void> {
    await this.enqueue({ streamId: undefined, events: [], expected: 'any', checkpoint });
  }

  /** Forgets a checkpoint so the subscriber reads from the start again (replay, tests). */
  async resetCheckpoint(subscriber: string): Promise<void> {
    this.statements.deleteCheckpoint.run(subscriber);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const limit = options.maxCount ?? -1;
    const rows = this.statement(
      `SELECT * FROM events WHERE stream_id = ? AND revision ${backwards ? '<=' : '>='} ?
       ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT ?`,
    ).all(streamId, from, limit) as EventRow[];
    if (rows.length === 0 && this.statements.streamHead.get(streamId)?.revision == null) {
      throw new StreamNotFoundError(streamId);
    }
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readPage(options.after ?? 0n, options.maxCount ?? this.pageSize, options.filter).rows.map(tupleToRecorded);
  }

  async readCorrelation(correlationId: string): Promise<RecordedEvent[]> {
    return this.statements.correlation.all(correlationId).map(toRecorded);
  }

  /**
   * One page after `after`, read in one snapshot with the head at that moment,
   * so a filtered reader that reached the end of the page knows it has seen
   * everything up to the head.
   */
  private readPage(after: Position, limit: number, filter: EventFilter | undefined, scan: TypeScan = { dense: true }): { rows: EventTuple[]; head: Position } {
    const where: string[] = ['position > ?', 'position <= ?'];
    const params: unknown[] = [];
    if (filter?.streamPrefixes?.length) {
      // substr() rather than LIKE: stream names may contain % and _.
      where.push(`(${filter.streamPrefixes.map(() => 'substr(stream_id, 1, ?) = ?').join(' OR ')})`);
      for (const prefix of filter.streamPrefixes) params.push(prefix.length, prefix);
    }
    const types = filter?.eventTypes ?? [];
    const select = (typeTerm: string) =>
      this.statement(`SELECT ${EVENT_COLUMNS} FROM events WHERE ${[...where, ...(typeTerm ? [typeTerm] : [])].join(' AND ')} ORDER BY position LIMIT ?`).raw(true);
    const read = this.db.transaction(() => {
      const head = BigInt(this.statements.head.get()?.position ?? 0);
      if (types.length === 0) return { rows: select('').all(after, head, ...params, limit) as EventTuple[], head };
      // Two plans for a filter by type. Through the (type, position) index,
      // SQLite finds each type's rows and sorts them; along the log itself
      // ("+type" keeps it off the index) it reads every row and keeps the
      // matching ones, in order, with no sort. Which is cheaper depends on how
      // many rows match, which SQLite cannot know without statistics: the
      // reader measures it on each span and picks for the next one (a
      // projector's catch-up matches most rows, a single reaction's few).
      // Either way the log is read in spans of positions (dense in this
      // store), so an index sort never takes in every later row of those
      // types for each page: a catch-up quadratic in the log's length.
      const list = types.map(() => '?').join(', ');
      const byType = select(`type IN (${list})`);
      const alongLog = select(`+type IN (${list})`);
      const span = BigInt(limit) * 8n;
      const rows: EventTuple[] = [];
      for (let from = after; rows.length < limit && from < head; from += span) {
        const to = from + span < head ? from + span : head;
        const want = limit - rows.length;
        const found = (scan.dense ? alongLog : byType).all(from, to, ...params, ...types, want) as EventTuple[];
        rows.push(...found);
        // How much of the span those rows took: all of it, unless the page filled first.
        const covered = found.length === want ? BigInt(found.at(-1)![0]) - from : to - from;
        scan.dense = covered > 0n && BigInt(found.length) * DENSE_SHARE >= covered;
      }
      return { rows, head };
    });
    return read.deferred();
  }

  subscribe(options: SubscribeOptions = {}): Observable<SubscriptionMessage> {
    return observe((signal) => this.follow({ ...options, signal }));
  }

  /**
   * Served from the shared tail while the reader keeps up with the log; a
   * reader behind it reads pages of its own, filtered in SQL, and joins the
   * tail once it gets there.
   */
  async *follow(options: FollowOptions = {}): AsyncGenerator<SubscriptionMessage[]> {
    const { filter, signal } = options;
    const max = options.maxBatch ?? 500;
    const from = options.from ?? 'start';
    let cursor: Position = from === 'start' ? 0n : from === 'end' ? this.currentHead() : from.after;
    const scan: TypeScan = { dense: true };
    this.tail.join();
    try {
      for (;;) {
        if (signal?.aborted) return;
        if (this.closed) throw new Error('event store is closed');
        this.tail.refresh(cursor > this.tail.head);
        const shared = this.tail.read(cursor, filter, max);
        if (shared) {
          cursor = positionOf(shared.at(-1)!);
          yield shared;
          continue;
        }
        if (cursor >= this.tail.head) {
          await this.tail.changed(signal);
          continue;
        }
        const { rows, head } = this.readPage(cursor, Math.min(max, this.pageSize), filter, scan);
        const batch: SubscriptionMessage[] = rows.map((row) => ({ kind: 'event', event: tupleToRecorded(row) }));
        if (rows.length < Math.min(max, this.pageSize) && head > (batch.length ? positionOf(batch.at(-1)!) : cursor)) {
          batch.push({ kind: 'checkpoint', position: head });
        }
        if (batch.length > 0) {
          cursor = positionOf(batch.at(-1)!);
          yield batch;
        }
        // A long catch-up leaves room for timers and requests between pages.
        await nextTurn();
      }
    } finally {
      this.tail.leave();
    }
  }

  private statement(sql: string): Database.Statement {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  async headPosition(): Promise<Position | null> {
    const head = this.statements.head.get()?.position;
    return head == null ? null : BigInt(head);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.busyRetry);
    this.flush();
    this.closed = true;
    this.signal.close();
    this.db.close();
  }
}


