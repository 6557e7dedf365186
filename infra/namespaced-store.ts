import type { Observable } from 'rxjs';
import { mapFollowed, observe } from './eventstore/messages.js';
import { StreamNotFoundError, WrongExpectedVersionError } from './eventstore/errors.js';
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
} from './eventstore/port.js';

/** How many namespace events one head scan asks for at a time. */
const HEAD_PAGE = 1000;
/** The marker stream's only event: where the namespace began. */
const STARTED = '$NamespaceStarted';

export const isNamespaceName = (name: string) => /^[A-Za-z0-9]{1,64}$/.test(name);

/**
 * One system's share of an event store that others write to as well
 * (EVENTSTORE_NAMESPACE): every stream and checkpoint of this system is named
 * `<namespace>_<name>` on the server, and this system sees only those. $all
 * reads, subscriptions and the head are this namespace's, with the server's
 * global positions. It is how the test suite gives every test its own empty
 * store on one shared EventStoreDB; a staging copy could share a server the
 * same way.
 *
 * The stream `<namespace>` holds one event written when the namespace is first
 * opened; nothing of the namespace precedes it, so $all scans (the head,
 * reads from the start) begin there instead of at the beginning of the log.
 */
export class NamespacedEventStore implements EventStore {
  private readonly prefix: string;
  /** The namespace's last event seen by a head scan. */
  private knownHead: Position | null = null;
  /** Every event up to here has been scanned: the next scan resumes after it, whoever wrote since. */
  private scannedTo: Position | null = null;

  private constructor(
    private readonly inner: EventStore,
    readonly namespace: string,
    /** The marker's position: every event of the namespace comes after it. */
    private readonly floor: Position,
  ) {
    this.prefix = `${namespace}_`;
  }

  get kind(): EventStore['kind'] {
    return this.inner.kind;
  }

  static async open(inner: EventStore, namespace: string): Promise<NamespacedEventStore> {
    if (!isNamespaceName(namespace)) throw new RangeError(`a namespace is 1 to 64 letters and digits, got "${namespace}"`);
    return new NamespacedEventStore(inner, namespace, await NamespacedEventStore.marker(inner, namespace));
  }

  /** The marker's position, writing it when this is the namespace's first opening (of racing openers, one wins). */
  private static async marker(inner: EventStore, namespace: string): Promise<Position> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const [first] = await inner.readStream(namespace, { maxCount: 1 });
        if (first) return first.position;
      } catch (error) {
        if (!(error instanceof StreamNotFoundError)) throw error;
      }
      try {
        return (await inner.append(namespace, [{ type: STARTED, data: { namespace } }], 'no_stream')).position;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
    throw new Error(`namespace ${namespace}: could not read or write its marker stream`);
  }

  private inside = (name: string) => `${this.prefix}${name}`;

  private outside = <T extends RecordedEvent>(event: T): T => ({ ...event, streamId: event.streamId.slice(this.prefix.length) });

  /** The caller's filter, narrowed to this namespace's streams. */
  private scoped(filter: EventFilter | undefined): EventFilter {
    const prefixes = filter?.streamPrefixes?.length ? filter.streamPrefixes : [''];
    return { ...(filter?.eventTypes?.length ? { eventTypes: filter.eventTypes } : {}), streamPrefixes: prefixes.map(this.inside) };
  }

  /** Errors name the stream as the caller knows it. */
  private translate(error: unknown): unknown {
    if (error instanceof WrongExpectedVersionError && error.streamId.startsWith(this.prefix)) {
      return new WrongExpectedVersionError(error.streamId.slice(this.prefix.length), error.expected, error.actual);
    }
    if (error instanceof StreamNotFoundError && error.streamId.startsWith(this.prefix)) {
      return new StreamNotFoundError(error.streamId.slice(this.prefix.length));
    }
    return error;
  }

  private after(position: Position | undefined): Position {
    return position !== undefined && position > this.floor ? position : this.floor;
  }

  async append(
    streamId: string,
    events: readonly EventData[],
    expectedRevision?: ExpectedRevision,
    options: { checkpoint?: Checkpoint } = {},
  ): Promise<AppendResult> {
    const checkpoint = options.checkpoint && { ...options.checkpoint, subscriber: this.inside(options.checkpoint.subscriber) };
    try {
      return await this.inner.append(this.inside(streamId), events, expectedRevision, checkpoint ? { checkpoint } : {});
    } catch (error) {
      throw this.translate(error);
    }
  }

  readCheckpoint(subscriber: string): Promise<Position | null> {
    return this.inner.readCheckpoint(this.inside(subscriber));
  }

  writeCheckpoint(checkpoint: Checkpoint): Promise<void> {
    return this.inner.writeCheckpoint({ ...checkpoint, subscriber: this.inside(checkpoint.subscriber) });
  }

  resetCheckpoint(subscriber: string): Promise<void> {
    return this.inner.resetCheckpoint(this.inside(subscriber));
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    try {
      return (await this.inner.readStream(this.inside(streamId), options)).map(this.outside);
    } catch (error) {
      throw this.translate(error);
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const events = await this.inner.readAll({ ...options, after: this.after(options.after), filter: this.scoped(options.filter) });
    return events.map(this.outside);
  }

  /**
   * Correlation ids are not namespaced (only streams are), so another system
   * on the same server could use the same one: only this namespace's streams
   * are kept. Ids are uuids or derived from them, so it is a safeguard.
   */
  async readCorrelation(correlationId: string): Promise<RecordedEvent[]> {
    const events = await this.inner.readCorrelation(correlationId);
    return events.filter((event) => event.streamId.startsWith(this.prefix)).map(this.outside);
  }

  subscribe(options: SubscribeOptions = {}): Observable<SubscriptionMessage> {
    return observe((signal) => this.follow({ ...options, signal }));
  }

  follow(options: FollowOptions = {}): AsyncIterable<SubscriptionMessage[]> {
    const from = options.from ?? 'start';
    return mapFollowed(
      this.inner.follow({
        ...options,
        from: from === 'end' ? 'end' : { after: this.after(from === 'start' ? undefined : from.after) },
        filter: this.scoped(options.filter),
      }),
      this.outside,
    );
  }

  /**
   * The namespace's last event: a forward scan of what was committed since the
   * last scan (from the marker the first time), never the whole log. Positions
   * grow in commit order, so everything up to the store's head read before a
   * scan has been seen once the scan ends.
   */
  async headPosition(): Promise<Position | null> {
    const storeHead = await this.inner.headPosition();
    let cursor = [this.floor, this.knownHead, this.scannedTo].reduce<Position>((max, p) => (p !== null && p > max ? p : max), this.floor);
    if (storeHead === null || storeHead <= cursor) return this.knownHead;
    for (;;) {
      const page = await this.inner.readAll({ after: cursor, maxCount: HEAD_PAGE, filter: this.scoped(undefined) });
      const last = page.at(-1);
      if (last) {
        if (this.knownHead === null || last.position > this.knownHead) this.knownHead = last.position;
        cursor = last.position;
      }
      if (page.length < HEAD_PAGE) break;
    }
    if (this.scannedTo === null || storeHead > this.scannedTo) this.scannedTo = storeHead;
    return this.knownHead;
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
