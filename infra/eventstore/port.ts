import type { Observable } from 'rxjs';

/**
 * The event store port. Its semantics are EventStoreDB's, because production
 * runs on EventStoreDB; the embedded SQLite adapter imitates them exactly so
 * that code tested here behaves the same there.
 */

/** Correlation and causation travel with every event; anything else may too. */
export interface Metadata {
  correlationId?: string;
  causationId?: string;
  [key: string]: unknown;
}

/** An event to append. Without an id the store makes a random one (no idempotency). */
export interface EventData<Type extends string = string, Data = unknown> {
  id?: string;
  type: Type;
  data: Data;
  metadata?: Metadata;
}

/**
 * A position in the global order ($all). Opaque but totally ordered: compare
 * with `<`. SQLite uses its row sequence; EventStoreDB packs commit and prepare
 * positions into one bigint (see esdb.ts).
 */
export type Position = bigint;

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  data: Data;
  metadata: Metadata;
  streamId: string;
  /** 0 for the first event of a stream. */
  revision: number;
  position: Position;
  created: Date;
}

/** EventStoreDB's expected revisions: any, no_stream, stream_exists or an exact revision. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendResult {
  /** The revision of the stream's last event after this append. */
  nextExpectedRevision: number;
  /** The position of the last event of this append (or of the already-written one). */
  position: Position;
  /**
   * True when these events were written now; false when the append matched
   * events already there (an idempotent retry, whose events may have been
   * decided differently); absent when the engine does not say.
   */
  fresh?: boolean;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: number;
  maxCount?: number;
}

export interface EventFilter {
  /** Stream-name prefixes, e.g. `seat-`, `payment-`. Any of them matches. */
  streamPrefixes?: readonly string[];
  /** Event types. Any of them matches. */
  eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: the read starts after this position. Omit to start at the beginning. */
  after?: Position;
  maxCount?: number;
  filter?: EventFilter;
}

export interface Checkpoint {
  subscriber: string;
  position: Position;
}

export type SubscriptionStart = 'start' | 'end' | { after: Position };

export interface SubscribeOptions {
  from?: SubscriptionStart;
  filter?: EventFilter;
}

export interface FollowOptions extends SubscribeOptions {
  /** The most messages in one batch (default 500). */
  maxBatch?: number;
  /** Ends the iteration, also while it waits for new events. */
  signal?: AbortSignal;
}

export interface EventStore {
  /** Which engine this is, for /health and the CLI. */
  readonly kind: 'sqlite' | 'eventstoredb';
  /**
   * Appends atomically. With `checkpoint`, a subscriber's checkpoint moves in the
   * same commit where the engine allows it (SQLite); elsewhere it is written
   * right after, which idempotent event ids make safe.
   */
  append(
    streamId: string,
    events: readonly EventData[],
    expectedRevision?: ExpectedRevision,
    options?: { checkpoint?: Checkpoint },
  ): Promise<AppendResult>;
  /** How far a named subscriber (a reaction) has handled $all. */
  readCheckpoint(subscriber: string): Promise<Position | null>;
  writeCheckpoint(checkpoint: Checkpoint): Promise<void>;
  /** Forgets a checkpoint, so the subscriber starts from the beginning again (replay). */
  resetCheckpoint(subscriber: string): Promise<void>;
  /** Throws StreamNotFoundError for a stream with no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** One page of $all in global order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Every event whose metadata carries this correlationId, in global ($all)
   * order, with their $all positions: one saga's story without scanning $all.
   * An unknown correlation is an empty list, not an error. On EventStoreDB it
   * is read from a server projection written behind $all, so the newest
   * appends may show up a moment late (see esdb-correlation.ts).
   */
  readCorrelation(correlationId: string): Promise<RecordedEvent[]>;
  /** Catch-up from `from`, then live, in global order, never a gap or a repeat. */
  subscribe(options?: SubscribeOptions): Observable<SubscriptionMessage>;
  /**
   * The same messages, pulled: each batch is read only when the reader asks
   * for it, so a slow reader slows its own reads and nothing queues up behind
   * it. A batch is never empty; the iteration ends only when the reader stops
   * (`return()`), and throws when the store fails (the reader then follows
   * again from its last handled position).
   */
  follow(options?: FollowOptions): AsyncIterable<SubscriptionMessage[]>;
  /** The position of the last event in $all, or null when the store is empty. */
  headPosition(): Promise<Position | null>;
  /** Answers when the store is reachable; throws otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function matchesFilter(filter: EventFilter | undefined, streamId: string, type: string): boolean {
  if (!filter) return true;
  if (filter.streamPrefixes && !filter.streamPrefixes.some((prefix) => streamId.startsWith(prefix))) return false;
  if (filter.eventTypes && !filter.eventTypes.includes(type)) return false;
  return true;
}

/**
 * What a subscription delivers: events, and checkpoints that say every event
 * up to a position has been delivered (those the filter left out included), so
 * a filtered reader can record how far it has really read.
 */
export type SubscriptionMessage =
  | { kind: 'event'; event: RecordedEvent }
  | { kind: 'checkpoint'; position: Position };
