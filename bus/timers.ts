import type { EventStore, RecordedEvent } from '../infra/eventstore/port.js';
import type { Doc, ReadStore } from '../infra/readstore/port.js';
import type { Clock } from '../infra/clock.js';
import { silentLog, type Log } from '../infra/log.js';
import { handleCommand } from './command.js';
import { derivedEventId } from './ids.js';
import type { Projection } from './projection.js';
import type { DueTimer, ServiceTimer } from './reaction.js';
import { owns, partitioned, WHOLE, type Partition } from './partition.js';
import { CAUSATION_ATTRIBUTE, contextOf, CORRELATION_ATTRIBUTE, inSpan, SpanKind, tracingOn } from './tracing.js';

export interface TimerDoc extends Doc {
  rule: string;
  key: string;
  dueAt: string;
  streamId: string;
  payload: Record<string, unknown>;
  /**
   * The saga of the event that set the timer, and that event's id: what the
   * timer fires is that saga's next step, caused by that event, so a trace by
   * correlation finds it. Absent on timers set before these were kept.
   */
  correlationId?: string;
  causationId?: string;
  /** The trace context of the event that set the timer: its firing is a child of that append's span. */
  traceparent?: string;
  tracestate?: string;
}

/** The setting event's W3C trace context, when it carries one. */
function traceOf(event: RecordedEvent): Pick<TimerDoc, 'traceparent' | 'tracestate'> {
  const { traceparent, tracestate } = event.metadata;
  return {
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
    ...(typeof tracestate === 'string' ? { tracestate } : {}),
  };
}

const timerId = (rule: string, key: string) => `${rule}:${key}`;

/**
 * A service's pending timers as a read model: rebuilt from the events after a
 * restart like any projection, so no timer lives only in memory.
 *
 * Each instance keeps the timers of the streams it owns, in a model of its
 * own: a timer is set and cancelled by events of one stream (the aggregate it
 * fires on), so the owner of that stream sees all of them, and a new layout
 * builds its models afresh from the log.
 */
export function timerProjection(service: string, rules: readonly ServiceTimer[], partition: Partition = WHOLE): Projection<TimerDoc> {
  const byType = new Map<string, ServiceTimer[]>();
  for (const rule of rules) for (const type of rule.eventTypes) byType.set(type, [...(byType.get(type) ?? []), rule]);
  const changesOf = (event: RecordedEvent) =>
    (byType.get(event.type) ?? []).flatMap((rule) => rule.schedule(event).map((change) => ({ rule: rule.name, change })));
  return {
    name: partitioned(`timers-${service}`, partition),
    collection: { name: partitioned(`timers_${service}`, partition).replace('.', '_'), indexes: [['rule', 'dueAt']] },
    eventTypes: [...byType.keys()],
    ids: (event) => (owns(partition, event.streamId) ? changesOf(event).map(({ rule, change }) => timerId(rule, change.key)) : []),
    evolve(doc, event, id) {
      let next = doc;
      for (const { rule, change } of changesOf(event)) {
        if (timerId(rule, change.key) !== id) continue;
        next =
          change.op === 'set'
            ? {
                id,
                rule,
                key: change.key,
                dueAt: change.dueAt,
                streamId: change.streamId,
                payload: change.payload ?? {},
                ...(event.metadata.correlationId !== undefined ? { correlationId: event.metadata.correlationId } : {}),
                causationId: event.id,
                ...traceOf(event),
              }
            : null;
      }
      return next;
    },
  };
}

export interface SchedulerOptions {
  service: string;
  store: EventStore;
  reads: ReadStore;
  rules: readonly ServiceTimer[];
  clock: Clock;
  log?: Log;
  /** How often to look for due timers. */
  pollMs?: number;
  /** Timers fired per rule per look. */
  batch?: number;
  /** The streams whose timers this instance fires. */
  partition?: Partition;
}

/**
 * What a fired timer's events carry: the correlation and causation of the
 * event that set it, and which firing it was (`timerId`), so the trace can
 * say a timer acted. A timer stored before it kept its cause falls back to
 * what was written then: the stream id minus its category, and the timer.
 */
