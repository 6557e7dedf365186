import { END, START, type AllStreamResolvedEvent, type AllStreamSubscription, type EventStoreDBClient, type ReadPosition } from '@eventstore/db-client';
import type { EsdbHead } from './esdb-head.js';
import { isSystemType, normalizeFilter, packPosition, serverFilter, toRecorded, unpackPosition } from './esdb-mapping.js';
import { matchesFilter, type EventFilter, type FollowOptions, type Position, type SubscriptionMessage } from './port.js';

/**
 * A pulled reader of $all over one EventStoreDB subscription.
 *
 * Backpressure: the client's subscription is a Transform fed by the gRPC
 * call through pipe(). This reader never lets it flow: it takes objects with
 * read() only when its own reader asks for a batch, so the Transform's buffers
 * (highWaterMark = maxBatch on each side) fill, pipe() pauses the call, and
 * gRPC flow control stops the server. At most about 4 x maxBatch events sit
 * in this process for one reader, however slow it is. (A server whose live
 * buffer overflows then drops the subscription as "consumer too slow"; the
 * reader throws and its consumer follows again from where it got to.)
 *
 * Checkpoints: the client calls checkpointReached (and emits caughtUp) from
 * inside its transform, after the events before them were pushed but maybe
 * not read yet. Each is filed under the count of events pushed by then, and
 * handed on only after exactly those events: the order is the server's.
 *
 * What a checkpoint may claim: "every event up to here was delivered". Only
 * an event delivered de-duplicates (a checkpoint never hides an event), and a
 * checkpoint goes out only past the last event delivered and never ahead of
 * an event still buffered (one with nothing after it yet waits for what
 * follows). A server checkpoint is trusted only up to the last
 * record that existed before the subscription started: past that, a server
 * may send the end of the log, where the next event will be written
 * (KurrentDB issue 4970), so the end of the log is verified instead (below).
 *
 * The end of the log: the server sends checkpoints only every 32 considered
 * records, so a filtered reader is not told that a newer event outside its
 * filter was passed, and read-your-writes would wait its full timeout. When
 * the reader has waited a short while with nothing new, the reader reads the
 * records after its position from the end of $all (usually just the last
 * one) and checkpoints up to the last application event before the first one
 * its filter takes: those it has surely not missed, whatever is still in
 * flight. The server's own records are not worth a checkpoint (nobody waits
 * for them). That costs one read of one record per quiet reader every 50 ms
 * at first, then every 400 ms.
 */

export interface FollowTuning {
  /** First look at the end of the log after this much quiet; then doubling, up to `probeMaxMs`. */
  probeMs: number;
  probeMaxMs: number;
  /** More records than this since the reader's position are not checked (it is far behind; the server's checkpoints cover it). */
  probeLimit: number;
}

export const DEFAULT_TUNING: FollowTuning = { probeMs: 50, probeMaxMs: 400, probeLimit: 2_048 };

/** The server's checkpoint every 1 x 32 records considered: fine-grained progress through filtered-out stretches. */
const CHECKPOINT_INTERVAL = 1;

type Item = { kind: 'event'; resolved: AllStreamResolvedEvent } | { kind: 'checkpoint'; position: Position } | { kind: 'caughtUp' };

export interface FollowAllOptions extends FollowOptions {
  /** The last record of $all read just before, when the caller already has it. */
  lastRecord?: Position | null;
}

/** What the store needs to end every reader when it closes: a signal, and the readers open. */
export interface Readers {
  closing: AbortSignal;
  open: Set<{ close(): Promise<void> }>;
}

