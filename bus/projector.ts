import type { EventStore, Position, RecordedEvent } from '../infra/eventstore/port.js';
import type { ProjectionCommit, ReadStore } from '../infra/readstore/port.js';
import { silentLog, type Log } from '../infra/log.js';
import { Consumer, type ConsumerStatus } from './consumer.js';
import { changesOf, type AnyProjection } from './projection.js';

export interface ProjectorOptions {
  store: EventStore;
  reads: ReadStore;
  log?: Log;
  maxBatch?: number;
  /** Pause before following again after a failed read or commit (the consumer's default: a second). */
  retryDelayMs?: number;
}

/**
 * Runs a process's projections as one reader: each batch of events is applied
 * to every model and committed with all their checkpoints in one read-store
 * transaction, instead of one reader and one commit per model. Models start
 * from their own checkpoints: the reader starts at the earliest, and a model
 * already past a batch skips it, so a new or rebuilt model catches up beside
 * the others.
 */
export class Projector {
  private readonly projections = new Map<string, AnyProjection>();
  private readonly positions = new Map<string, Position | null>();
  private consumer: Consumer | undefined;
  private readonly log: Log;
  /** Who waits for which document to change: `projection \0 id` → resolvers. */
  private readonly watchers = new Map<string, Set<(changed: boolean) => void>>();

  constructor(private readonly options: ProjectorOptions) {
    this.log = options.log ?? silentLog;
  }

  /** Adds models before start; a model already added (by name) is kept once. */
  add(projections: readonly AnyProjection[]): this {
    if (this.consumer) throw new Error('projections are added before the projector starts');
    for (const projection of projections) this.projections.set(projection.name, projection);
    return this;
  }

  get names(): string[] {
    return [...this.projections.keys()];
  }

  runs(name: string): boolean {
    return this.projections.has(name);
  }

  async start(): Promise<void> {
    if (this.consumer || this.projections.size === 0) return;
    const { store, reads } = this.options;
    for (const projection of this.projections.values()) {
      await reads.collection(projection.collection);
      this.positions.set(projection.name, await reads.checkpoint(projection.name));
    }
    const eventTypes = [...new Set([...this.projections.values()].flatMap((p) => p.eventTypes))];
    this.consumer = new Consumer({
      name: 'projector',
      store,
      filter: { eventTypes },
      maxBatch: this.options.maxBatch,
      retryDelayMs: this.options.retryDelayMs,
      checkpoints: {
        read: async () => this.earliest(),
        write: (position) => this.commit([], position),
      },
      handleBatch: async (events, upTo) => {
        await this.commit(events, upTo);
        return 'committed';
      },
      onError: (error) => this.log.error({ projections: this.names, err: error }, 'projection failed; following again'),
    });
    await this.consumer.start();
  }

  /** The earliest checkpoint: null while any model has none. */
  private earliest(): Position | null {
    let earliest: Position | null = null;
    for (const position of this.positions.values()) {
      if (position === null) return null;
      if (earliest === null || position < earliest) earliest = position;
    }
    return earliest;
  }

  /** Every model behind `upTo` gets the events it has not applied, and all of them commit together. */
  private async commit(events: readonly RecordedEvent[], upTo: Position): Promise<void> {
    const commits: ProjectionCommit[] = [];
    for (const projection of this.projections.values()) {
      const at = this.positions.get(projection.name) ?? null;
      if (at !== null && at >= upTo) continue;
      const unseen = at === null || (events[0]?.position ?? 0n) > at ? events : events.filter((event) => event.position > at);
      commits.push({ projection: projection.name, position: upTo, changes: await changesOf(this.options.reads, projection, unseen) });
    }
    if (commits.length === 0) return;
    await this.options.reads.commit(commits);
    for (const { projection, changes } of commits) {
      this.positions.set(projection, upTo);
      if (this.watchers.size === 0) continue;
      for (const change of changes) this.notify(`${projection}\0${change.op === 'upsert' ? change.doc.id : change.id}`);
    }
  }

  private notify(key: string): void {
    const waiting = this.watchers.get(key);
    if (!waiting) return;
    this.watchers.delete(key);
    for (const resolve of waiting) resolve(true);
  }

  /**
   * Resolves true when a model's document is next written, false when
   * `timeoutMs` passes first or `signal` aborts. A long poll waits on its own document rather
   * than on every batch: a thousand pollers then cost nothing while their
   * payments are pending. Call it before reading the document, so that a
   * change in between is not missed.
   */
  changed(name: string, id: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const key = `${name}\0${id}`;
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      let waiting = this.watchers.get(key);
      if (!waiting) {
        waiting = new Set();
        this.watchers.set(key, waiting);
      }
      const done = (changed: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        const set = this.watchers.get(key);
        set?.delete(done);
        if (set?.size === 0) this.watchers.delete(key);
        resolve(changed);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      const abort = () => done(false);
      signal?.addEventListener('abort', abort, { once: true });
      waiting.add(done);
    });
  }

  /** How far a model has applied $all (null before its first batch). */
  position(name: string): Position | null {
    return this.positions.get(name) ?? null;
  }

  /** Resolves true once every model has applied `position`, false when `timeoutMs` passes first. */
  reached(position: Position, timeoutMs?: number): Promise<boolean> {
    return this.consumer ? this.consumer.reached(position, timeoutMs) : Promise.resolve(false);
  }

  status(): ConsumerStatus[] {
    const running = this.consumer?.status().running ?? false;
    return this.names.map((name) => ({ name, position: this.position(name), running }));
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
  }
}
