import type { EventFilter, EventStore, Position, RecordedEvent, SubscriptionMessage } from '../infra/eventstore/port.js';

export interface CheckpointStore {
  read(): Promise<Position | null>;
  write(position: Position): Promise<void>;
}

export type BatchOutcome = 'committed' | 'handled' | 'idle';

export interface ConsumerOptions {
  /** The subscriber's name: what its checkpoint is filed under. */
  name: string;
  store: EventStore;
  filter: EventFilter;
  checkpoints: CheckpointStore;
  /**
   * Handles, in order, one batch of events, then returns; the consumer then
   * moves the checkpoint to the end of the batch. It must not throw for one
   * bad event (park it instead): a throw is retried, batch and all, after a
   * pause. Returns `committed` when it committed the checkpoint itself, with
   * its own writes; `handled` when the consumer is to write it; `idle` when
   * none of the batch was its work (another instance's streams), so that the
   * checkpoint moves lazily, as for filtered-out positions.
   */
  handleBatch(events: RecordedEvent[], upTo: Position): Promise<BatchOutcome>;
  /** The most messages read and handled at once (CONSUMER_MAX_BATCH). */
  maxBatch?: number;
  onError?: (error: unknown) => void;
  /** Pause before following again after a failure. */
  retryDelayMs?: number;
  /**
   * A batch of only filtered-out positions moves the checkpoint lazily, at most
   * this often: otherwise every commit anywhere would cost every consumer a write.
   */
  idleCheckpointMs?: number;
}

export interface ConsumerStatus {
  name: string;
  /** Everything up to here has been handled (and its checkpoint written or about to be). */
  position: Position | null;
  running: boolean;
}

interface Waiter {
  position: Position;
  resolve: (reached: boolean) => void;
  timer?: NodeJS.Timeout;
}

/**
 * A checkpointed, catch-up-then-live reader of $all that hands its handler
 * batches in global order. Delivery is at least once: a crash between a
 * handler's effects and the checkpoint replays the batch, so handlers are
 * idempotent.
 *
 * It pulls: one loop reads a batch, handles it, and only then reads the next,
 * so a slow handler slows its own reads and nothing piles up in memory. One
 * loop is the only reader, whatever fails and in whatever order: a failure
 * ends the loop's current read, and the same loop follows again from the last
 * handled position after a pause.
 */
export class Consumer {
  private loop: Promise<void> | undefined;
  private halt: AbortController | undefined;
  private position: Position | null = null;
  private saved: Position | null = null;
  private lazySave: NodeJS.Timeout | undefined;
  private readonly waiters = new Set<Waiter>();
  private follows = 0;

  constructor(private readonly options: ConsumerOptions) {}

  async start(): Promise<void> {
    if (this.loop) return;
    this.position = await this.options.checkpoints.read();
    this.saved = this.position;
    this.halt = new AbortController();
    this.loop = this.run(this.halt.signal);
  }

  private async run(halt: AbortSignal): Promise<void> {
    while (!halt.aborted) {
      try {
        this.follows += 1;
        const from = this.position === null ? 'start' : { after: this.position };
        const batches = this.options.store.follow({ from, filter: this.options.filter, maxBatch: this.options.maxBatch, signal: halt });
        for await (const batch of batches) {
          if (halt.aborted) break;
          await this.handle(batch);
        }
      } catch (error) {
        if (halt.aborted) break;
        this.options.onError?.(error);
        await pause(this.options.retryDelayMs ?? 1_000, halt);
      } finally {
        this.follows -= 1;
      }
    }
  }

  private async handle(batch: readonly SubscriptionMessage[]): Promise<void> {
    const last = batch.at(-1);
    if (!last) return;
    const upTo = last.kind === 'event' ? last.event.position : last.position;
    if (this.position !== null && upTo <= this.position) return;
    const events = batch.flatMap((m) => (m.kind === 'event' && (this.position === null || m.event.position > this.position) ? [m.event] : []));
    const outcome = events.length > 0 ? await this.options.handleBatch(events, upTo) : 'idle';
    if (outcome === 'idle') {
      this.lazySave ??= setTimeout(() => void this.saveCheckpoint(), this.options.idleCheckpointMs ?? 1_000);
    } else {
      if (outcome === 'handled') await this.options.checkpoints.write(upTo);
      this.saved = upTo;
    }
    this.position = upTo;
    this.release();
  }

  private async saveCheckpoint(): Promise<void> {
    this.lazySave = undefined;
    const position = this.position;
    if (position === null || (this.saved !== null && this.saved >= position)) return;
    try {
      await this.options.checkpoints.write(position);
      this.saved = position;
    } catch (error) {
      // Not fatal: the next save, or a replay from the older checkpoint, covers it.
      this.options.onError?.(error);
    }
  }

  private release(): void {
    for (const waiter of this.waiters) {
      if (this.position !== null && this.position >= waiter.position) this.settle(waiter, true);
    }
  }

  private settle(waiter: Waiter, reached: boolean): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    waiter.resolve(reached);
  }

  /**
   * Resolves true once everything up to `position` has been handled
   * (read-your-writes, tests), or false when `timeoutMs` passes first; a
   * waiter that times out is forgotten at once.
   */
  reached(position: Position, timeoutMs?: number): Promise<boolean> {
    if (this.position !== null && this.position >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = { position, resolve };
      if (timeoutMs !== undefined) waiter.timer = setTimeout(() => this.settle(waiter, false), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  status(): ConsumerStatus {
    return { name: this.options.name, position: this.position, running: this.loop !== undefined };
  }

  /** How many reads of the store are open right now: one while running, none once stopped. */
  get liveReads(): number {
    return this.follows;
  }

  /** How many read-your-writes waiters are pending. */
  get pendingWaiters(): number {
    return this.waiters.size;
  }

  /** Stops reading, lets the batch in hand finish and its checkpoint land. */
  async stop(): Promise<void> {
    this.halt?.abort();
    await this.loop;
    this.loop = undefined;
    clearTimeout(this.lazySave);
    await this.saveCheckpoint();
  }
}

/** Waits `ms`, or less if `halt` aborts first. */
function pause(ms: number, halt: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      halt.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    halt.addEventListener('abort', done, { once: true });
  });
}
