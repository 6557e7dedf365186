import type { EventStore, Position } from '../eventstore/port.js';
import type { ReadStore } from '../readstore/port.js';
import { silentLog, type Log } from '../log.js';
import type { ConsumerStatus } from '../../bus/consumer.js';
import type { AnyProjection } from '../../bus/projection.js';
import { Projector } from '../../bus/projector.js';
import { checkpointReached } from '../../bus/checkpoint-wait.js';

export interface ReadSideOptions {
  store: EventStore;
  reads: ReadStore;
  /** The read models this process keeps up to date; it may also wait on models other processes run. */
  projections: readonly AnyProjection[];
  log?: Log;
  /** How often to look at the checkpoint of a model another process runs. */
  pollMs?: number;
  /** The process's projector, shared with its services, which its owner starts and stops; without one the read side runs its own. */
  projector?: Projector;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface CheckpointWaiter {
  /** The checkpoint this waiter's caller had seen (undefined: none yet, so the first look wakes it). */
  since: Position | null | undefined;
  done(moved: boolean): void;
}

/** The long polls waiting on one model that another process runs. */
interface CheckpointWatch {
  known: Position | null | undefined;
  waiters: Set<CheckpointWaiter>;
  polling: boolean;
}

/**
 * The API's read models: runs the given projections, and tells the routes
 * when a model has caught up with a position, which is how a client reads its
 * own writes. A model run by another process is followed through its
 * checkpoint in the read store.
 */
export class ReadSide {
  private readonly projector: Projector;
  private readonly ownsProjector: boolean;
  private readonly mine: Set<string>;
  private readonly pollMs: number;
  private readonly watches = new Map<string, CheckpointWatch>();

  constructor(private readonly options: ReadSideOptions) {
    this.pollMs = options.pollMs ?? 10;
    this.ownsProjector = options.projector === undefined;
    this.projector = (options.projector ?? new Projector({ store: options.store, reads: options.reads, log: options.log ?? silentLog })).add(
      options.projections,
    );
    this.mine = new Set(options.projections.map((p) => p.name));
  }

  /** The names of the models this process runs. */
  get names(): string[] {
    return [...this.mine];
  }

  runs(name: string): boolean {
    return this.mine.has(name);
  }

  async start(): Promise<void> {
    if (this.ownsProjector) await this.projector.start();
  }

  async stop(): Promise<void> {
    if (this.ownsProjector) await this.projector.stop();
  }

  status(): ConsumerStatus[] {
    return this.projector.status().filter((s) => this.mine.has(s.name));
  }

  /** The in-memory position of a model this process runs; null for the others (or before its first batch). */
  livePosition(name: string): Position | null {
    return this.runs(name) ? this.projector.position(name) : null;
  }

  /** How far a model has applied $all: from memory when it runs here, else from its checkpoint. */
  async position(name: string): Promise<Position | null> {
    return this.runs(name) ? this.projector.position(name) : this.options.reads.checkpoint(name);
  }

  /** Resolves true once the model has applied everything up to `position`, false when `timeoutMs` passes first. */
  async reached(name: string, position: Position, timeoutMs: number): Promise<boolean> {
    if (this.runs(name)) {
      const at = this.projector.position(name);
      if (at !== null && at >= position) return true;
      return this.projector.reached(position, timeoutMs);
    }
    return checkpointReached(this.options.reads, name, position, timeoutMs, this.pollMs);
  }

  /**
   * Resolves when the model next writes document `id` (true), or after
   * `timeoutMs` or when `signal` aborts (false). A model another process
   * runs cannot say which document it wrote: this resolves true when its
   * checkpoint next moves, and the caller looks again. One poll of that
   * checkpoint serves every waiter of the process, so a thousand long polls
   * cost one read per interval, not a thousand.
   */
  changed(name: string, id: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.runs(name)) return this.projector.changed(name, id, timeoutMs, signal);
    return this.checkpointMoved(name, timeoutMs, signal);
  }

  private checkpointMoved(name: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    let watch = this.watches.get(name);
    if (!watch) {
      watch = { known: undefined, waiters: new Set(), polling: false };
      this.watches.set(name, watch);
    }
    const since = watch.known;
    const { waiters } = watch;
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const waiter: CheckpointWaiter = {
        since,
        done: (moved) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', abort);
          waiters.delete(waiter);
          resolve(moved);
        },
      };
      const abort = () => waiter.done(false);
      const timer = setTimeout(abort, timeoutMs);
      signal?.addEventListener('abort', abort, { once: true });
      waiters.add(waiter);
      void this.pollCheckpoint(name);
    });
  }

  /** While anyone waits on `name`, reads its checkpoint every pollMs and wakes whoever saw an older one. */
  private async pollCheckpoint(name: string): Promise<void> {
    const watch = this.watches.get(name)!;
    if (watch.polling) return;
    watch.polling = true;
    try {
      while (watch.waiters.size > 0) {
        let at: Position | null;
        try {
          at = await this.options.reads.checkpoint(name);
        } catch (error) {
          // The waiters time out on their own; the next round tries again.
          this.options.log?.warn({ model: name, err: error }, 'could not read a checkpoint for long polls');
          await sleep(this.pollMs);
          continue;
        }
        watch.known = at;
        for (const waiter of [...watch.waiters]) if (waiter.since === undefined || waiter.since !== at) waiter.done(true);
        if (watch.waiters.size > 0) await sleep(this.pollMs);
      }
    } finally {
      watch.polling = false;
    }
  }
}
