import { Readable } from 'node:stream';
import { v4 as uuid } from 'uuid';
import {
  UnavailableError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  type EventStoreDBClient,
  type Filter,
  type Position as EsdbPosition,
} from '@eventstore/db-client';
// The client's own stream classes and wire messages: what the adapter reads is
// exactly what the real client makes of a server's answer, backpressure included.
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import subscriptionModule from '@eventstore/db-client/dist/streams/utils/Subscription.js';
import readStreamModule from '@eventstore/db-client/dist/streams/utils/ReadStream.js';
import convertModule from '@eventstore/db-client/dist/utils/convertGrpcEvent.js';

const { ReadResp } = streamsPb;
type ReadRespMessage = InstanceType<typeof ReadResp>;
const { Subscription } = subscriptionModule;
const { ReadStream } = readStreamModule;
const { convertGrpcEvent } = convertModule;

/**
 * A scripted EventStoreDB behind the real client's stream classes. The
 * "server" side is written from KurrentDB's gRPC enumerators: $all reads from
 * a position include it; every appended event is followed by a system record
 * (the server's own bookkeeping interleaves like that); a filtered
 * subscription filters here, sends a checkpoint every `checkpointInterval` x
 * 32 considered records and a caught-up message when it reaches the end;
 * idempotency follows the server's rules (exact revisions check the stream,
 * `any` only a bounded cache of recent ids). Messages reach the client only
 * when it reads them, as over HTTP/2 flow control, so a slow reader shows.
 *
 * Faults, each switched on by a test: a checkpoint ahead of delivery (the
 * end-of-log checkpoint of KurrentDB issue 4970, or one at the position of the
 * next event to be sent), a dropped connection under every open call, an
 * append whose answer is lost after (or before) it was written, and a server
 * that never sends a caught-up message (servers before 23.10).
 *
 * With `byCorrelation`, the server runs the `$by_correlation_id` system
 * projection: every event with a `$correlationId` gets a link (`$>`) in
 * `$bc-<correlationId>`, written after it, and stream reads with
 * `resolveLinkTos` send each link with the event it points to.
 */

export interface StoredRecord {
  streamId: string;
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  revision: bigint;
  position: EsdbPosition;
  created: Date;
  /** For a link (`$>`): the event it points to. */
  target?: StoredRecord;
}

const key = (p: EsdbPosition) => (p.commit << 64n) | p.prepare;
const STEP = 100n;
/** The server's default max search window (ReadBatchSize). */
const SEARCH_WINDOW = 32;

interface ProposedEvent {
  id: string;
  type: string;
  data: unknown;
  metadata?: unknown;
}

/** A gRPC server-streaming call: produces a message only when the client reads. */
class ScriptedCall extends Readable {
  constructor(
    private readonly produce: () => ReadRespMessage | null | 'end',
    private readonly onClose: (call: ScriptedCall) => void,
  ) {
    super({ objectMode: true });
    this.once('close', () => this.onClose(this));
  }

  /** Messages handed to the client so far. */
  sent = 0;
  private waiting = false;

  override _read(): void {
    this.waiting = true;
    this.pump();
  }

  /** More may be available (a write happened): send while the client wants. */
  pump(): void {
    while (this.waiting && !this.destroyed) {
      const message = this.produce();
      if (message === null) return;
      if (message === 'end') {
        // The call's status arrives after its last message, as its own frame.
        this.waiting = false;
        setImmediate(() => this.destroyed || this.push(null));
        return;
      }
      this.sent += 1;
      this.waiting = this.push(message);
    }
  }

  /** What grpc-js does on a client cancel: an error the client recognises and ignores. */
  cancel(): void {
    this.destroy(Object.assign(new Error('1 CANCELLED: Cancelled on client'), { code: 1, details: 'Cancelled on client' }));
  }
}

function recordedMessage(record: StoredRecord) {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  const id = new sharedPb.UUID();
  id.setString(record.id);
  recorded.setId(id);
  const stream = new sharedPb.StreamIdentifier();
  stream.setStreamName(Buffer.from(record.streamId, 'utf8'));
  recorded.setStreamIdentifier(stream);
  recorded.setStreamRevision(record.revision.toString());
  recorded.setCommitPosition(record.position.commit.toString());
  recorded.setPreparePosition(record.position.prepare.toString());
  const map = recorded.getMetadataMap();
  map.set('type', record.type);
  map.set('content-type', 'application/json');
  // .NET ticks (100 ns) since the Unix epoch, as the server sends them.
  map.set('created', (BigInt(record.created.getTime()) * 10_000n).toString());
  recorded.setData(Buffer.from(JSON.stringify(record.data ?? null), 'utf8'));
  if (record.metadata !== undefined) recorded.setCustomMetadata(Buffer.from(JSON.stringify(record.metadata), 'utf8'));
  return recorded;
}

