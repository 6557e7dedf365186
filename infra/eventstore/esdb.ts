import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
} from '@eventstore/db-client';
import type { Observable } from 'rxjs';
import { StreamNotFoundError } from './errors.js';
import { EsdbCheckpoints } from './esdb-checkpoints.js';
import { EsdbHead } from './esdb-head.js';
import { followAll, type Readers } from './esdb-follow.js';
import { observe } from './messages.js';
import { readCorrelationStream } from './esdb-correlation.js';
import {
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
  packPosition,
  positionOf,
  toEsdbEvent,
  toEsdbExpected,
  toRecorded,
  translate,
} from './esdb-mapping.js';

export { eventTypeRegex, packPosition, unpackPosition } from './esdb-mapping.js';

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
  /** Set once a `$bc-` stream has been read: the server runs `$by_correlation_id` (see readCorrelation). */
  private correlationProjection = false;
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
   * One page of $all, filtered on the server: a subscription from `after`
   * with the filter, ended at the last record that existed when the read
   * began (or at maxCount). The client's own $all read has no filter, so
   * reading it would bring every record here, the server's own included;
   * the $et-/$ce- projections are no substitute: each is a separate stream
   * written behind $all, so merging them could skip an event not linked yet.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    if (this.closed) throw new Error('event store is closed');
    const limit = options.maxCount ?? DEFAULT_PAGE;
    if (limit <= 0) return [];
    const after = options.after !== undefined && options.after > 0n ? options.after : null;
    const lastRecord = await this.head.last();
    if (lastRecord === null || (after !== null && after >= lastRecord)) return [];
    const events: RecordedEvent[] = [];
    const pages = followAll(
      this.client,
      this.head,
      { from: after === null ? 'start' : { after }, filter: options.filter, maxBatch: Math.min(limit, DEFAULT_PAGE), lastRecord },
      this.readers,
    );
    for await (const batch of pages) {
      for (const message of batch) {
        if (message.kind === 'event') events.push(message.event);
        const reached = message.kind === 'event' ? message.event.position : message.position;
        if (events.length >= limit || reached >= lastRecord) return events;
      }
    }
    return events;
  }

  /**
   * From the saga's own stream, `$bc-<correlationId>` (see
   * esdb-correlation.ts), rather than all of $all. Without it, the events are
   * found the slow way, by reading $all and keeping the correlation's: when
   * the stream is missing because the server does not run the projection (a
   * server without --run-projections=System, or with it stopped), and when the
   * server sends no positions on stream reads (before 22.6). A missing stream
   * can also mean a correlation without events; once this store has read any
   * `$bc-` stream, the projection is known to run and that is what it means.
   */
  async readCorrelation(correlationId: string): Promise<RecordedEvent[]> {
    if (this.closed) throw new Error('event store is closed');
    const linked = await readCorrelationStream(this.client, correlationId);
    if (Array.isArray(linked)) {
      this.correlationProjection = true;
      return linked;
    }
    if (linked === 'no-stream' && this.correlationProjection) return [];
    const events: RecordedEvent[] = [];
    let after: Position | undefined;
    for (;;) {
      const page = await this.readAll({ after, maxCount: DEFAULT_PAGE });
      for (const event of page) if (event.metadata.correlationId === correlationId) events.push(event);
      if (page.length < DEFAULT_PAGE) return events;
      after = page.at(-1)!.position;
    }
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