export async function* followAll(
  client: EventStoreDBClient,
  head: EsdbHead,
  options: FollowAllOptions,
  readers: Readers,
  tuning: FollowTuning = DEFAULT_TUNING,
): AsyncGenerator<SubscriptionMessage[]> {
  const signal = options.signal ? AbortSignal.any([options.signal, readers.closing]) : readers.closing;
  // Read before subscribing: once caught up, the subscription has surely passed it.
  const lastRecord = options.lastRecord !== undefined ? options.lastRecord : await head.last();
  if (signal.aborted) return;
  const reader = new AllReader(client, head, options, lastRecord, tuning);
  readers.open.add(reader);
  try {
    for (;;) {
      const batch = await reader.next(signal);
      if (batch === null) return;
      yield batch;
    }
  } finally {
    readers.open.delete(reader);
    await reader.close();
  }
}

class AllReader {
  private readonly subscription: AllStreamSubscription;
  private readonly filter: EventFilter | undefined;
  private readonly max: number;
  /** Read from the subscription, in the server's order, checkpoints in place. */
  private readonly queue: Item[] = [];
  /** Checkpoints and caught-up signals waiting for the events pushed before them to be read. */
  private readonly marks: Array<{ after: number; item: Item }> = [];
  /** Events read from the subscription so far. */
  private taken = 0;
  /** The last event delivered (or the exclusive start): only this de-duplicates. */
  private lastEvent: Position;
  /** Every event up to here has been delivered or accounted for: nothing at or below it is claimed again. */
  private reached: Position;
  private failure: unknown = undefined;
  private ended = false;
  private closed = false;
  private wake: (() => void) | undefined;
  private probeDelay: number;

  constructor(
    client: EventStoreDBClient,
    private readonly head: EsdbHead,
    options: FollowAllOptions,
    /** The last record before the subscription started: server checkpoints beyond it are not trusted. */
    private readonly trustedUpTo: Position | null,
    private readonly tuning: FollowTuning,
  ) {
    this.filter = normalizeFilter(options.filter);
    this.max = Math.max(1, options.maxBatch ?? 500);
    this.probeDelay = tuning.probeMs;
    const from = options.from ?? 'start';
    const after = typeof from === 'object' && from.after > 0n ? from.after : null;
    this.lastEvent = after ?? -1n;
    // From the end, what came before is none of this reader's business.
    this.reached = from === 'end' ? (trustedUpTo ?? -1n) : this.lastEvent;
    const fromPosition: ReadPosition = from === 'end' ? END : after === null ? START : unpackPosition(after);
    this.subscription = client.subscribeToAll(
      {
        fromPosition,
        filter: serverFilter(this.filter, {
          checkpointInterval: CHECKPOINT_INTERVAL,
          checkpointReached: (_subscription, position) => this.mark({ kind: 'checkpoint', position: packPosition(position) }),
        }),
      },
      { highWaterMark: this.max },
    );
    this.subscription.on('readable', this.poke);
    this.subscription.on('caughtUp', () => this.mark({ kind: 'caughtUp' }));
    // Recorded for the next read; after close nobody reads it, and an unsubscribed call's late error is expected.
    this.subscription.on('error', (error: unknown) => {
      this.failure ??= error;
      this.poke();
    });
    this.subscription.on('end', () => {
      this.ended = true;
      this.poke();
    });
  }

  private readonly poke = () => this.wake?.();

  private mark(item: Item): void {
    this.marks.push({ after: this.taken + this.subscription.readableLength, item });
    this.poke();
  }

  /** The next batch, or null once `signal` aborts. */
  async next(signal: AbortSignal): Promise<SubscriptionMessage[] | null> {
    for (;;) {
      if (signal.aborted) return null;
      this.fill();
      const held = this.queue.length;
      const batch = this.take();
      if (batch.length > 0) {
        this.probeDelay = this.tuning.probeMs;
        return batch;
      }
      // Skipped items only (repeats, claims already made): look again at once.
      if (this.queue.length < held) continue;
      if (this.failure !== undefined) throw this.failure;
      if (this.ended) throw new Error('EventStoreDB ended the subscription to $all');
      if (await this.quiet(signal, this.probeDelay)) {
        const checkpoint = await this.probe();
        if (checkpoint) return [checkpoint];
      }
    }
  }