/** A resolved link is sent as the event it points to, with the link beside it. */
function recordResp(record: StoredRecord, resolveLinks = false): ReadRespMessage {
  const event = new ReadResp.ReadEvent();
  if (resolveLinks && record.target) {
    event.setEvent(recordedMessage(record.target));
    event.setLink(recordedMessage(record));
  } else {
    event.setEvent(recordedMessage(record));
  }
  event.setCommitPosition(record.position.commit.toString());
  const resp = new ReadResp();
  resp.setEvent(event);
  return resp;
}

function checkpointResp(position: EsdbPosition): ReadRespMessage {
  const checkpoint = new ReadResp.Checkpoint();
  checkpoint.setCommitPosition(position.commit.toString());
  checkpoint.setPreparePosition(position.prepare.toString());
  const resp = new ReadResp();
  resp.setCheckpoint(checkpoint);
  return resp;
}

function caughtUpResp(): ReadRespMessage {
  const resp = new ReadResp();
  resp.setCaughtUp(new ReadResp.CaughtUp());
  return resp;
}

function streamNotFoundResp(streamId: string): ReadRespMessage {
  const notFound = new ReadResp.StreamNotFound();
  const stream = new sharedPb.StreamIdentifier();
  stream.setStreamName(Buffer.from(streamId, 'utf8'));
  notFound.setStreamIdentifier(stream);
  const resp = new ReadResp();
  resp.setStreamNotFound(notFound);
  return resp;
}

const unavailable = (what: string) =>
  new UnavailableError(Object.assign(new Error(`14 UNAVAILABLE: ${what}`), { code: 14, details: what, metadata: undefined }) as never);

export interface ScriptedFaults {
  /** KurrentDB 4970: on reaching the end of the log, a checkpoint at the end position, where the next event will be written. */
  endOfLogCheckpoint: boolean;
  /** A checkpoint at the position of each matching event, sent just before that event. */
  checkpointAtNextEvent: boolean;
  /** Servers before 23.10 send no caught-up message. */
  noCaughtUp: boolean;
  /** The next append fails: before anything is written, or after (its answer lost). */
  failNextAppend: 'before-write' | 'after-write' | null;
}

export class ScriptedEventStoreDB {
  readonly log: StoredRecord[] = [];
  readonly streamMetadata = new Map<string, { maxCount?: number }>();
  readonly faults: ScriptedFaults = { endOfLogCheckpoint: false, checkpointAtNextEvent: false, noCaughtUp: false, failNextAppend: null };
  /** How many recent event ids the server remembers for `any` appends (its committed-events cache). */
  idCacheSize = 1_000;
  disposed = false;
  /** Every call to the server, by method, and the records each sent back. */
  readonly calls = { appendToStream: 0, readStream: 0, readAll: 0, subscribeToAll: 0, setStreamMetadata: 0 };
  readonly streamReads = new Map<string, number>();
  /** Records read answers carried (reads of streams and of $all). */
  recordsSentByReads = 0;

  private next = STEP;
  /** Runs the `$by_correlation_id` projection (see above). */
  readonly byCorrelation: boolean;

  constructor(options: { byCorrelation?: boolean } = {}) {
    this.byCorrelation = options.byCorrelation ?? false;
  }
  private readonly recentIds: string[] = [];
  private readonly open = new Set<ScriptedCall>();
  private readonly subscriptions = new Set<ScriptedCall>();

  /** The client, as the adapter sees it. */
  get client(): EventStoreDBClient {
    return this as unknown as EventStoreDBClient;
  }

  /** The position the next record will get: the end of the log. */
  get endPosition(): EsdbPosition {
    return { commit: this.next, prepare: this.next };
  }

