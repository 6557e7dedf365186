import type { EventStore, Position } from '../infra/eventstore/port.js';
import type { ReadStore } from '../infra/readstore/port.js';
import type { Clock } from '../infra/clock.js';
import { silentLog, type Log } from '../infra/log.js';
import type { Consumer, ConsumerStatus } from './consumer.js';
import type { AnyProjection } from './projection.js';
import { Projector } from './projector.js';
import type { ServiceReaction, ServiceTimer } from './reaction.js';
import { reactionRunner, type RetryPolicy } from './reactions.js';
import { Scheduler, timerProjection } from './timers.js';
import type { Partition } from './partition.js';

/** Periodic work that is not tied to one stream's deadline (queue admission). */
export interface Ticker {
  name: string;
  intervalMs: number;
  tick(now: Date): Promise<void>;
}

/** What a service is, as data: the bus runs it. */
export interface ServiceDefinition {
  name: string;
  reactions: readonly ServiceReaction[];
  timers: readonly ServiceTimer[];
  tickers?: readonly Ticker[];
  /** Read models the service itself works from (the queue's line), run beside its reactions. */
  projections?: readonly AnyProjection[];
}

export interface ServiceRuntime {
  store: EventStore;
  reads: ReadStore;
  clock: Clock;
  log?: Log;
  retry?: RetryPolicy;
  /** How often the scheduler looks for due timers. */
  timerPollMs?: number;
  /** This instance's share of the service's streams (SERVICE_INSTANCE of SERVICE_INSTANCES). */
  partition?: Partition;
  /** Tests drive timers and tickers by hand instead (runDue / tick). */
  manualTime?: boolean;
  /**
   * The process's projector, shared with the other services and the API, which
   * its owner starts and stops; without one the service runs its own.
   */
  projector?: Projector;
}

/** A running service: its reaction subscription, its timer read model and scheduler, its tickers. */
export class RunningService {
  readonly reactions: Consumer | undefined;
  readonly scheduler: Scheduler | undefined;
  /** Runs the timer model and the service's own read models (the queue's line), with the process's other models when shared. */
  readonly projector: Projector;
  /** Whether this service owns its projector (starts and stops it). */
  private readonly ownsProjector: boolean;
  private readonly projections: AnyProjection[] = [];
  private tickers: NodeJS.Timeout[] = [];
  private readonly log: Log;

  constructor(
    readonly definition: ServiceDefinition,
    private readonly runtime: ServiceRuntime,
  ) {
    const { store, reads, clock } = runtime;
    this.log = (runtime.log ?? silentLog);
    const log = this.log;
    if (definition.reactions.length > 0) {
      this.reactions = reactionRunner({ service: definition.name, store, reactions: definition.reactions, clock, log, retry: runtime.retry, partition: runtime.partition });
    }
    if (definition.timers.length > 0) {
      this.projections.push(timerProjection(definition.name, definition.timers, runtime.partition));
      this.scheduler = new Scheduler({
        service: definition.name,
        store,
        reads,
        rules: definition.timers,
        clock,
        log,
        pollMs: runtime.timerPollMs,
        partition: runtime.partition,
      });
    }
    this.projections.push(...(definition.projections ?? []));
    this.ownsProjector = runtime.projector === undefined;
    this.projector = (runtime.projector ?? new Projector({ store, reads, log })).add(this.projections);
  }

  async start(): Promise<void> {
    await this.reactions?.start();
    if (this.ownsProjector) await this.projector.start();
    if (this.runtime.manualTime) return;
    this.scheduler?.start();
    for (const ticker of this.definition.tickers ?? []) {
      let busy = false;
      const timer = setInterval(async () => {
        if (busy) return;
        busy = true;
        try {
          await ticker.tick(this.runtime.clock.now());
        } catch (error) {
          this.log.warn({ service: this.definition.name, ticker: ticker.name, err: error }, 'tick failed');
        } finally {
          busy = false;
        }
      }, ticker.intervalMs);
      this.tickers.push(timer);
    }
  }

  /** Fires due timers and runs every ticker once, at the clock's now (tests). */
  async advance(): Promise<void> {
    await this.scheduler?.runDue();
    for (const ticker of this.definition.tickers ?? []) await ticker.tick(this.runtime.clock.now());
  }

  /** Resolves once reactions and the service's models have seen everything up to `position`. */
  async reached(position: Position): Promise<void> {
    await Promise.all([this.reactions?.reached(position), this.projections.length > 0 ? this.projector.reached(position) : undefined]);
  }

  status(): ConsumerStatus[] {
    const mine = new Set(this.projections.map((p) => p.name));
    return [...(this.reactions ? [this.reactions.status()] : []), ...this.projector.status().filter((s) => mine.has(s.name))];
  }

  async stop(): Promise<void> {
    for (const timer of this.tickers) clearInterval(timer);
    this.tickers = [];
    await this.scheduler?.stop();
    await this.reactions?.stop();
    if (this.ownsProjector) await this.projector.stop();
  }
}