  /** Moves what the subscription holds into the queue, up to two batches. */
  private fill(): void {
    for (;;) {
      while (this.marks[0] && this.marks[0].after <= this.taken) this.queue.push(this.marks.shift()!.item);
      if (this.queue.length >= 2 * this.max) return;
      const resolved = this.subscription.read() as AllStreamResolvedEvent | null;
      if (resolved === null) return;
      this.taken += 1;
      this.queue.push({ kind: 'event', resolved });
    }
  }

  private take(): SubscriptionMessage[] {
    const out: SubscriptionMessage[] = [];
    /** Progress past the last event taken, emitted at the end of the batch unless an event follows. */
    let progress: Position | null = null;
    while (this.queue.length > 0 && out.length + (progress === null ? 0 : 1) < this.max) {
      const item = this.queue.shift()!;
      if (item.kind === 'event') {
        const event = item.resolved.event;
        if (!event) continue;
        const position = packPosition(event.position);
        if (position <= this.lastEvent) continue;
        this.lastEvent = position;
        if (position > this.reached) this.reached = position;
        if (isSystemType(event.type) || !matchesFilter(this.filter, event.streamId, event.type)) {
          // Filtered here (stream prefixes under a type filter): passed all the same.
          progress = position;
          continue;
        }
        progress = null;
        out.push({ kind: 'event', event: toRecorded(event, position) });
        continue;
      }
      if (item.kind === 'checkpoint' && this.queue.length === 0) {
        // Nothing known after it yet: held until what follows shows it is not ahead of that.
        this.queue.unshift(item);
        break;
      }
      const position = this.claimable(item);
      if (position === null) continue;
      this.reached = position;
      progress = position;
    }
    if (progress !== null) out.push({ kind: 'checkpoint', position: progress });
    return out;
  }

  /** What a checkpoint (or the caught-up signal) may claim, if anything. */
  private claimable(item: Exclude<Item, { kind: 'event' }>): Position | null {
    if (this.trustedUpTo === null) return null;
    const position = item.kind === 'caughtUp' ? this.trustedUpTo : item.position;
    if (position > this.trustedUpTo || position <= this.reached || position <= this.lastEvent) return null;
    const aheadOfBuffered = this.queue.some(
      (queued) => queued.kind === 'event' && queued.resolved.event !== undefined && packPosition(queued.resolved.event.position) <= position,
    );
    return aheadOfBuffered ? null : position;
  }

  /** Waits for the subscription; true when `ms` passed with nothing from it. */
  private quiet(signal: AbortSignal, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (quiet: boolean) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.wake = undefined;
        resolve(quiet);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      signal.addEventListener('abort', onAbort, { once: true });
      this.wake = () => done(false);
    });
  }

  /** Checkpoints up to the last record before the first one the filter takes, reading from the end of $all. */
  private async probe(): Promise<SubscriptionMessage | null> {
    const known = this.reached;
    this.probeDelay = Math.min(this.probeDelay * 2, this.tuning.probeMaxMs);
    const last = await this.head.last();
    if (last === null || last <= known) return null;
    const records = await this.head.since(known, this.tuning.probeLimit);
    if (records === null || this.reached !== known) return null;
    let verified = known;
    let coming = false;
    for (const record of records) {
      // The server's own records and reaction checkpoints: no reader waits
      // for them, and a checkpoint past them would make every reaction
      // record its own checkpoint, which moves the end again, for ever.
      if (isSystemType(record.type)) continue;
      // On its way here: the reader has not passed it yet.
      if (matchesFilter(this.filter, record.streamId, record.type)) {
        coming = true;
        break;
      }
      verified = record.position;
    }
    if (verified <= known) {
      // Something is on its way: look again soon.
      if (coming) this.probeDelay = this.tuning.probeMs;
      return null;
    }
    this.reached = verified;
    return { kind: 'checkpoint', position: verified };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscription.off('readable', this.poke);
    await this.subscription.unsubscribe();
  }
}