  private write(streamId: string, event: ProposedEvent): StoredRecord {
    const revision = BigInt(this.log.filter((e) => e.streamId === streamId).length);
    const record: StoredRecord = {
      streamId,
      id: event.id,
      type: event.type,
      // What the server stores is bytes: nothing the caller keeps a reference to.
      data: JSON.parse(JSON.stringify(event.data ?? null)) as unknown,
      metadata: event.metadata === undefined ? undefined : (JSON.parse(JSON.stringify(event.metadata)) as unknown),
      revision,
      position: this.endPosition,
      created: new Date(),
    };
    this.next += STEP;
    this.log.push(record);
    if (!streamId.startsWith('$')) {
      this.recentIds.push(event.id);
      if (this.recentIds.length > this.idCacheSize) this.recentIds.shift();
    }
    return record;
  }

  /** A system record, as the server's own bookkeeping interleaves with appends. */
  private bookkeeping(): void {
    this.write(`$$bookkeeping-${this.next}`, { id: uuid(), type: '$metadata', data: {} });
  }

  /** What `$by_correlation_id` does with an event: a link in its correlation's stream. */
  private linkByCorrelation(record: StoredRecord): void {
    const metadata = record.metadata as Record<string, unknown> | undefined;
    const correlationId = metadata?.['$correlationId'];
    if (typeof correlationId !== 'string') return;
    const link = this.write(`$bc-${correlationId}`, { id: uuid(), type: '$>', data: `${record.revision}@${record.streamId}` });
    link.target = record;
  }

  private wake(): void {
    for (const call of this.subscriptions) call.pump();
  }

  private streamEvents(streamId: string): StoredRecord[] {
    return this.log.filter((e) => e.streamId === streamId);
  }

  async appendToStream(streamId: string, events: ProposedEvent | ProposedEvent[], options: { expectedRevision?: unknown } = {}) {
    this.calls.appendToStream += 1;
    const fault = this.faults.failNextAppend;
    this.faults.failNextAppend = null;
    if (fault === 'before-write') throw unavailable('connection dropped before the append');
    const list = Array.isArray(events) ? events : [events];
    const existing = this.streamEvents(streamId);
    const current = BigInt(existing.length) - 1n;
    const expected = options.expectedRevision ?? 'any';
    const wrong = () =>
      new EsdbWrongExpectedVersionError(undefined as never, {
        streamName: streamId,
        expected: expected as bigint,
        current: current === -1n ? 'no_stream' : current,
      });
    // Where these ids would already be if this is a retry, by the server's rules.
    let retryFrom: bigint | null = null;
    if (typeof expected === 'bigint') {
      if (expected > current) throw wrong();
      if (expected < current) retryFrom = expected + 1n;
    } else if (expected === 'no_stream') {
      if (current !== -1n) retryFrom = 0n;
    } else {
      if (expected === 'stream_exists' && current === -1n) throw wrong();
      const first = list[0]?.id;
      // `any` is idempotent only while the first id is still in the server's cache.
      if (first !== undefined && this.recentIds.includes(first)) retryFrom = existing.find((e) => e.id === first)?.revision ?? null;
    }
    if (retryFrom !== null) {
      const already = existing.slice(Number(retryFrom), Number(retryFrom) + list.length);
      const same = already.length === list.length && list.every((e, i) => e.id === already[i]!.id);
      if (!same) throw wrong();
      return { success: true, nextExpectedRevision: retryFrom + BigInt(list.length) - 1n, position: undefined };
    }
    let last: StoredRecord | undefined;
    for (const event of list) {
      last = this.write(streamId, event);
      this.bookkeeping();
      if (this.byCorrelation) this.linkByCorrelation(last);
    }
    this.wake();
    if (fault === 'after-write') throw unavailable('connection dropped before the answer');
    // A multi-event append may report a position that is not its last event's.
    return { success: true, nextExpectedRevision: last!.revision, position: list.length === 1 ? last!.position : { commit: 1n, prepare: 1n } };
  }

  async setStreamMetadata(streamId: string, metadata: { maxCount?: number }) {
    this.calls.setStreamMetadata += 1;
    this.streamMetadata.set(streamId, metadata);
    this.write(`$$${streamId}`, { id: uuid(), type: '$metadata', data: { $maxCount: metadata.maxCount } });
    this.wake();
    return { success: true, nextExpectedRevision: 0n };
  }

  private readCall(records: () => StoredRecord[] | ReadRespMessage, resolveLinks = false) {
    let queue: ReadRespMessage[] | null = null;
    const call = new ScriptedCall(
      () => {
        if (queue === null) {
          const answer = records();
          // A server streams its whole answer as fast as flow control lets it: count it all as sent.
          if (Array.isArray(answer)) this.recordsSentByReads += answer.length;
          queue = Array.isArray(answer) ? answer.map((record) => recordResp(record, resolveLinks)) : [answer];
        }
        return queue.shift() ?? 'end';
      },
      (closed) => this.open.delete(closed),
    );
    this.open.add(call);
    return new ReadStream(async () => call as never, convertGrpcEvent, {});
  }

