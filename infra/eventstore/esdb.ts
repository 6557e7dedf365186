import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type ReadPosition,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { Observable } from 'rxjs';
import { StreamNotFoundError } from './errors.js';
import { EsdbCheckpoints } from './esdb-checkpoints.js';
import { EsdbHead } from './esdb-head.js';
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
  serverFilter,
  toEsdbEvent,
  toEsdbExpected,
  toRecorded,
  translate,
  unpackPosition,
} from './esdb-mapping.js';

export { eventTypeRegex, packPosition, unpackPosition } from './esdb-mapping.js';

/**
 * How often the server reports progress through filtered-out events: every
 * this many search windows (32 events each by default), so roughly every 320
 * events scanned. Often enough to spare a restart a long rescan, rarely enough
 * not to drown the subscriber in checkpoints.
 */
const CHECKPOINT_INTERVAL = 10;

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
  /** Completes live subscriptions when the store closes. */
  private readonly live = new Set<() => void>();

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

  /**
   * Catch-up then live through one server subscription to $all, filtered on
   * the server. Checkpoints come from the filter's checkpointReached and, once,
   * from the switch to live: the head read before subscribing has then surely
   * been passed, which is what lets a filtered reader of a quiet store record
   * how far it got (the server sends no checkpoint there).
   */
  subscribe(options: SubscribeOptions = {}): Observable<SubscriptionMessage> {
    return new Observable<SubscriptionMessage>((subscriber) => {
      const from = options.from ?? 'start';
      const filter = normalizeFilter(options.filter);
      const after = typeof from === 'object' && from.after > 0n ? from.after : null;
      /** The highest position delivered: no event or checkpoint at or below it goes out again. */
      let reached: Position = after ?? -1n;
      let stopped = false;
      let subscription: AllStreamSubscription | undefined;

      const fail = (error: unknown) => {
        if (stopped) return;
        stopped = true;
        this.live.delete(complete);
        subscriber.error(error);
      };
      const complete = () => {
        if (stopped) return;
        stopped = true;
        subscriber.complete();
      };

      /**
       * The client hands checkpoints and the caught-up signal over while the
       * events before them may still wait in its read buffer; a checkpoint goes
       * out only once they have been delivered, so it never runs ahead of them.
       */
      const delivered = async () => {
        while (!stopped && subscription && subscription.readableLength > 0) await nextTurn();
      };
      const checkpoint = (position: Position) => {
        if (stopped || position <= reached) return;
        reached = position;
        subscriber.next({ kind: 'checkpoint', position });
      };

      const start = async () => {
        const head = await this.headPosition();
        if (stopped) return;
        const fromPosition: ReadPosition = from === 'end' ? END : after === null ? START : unpackPosition(after);
        subscription = this.client.subscribeToAll({
          fromPosition,
          filter: serverFilter(filter, {
            checkpointInterval: CHECKPOINT_INTERVAL,
            checkpointReached: async (_subscription, position) => {
              await delivered();
              checkpoint(packPosition(position));
            },
          }),
        });
        let caughtUp = false;
        subscription.on('data', (resolved: AllStreamResolvedEvent) => {
          const event = resolved.event;
          if (stopped || !event) return;
          const position = packPosition(event.position);
          if (position <= reached) return;
          reached = position;
          if (isSystemType(event.type) || !matchesFilter(filter, event.streamId, event.type)) return;
          subscriber.next({ kind: 'event', event: toRecorded(event, position) });
        });
        subscription.on('caughtUp', () => {
          if (caughtUp || head === null) return;
          caughtUp = true;
          void delivered().then(() => checkpoint(head));
        });
        subscription.on('error', fail);
        // The server ended a subscription nobody cancelled: the subscriber must know, to resubscribe.
        subscription.on('end', () => fail(new Error('EventStoreDB ended the subscription to $all')));
      };

      this.live.add(complete);
      start().catch(fail);
      return () => {
        stopped = true;
        this.live.delete(complete);
        void subscription?.unsubscribe();
      };
    });
  }

  // TODO(issue 9/10): a pulled server subscription with bounded buffering; this bridge buffers without bound meanwhile.
  async *follow(options: FollowOptions = {}): AsyncGenerator<SubscriptionMessage[]> {
    const buffer: SubscriptionMessage[] = [];
    let failure: unknown;
    let wake: (() => void) | undefined;
    const subscription = this.subscribe(options).subscribe({
      next: (message) => {
        buffer.push(message);
        wake?.();
      },
      error: (error: unknown) => {
        failure = error ?? new Error('subscription failed');
        wake?.();
      },
    });
    const abort = () => wake?.();
    options.signal?.addEventListener('abort', abort);
    try {
      for (;;) {
        if (options.signal?.aborted) return;
        if (buffer.length > 0) {
          yield buffer.splice(0, options.maxBatch ?? 500);
          continue;
        }
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      options.signal?.removeEventListener('abort', abort);
      subscription.unsubscribe();
    }
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
    for (const complete of [...this.live]) complete();
    this.live.clear();
    await this.client.dispose();
  }
}