export function timerMetadata(doc: TimerDoc): { correlationId: string; causationId: string; timerId: string } {
  const timerId = `${doc.id}@${doc.dueAt}`;
  return {
    correlationId: doc.correlationId ?? doc.streamId.slice(doc.streamId.indexOf('-') + 1),
    causationId: doc.causationId ?? `timer:${timerId}`,
    timerId,
  };
}

/**
 * Fires due timers. Firing is a command like any other, with event ids derived
 * from the timer and its due time: two instances firing the same timer write
 * its outcome once.
 */
export class Scheduler {
  private interval: NodeJS.Timeout | undefined;
  /** Timers being fired, by id and due time: a slow one (a hung delivery) holds up no other. */
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private looking = false;
  private readonly log: Log;

  constructor(private readonly options: SchedulerOptions) {
    this.log = options.log ?? silentLog;
  }

  start(): void {
    this.interval = setInterval(() => {
      if (!this.looking) void this.fireDue();
    }, this.options.pollMs ?? 100);
  }

  /** Fires every timer due by the clock's now and waits for every firing under way; returns how many appended. */
  async runDue(): Promise<number> {
    const fired = await this.fireDue();
    await Promise.all(this.inFlight.values());
    return fired;
  }

  /** Starts the due timers that are not already being fired, and waits for those it started. */
  private async fireDue(): Promise<number> {
    const { service, reads, rules, clock } = this.options;
    const started: Array<Promise<boolean>> = [];
    this.looking = true;
    try {
      const collection = await reads.collection<TimerDoc>(timerProjection(service, rules, this.options.partition).collection);
      const now = clock.now();
      for (const rule of rules) {
        const due = await collection.find({
          where: { rule: rule.name, dueAt: { lte: now.toISOString() } },
          sort: [['dueAt', 'asc']],
          limit: this.options.batch ?? 200,
        });
        for (const doc of due) {
          const key = `${doc.id}@${doc.dueAt}`;
          if (this.inFlight.has(key)) continue;
          const firing = this.fire(rule, doc, now)
            .catch((error: unknown) => {
              // Left in place: it fires again on a later look.
              this.log.warn({ service, timer: doc.id, err: error }, 'timer failed; will retry');
              return false;
            })
            .finally(() => this.inFlight.delete(key));
          this.inFlight.set(key, firing);
          started.push(firing);
        }
      }
    } finally {
      this.looking = false;
    }
    return (await Promise.all(started)).filter(Boolean).length;
  }

  private fire(rule: ServiceTimer, doc: TimerDoc, now: Date): Promise<boolean> {
    if (!tracingOn()) return this.fireNow(rule, doc, now);
    const metadata = timerMetadata(doc);
    return inSpan(
      this.options.service,
      `timer ${rule.name}`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextOf(doc),
        attributes: {
          'concert.timer': metadata.timerId,
          [CAUSATION_ATTRIBUTE]: metadata.causationId,
          [CORRELATION_ATTRIBUTE]: metadata.correlationId,
        },
      },
      () => this.fireNow(rule, doc, now),
    );
  }

  private async fireNow(rule: ServiceTimer, doc: TimerDoc, now: Date): Promise<boolean> {
    const { store, reads, service } = this.options;
    const timer: DueTimer = { key: doc.key, dueAt: doc.dueAt, streamId: doc.streamId, payload: doc.payload };
    const targets = await rule.fire(timer, now);
    let appended = 0;
    for (const [index, target] of targets.entries()) {
      const result = await handleCommand(store, rule.aggregate, target.streamId, target.command, {
        eventId: (n) => derivedEventId(rule.name, `${doc.id}@${doc.dueAt}/${index}`, n),
        metadata: timerMetadata(doc),
        service,
      });
      appended += result.events.length;
    }
    if (appended === 0) {
      // The aggregate had moved on (nothing to expire): the timer is moot. Drop
      // it unless the projection has meanwhile set it again.
      const collection = await reads.collection<TimerDoc>(timerProjection(service, this.options.rules, this.options.partition).collection);
      const current = await collection.get(doc.id);
      if (current?.dueAt === doc.dueAt) await collection.delete(doc.id);
    }
    return appended > 0;
  }

  async stop(): Promise<void> {
    clearInterval(this.interval);
    await Promise.all(this.inFlight.values());
  }
}
