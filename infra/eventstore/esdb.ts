import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  type ReadPosition,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import type { Observable } from 'rxjs';
import { StreamNotFoundError } from './errors.js';
import { EsdbCheckpoints } from './esdb-checkpoints.js';
import { EsdbHead } from './esdb-head.js';
import { followAll, type Readers } from './esdb-follow.js';
import { observe } from './messages.js';
import {
  matchesFilter,
  type AppendResult,
  type Checkpoint,
  type EventData,
  type EventStore,
  type ExpectedRevision,
  type FollowOptions,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type SubscriptionMessage,
} from './port.js';
import {
  checkExpected,
  isSystemType,
  normalizeFilter,
  packPosition,
  positionOf,
  toEsdbEvent,
  toEsdbExpected,
  toRecorded,
  translate,
  unpackPosition,
} from './esdb-mapping.js';

export { eventTypeRegex, packPosition, unpackPosition } from './esdb-mapping.js';

/** Raw $all events asked for per read while scanning with a filter applied here. */
const SCAN_PAGE = 1000;

/** readAll without maxCount returns this many events, like the embedded store's page. */
const DEFAULT_PAGE = 1000;


/**
 * The event store on EventStoreDB / KurrentDB through the gRPC client. It keeps
 * the port's semantics, which are EventStoreDB's own: expected revisions and
 * idempotent appends are the server's; $all positions are packed (see above);
 * reads and subscriptions leave system events out.
 */
