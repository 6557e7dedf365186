import { Subscription } from 'rxjs';
import type { EventFilter, EventStore, Position, RecordedEvent, SubscriptionMessage } from '../infra/eventstore/port.js';

export interface CheckpointStore {
  read(): Promise<Position | null>;
  write(position: Position): Promise<void>;
}

export interface ConsumerOptions {
  /** The subscriber's name: what its checkpoint is filed under. */
  name: string;
  store: EventStore;
  filter: EventFilter;
  checkpoints: CheckpointStore;
  /**
   * Handles, in order, the events that arrived while the previous batch was
   * being handled, then returns; the consumer then moves the checkpoint to the
   * end of the batch. It must not throw for one bad event (park it instead):
   * a throw stops nothing but is retried, batch and all, after a pause.
   * Returns true when it committed the checkpoint itself, with its own writes.
   */
  handleBatch(events: RecordedEvent[], upTo: Position): Promise<boolean>;
  maxBatch?: number;
  onError?: (error: unknown) => void;
  /** Pause before re-subscribing after a failure. */
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

/**
 * A checkpointed, catch-up-then-live reader of $all that hands its handler
 * batches in global order. Delivery is at least once: a crash between a
 * handler's effects and the checkpoint replays the batch, so handlers are
 * idempotent.
 */
export class Consumer {
  private subscription: Subscription | undefined;
  private queue: SubscriptionMessage[] = [];
  private draining: Promise<void> | undefined;
  private drainActive = false;
  private position: Position | null = null;
  private stopped = true;
  private readonly waiters: Array<{ position: Position; resolve: () => void }> = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private saved: Position | null = null;
  private lazySave: NodeJS.Timeout | undefined;

  constructor(private readonly options: ConsumerOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.position = await this.options.checkpoints.read();
    this.saved = this.position;
    this.subscribe();
  }

  private subscribe(): void {
    if (this.stopped) return;
    const from = this.position === null ? 'start' : { after: this.position };
    this.subscription = this.options.store.subscribe({ from, filter: this.options.filter }).subscribe({
      next: (message) => {
        this.queue.push(message);
        // A flag, not `draining ??=`: a drain with nothing to await finishes
        // before its promise could be stored, and would never be cleared.
        if (!this.drainActive) {
          this.drainActive = true;
          this.draining = this.drain();
        }
      },
      error: (error: unknown) => this.fail(error),
    });
  }

  /** After a failure: report it, drop what was queued, and read again from the last handled position. */
  private fail(error: unknown): void {
    this.options.onError?.(error);
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.queue = [];
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => this.subscribe(), this.options.retryDelayMs ?? 1_000);
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const batch = this.queue.splice(0, this.options.maxBatch ?? 500);
        const events = batch.flatMap((m) => (m.kind === 'event' ? [m.event] : []));
        const last = batch.at(-1)!;
        const upTo = last.kind === 'event' ? last.event.position : last.position;
        if (this.position !== null && upTo <= this.position) continue;
        try {
          if (events.length > 0) {
            const committed = await this.options.handleBatch(events, upTo);
            if (!committed) await this.options.checkpoints.write(upTo);
            this.saved = upTo;
          } else {
            this.lazySave ??= setTimeout(() => void this.saveCheckpoint(), this.options.idleCheckpointMs ?? 1_000);
          }
        } catch (error) {
          this.fail(error);
          return;
        }
        this.position = upTo;
        this.release();
      }
    } finally {
      this.drainActive = false;
    }
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
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (this.position !== null && this.position >= waiter.position) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /** Resolves once everything up to `position` has been handled (read-your-writes, tests). */
  reached(position: Position): Promise<void> {
    if (this.position !== null && this.position >= position) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  status(): ConsumerStatus {
    return { name: this.options.name, position: this.position, running: !this.stopped };
  }

  /** Stops reading, lets the batch in hand finish and its checkpoint land. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.queue = [];
    await this.draining;
    clearTimeout(this.lazySave);
    await this.saveCheckpoint();
  }
}