  readStream(streamId: string, options: { direction?: string; fromRevision?: unknown; maxCount?: number | bigint; resolveLinkTos?: boolean } = {}) {
    this.calls.readStream += 1;
    this.streamReads.set(streamId, (this.streamReads.get(streamId) ?? 0) + 1);
    return this.readCall(() => {
      let events = this.streamEvents(streamId);
      if (events.length === 0) return streamNotFoundResp(streamId);
      const maxCount = this.streamMetadata.get(streamId)?.maxCount;
      if (maxCount !== undefined) events = events.slice(-maxCount);
      const backwards = options.direction === 'backwards';
      if (backwards) events.reverse();
      const from = options.fromRevision;
      if (typeof from === 'bigint') events = events.filter((e) => (backwards ? e.revision <= from : e.revision >= from));
      return events.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
    }, options.resolveLinkTos ?? false);
  }

  readAll(options: { direction?: string; fromPosition?: unknown; maxCount?: number | bigint } = {}) {
    this.calls.readAll += 1;
    return this.readCall(() => {
      let events = [...this.log];
      const from = options.fromPosition;
      if (options.direction === 'backwards') {
        events.reverse();
        if (typeof from === 'object' && from !== null) events = events.filter((e) => key(e.position) < key(from as EsdbPosition));
      } else if (typeof from === 'object' && from !== null) {
        events = events.filter((e) => key(e.position) >= key(from as EsdbPosition));
      }
      return events.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
    });
  }

  /** Records sent by subscriptions, and how many of them each subscription's client has not read yet. */
  subscriptionSent = 0;

  subscribeToAll(options: { fromPosition?: unknown; filter?: Filter } = {}, readableOptions: { highWaterMark?: number } = {}) {
    this.calls.subscribeToAll += 1;
    const filter = options.filter;
    const regex = filter && 'regex' in filter ? new RegExp(filter.regex) : null;
    const passes = (record: StoredRecord) => {
      if (!filter) return true;
      const field = filter.filterOn === 'eventType' ? record.type : record.streamId;
      return regex ? regex.test(field) : 'prefixes' in filter && filter.prefixes.some((prefix) => field.startsWith(prefix));
    };
    const interval = (filter?.checkpointInterval ?? 1) * (filter?.maxSearchWindow ?? SEARCH_WINDOW);
    const from = options.fromPosition ?? 'start';
    // From a position: the record there was seen, the subscription starts after it.
    let cursor = from === 'start' ? 0 : from === 'end' ? this.log.length : this.log.findIndex((e) => key(e.position) > key(from as EsdbPosition));
    if (cursor === -1) cursor = this.log.length;
    let considered = 0;
    let caughtUp = false;
    const pending: ReadRespMessage[] = [];
    const produce = (): ReadRespMessage | null => {
      for (;;) {
        const queued = pending.shift();
        if (queued) return queued;
        if (cursor < this.log.length) {
          const record = this.log[cursor++]!;
          considered += 1;
          if (passes(record)) {
            if (this.faults.checkpointAtNextEvent) pending.push(checkpointResp(record.position));
            pending.push(recordResp(record));
            this.subscriptionSent += 1;
          } else if (filter && considered % interval === 0) {
            pending.push(checkpointResp(record.position));
          }
          continue;
        }
        if (caughtUp) return null;
        caughtUp = true;
        if (this.faults.endOfLogCheckpoint && filter) pending.push(checkpointResp(this.endPosition));
        if (!this.faults.noCaughtUp) pending.push(caughtUpResp());
      }
    };
    const call = new ScriptedCall(produce, (closed) => {
      this.open.delete(closed);
      this.subscriptions.delete(closed);
    });
    this.open.add(call);
    this.subscriptions.add(call);
    return new Subscription(async () => call as never, convertGrpcEvent, readableOptions, filter?.checkpointReached);
  }

  /** Open server streams: reads and subscriptions still running. */
  get openCalls(): number {
    return this.open.size;
  }

  /** The connection drops: every open call fails as grpc-js fails it. */
  dropConnection(): void {
    for (const call of [...this.open]) call.destroy(Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), { code: 14, details: 'Connection dropped' }));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}
