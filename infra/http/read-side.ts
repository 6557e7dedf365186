import type { EventStore, Position } from '../eventstore/port.js';
import type { ReadStore } from '../readstore/port.js';
import { silentLog, type Log } from '../log.js';
import type { ConsumerStatus } from '../../bus/consumer.js';
import type { AnyProjection } from '../../bus/projection.js';
import { Projector } from '../../bus/projector.js';

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

/** Resolves true when `promise` settles within `ms`, false otherwise; the timer never outlives the race. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
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
  /** One waiter per model for its next position, shared by every long poll, so idle polls do not pile waiters up. */
  private readonly next = new Map<string, { position: Position; progress: Promise<boolean> }>();
  private readonly pollMs: number;

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
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = await this.options.reads.checkpoint(name);
      if (at !== null && at >= position) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await sleep(Math.min(this.pollMs, left));
    }
  }

  /**
   * Waits until the model moves past where it is now, or `timeoutMs` passes:
   * a long poll wakes on the model's progress rather than on a fixed beat.
   */
  async moved(name: string, timeoutMs: number): Promise<void> {
    if (!this.runs(name)) {
      await sleep(Math.min(this.pollMs, timeoutMs));
      return;
    }
    const at = this.projector.position(name);
    const position = at === null ? 1n : at + 1n;
    let waiter = this.next.get(name);
    if (waiter?.position !== position) {
      const progress = this.projector.reached(position).then((reached) => {
        if (this.next.get(name)?.position === position) this.next.delete(name);
        return reached;
      });
      waiter = { position, progress };
      this.next.set(name, waiter);
    }
    await within(waiter.progress, timeoutMs);
  }
}
