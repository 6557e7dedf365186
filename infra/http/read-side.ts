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
   * `timeoutMs` or when `signal` aborts (false). For a model another process runs, whose writes this
   * one cannot see, it waits at most the checkpoint poll interval, and the
   * caller looks again.
   */
  async changed(name: string, id: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.runs(name)) return this.projector.changed(name, id, timeoutMs, signal);
    await sleep(Math.min(this.pollMs, timeoutMs));
    return false;
  }
}