export class EsdbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private closed = false;
  /** Ends every reader when the store closes. */
  private readonly closing = new AbortController();
  private readonly readers: Readers = { closing: this.closing.signal, open: new Set() };

  private readonly checkpoints: EsdbCheckpoints;
  private readonly head: EsdbHead;

  private constructor(private readonly client: EventStoreDBClient) {
    this.head = new EsdbHead(client);
    this.checkpoints = new EsdbCheckpoints(client, (streamId, options) => this.readStream(streamId, options));
  }

  /** Over a client made elsewhere (other credentials, a scripted client in tests); `close` disposes it. */
  static over(client: EventStoreDBClient): EsdbEventStore {
    return new EsdbEventStore(client);
  }

  /** `url` is a connection string, e.g. `esdb://localhost:2113?tls=false`. */
  static async connect(url: string): Promise<EsdbEventStore> {
    const store = EsdbEventStore.over(EventStoreDBClient.connectionString(url));
    try {
      await store.ping();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /**
   * With a checkpoint, the events are written first and the checkpoint right
   * after: EventStoreDB cannot commit two streams at once. A crash in between
   * leaves the checkpoint behind, so the subscriber handles the source event
   * again and re-appends the same deterministic event ids, which the server
   * recognises as already written: the replay is harmless.
   */
  async append(
    streamId: string,
    events: readonly EventData[],
    expectedRevision: ExpectedRevision = 'any',
    options: { checkpoint?: Checkpoint } = {},
  ): Promise<AppendResult> {
    const result =
      events.length === 0
        ? await this.appendNothing(streamId, expectedRevision)
        : await this.appendEvents(streamId, events, expectedRevision);
    if (options.checkpoint) await this.writeCheckpoint(options.checkpoint);
    return result;
  }

  private async appendEvents(streamId: string, events: readonly EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    const esdbExpected = toEsdbExpected(expected);
    let written;
    try {
      written = await this.client.appendToStream(streamId, events.map(toEsdbEvent), { expectedRevision: esdbExpected });
    } catch (error) {
      throw translate(error, streamId, expected);
    }
    const nextExpectedRevision = Number(written.nextExpectedRevision);
    // One new event: the append's position is that event's. For a
    // multi-event append the server does not promise that the reported
    // position is the last event's, and an idempotent retry reports none, so
    // those read the last event back: the caller gets a position it can
    // compare with the positions $all and subscriptions deliver.
    if (events.length === 1 && written.position) return { nextExpectedRevision, position: packPosition(written.position) };
    const [last] = await this.readStream(streamId, { direction: 'backwards', fromRevision: nextExpectedRevision, maxCount: 1 });
    const position = last && last.position > 0n ? last.position : written.position ? packPosition(written.position) : 0n;
    return { nextExpectedRevision, position };
  }

  /** Nothing to write: the expectation is still checked, as the embedded store does. */
  private async appendNothing(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    toEsdbExpected(expected);
    const current = await this.streamRevision(streamId);
    checkExpected(streamId, expected, current);
    return { nextExpectedRevision: current, position: (await this.headPosition()) ?? 0n };
  }

  /** The revision of the stream's last event, or -1 when it has none. */
  private async streamRevision(streamId: string): Promise<number> {
    try {
      const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
      return last?.revision ?? -1;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return -1;
      throw error;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    // The client reads "no limit" for a missing count; zero still has to tell a missing stream.
    const maxCount = options.maxCount === undefined ? undefined : Math.max(options.maxCount, 1);
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
      ...(maxCount === undefined ? {} : { maxCount }),
    });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) {
        if (resolved.event) events.push(toRecorded(resolved.event, positionOf(resolved.event)));
      }
    } catch (error) {
      throw translate(error, streamId);
    }
    return options.maxCount === 0 ? [] : events;
  }

  /**
   * $all in one direction, page by page, without system events, strictly
   * after (forwards) or before (backwards) `from` when it is given. The
   * client's $all read has no filter, so filters apply here.
   */
  private async *scan(
    direction: 'forwards' | 'backwards',
    from: Position | null,
  ): AsyncGenerator<{ event: EsdbRecordedEvent; position: Position }> {
    const forwards = direction === 'forwards';
    let boundary = from;
    for (;;) {
      const fromPosition: ReadPosition = boundary === null ? (forwards ? START : END) : unpackPosition(boundary);
      const read = this.client.readAll({ direction: forwards ? FORWARDS : BACKWARDS, fromPosition, maxCount: SCAN_PAGE });
      let seen = 0;
      let last: Position | null = null;
      let finished = false;
      try {
        for await (const resolved of read) {
          seen += 1;
          const event = resolved.event;
          if (!event) continue;
          const position = packPosition(event.position);
          last = position;
          // A read from a position includes the event there; the port's bounds are exclusive.
          if (boundary !== null && (forwards ? position <= boundary : position >= boundary)) continue;
          if (isSystemType(event.type)) continue;
          yield { event, position };
        }
        finished = true;
      } finally {
        // The caller stopped early: end the server's read instead of letting it stream on.
        if (!finished) await read.cancel();
      }
      if (seen < SCAN_PAGE || last === null) return;
      boundary = last;
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? DEFAULT_PAGE;
    const filter = normalizeFilter(options.filter);
    const after = options.after !== undefined && options.after > 0n ? options.after : null;
    const events: RecordedEvent[] = [];
    if (limit <= 0) return events;
    for await (const { event, position } of this.scan('forwards', after)) {
      if (!matchesFilter(filter, event.streamId, event.type)) continue;
      events.push(toRecorded(event, position));
      if (events.length >= limit) break;
    }
    return events;
  }

  /** The push view of `follow`: one code path for both. */
  subscribe(options: SubscribeOptions = {}): Observable<SubscriptionMessage> {
    return observe((signal) => this.follow({ ...options, signal }));
  }

  /** Pulled from one server subscription to $all, filtered on the server (see esdb-follow.ts). Closing the store ends it. */
  async *follow(options: FollowOptions = {}): AsyncGenerator<SubscriptionMessage[]> {
    if (this.closed) throw new Error('event store is closed');
    yield* followAll(this.client, this.head, options, this.readers);
  }

  async readCheckpoint(subscriber: string): Promise<Position | null> {
    return this.checkpoints.read(subscriber);
  }

  async writeCheckpoint({ subscriber, position }: Checkpoint): Promise<void> {
    await this.checkpoints.write(subscriber, position);
  }

  async resetCheckpoint(subscriber: string): Promise<void> {
    await this.checkpoints.reset(subscriber);
  }

  async headPosition(): Promise<Position | null> {
    return this.head.lastEvent();
  }

  async ping(): Promise<void> {
    await this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, deadline: 5_000 }).toArray();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    // Their server subscriptions end before the client goes.
    await Promise.all([...this.readers.open].map((reader) => reader.close()));
    await this.client.dispose();
  }
}
