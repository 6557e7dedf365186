import type { Checkpoint, EventStore, Metadata, Position, RecordedEvent } from '../infra/eventstore/port.js';
import { isStreamNotFound, isWrongExpectedVersion } from '../infra/eventstore/errors.js';
import { fold, type Aggregate, type DomainEvent } from './decider.js';
import { stateCacheOf } from './state-cache.js';
import { CORRELATION_ATTRIBUTE, inSpan, SpanKind, tracingOn, withTraceContext } from './tracing.js';

export interface CommandOptions {
  /** The id of the n-th new event; reactions and timers derive them so a retry is idempotent. */
  eventId?: (n: number) => string;
  metadata?: Metadata;
  /** A subscriber checkpoint to commit with the append (reactions). */
  checkpoint?: Checkpoint;
  /** Attempts on a wrong expected version before giving up. */
  maxAttempts?: number;
  /** The service deciding, for its trace span (see tracing.ts). */
  service?: string;
}

export interface CommandResult<State, Event extends DomainEvent> {
  /** The events this command appended; empty when it decided nothing. */
  events: Event[];
  state: State;
  /** The stream's revision after the command (-1: still no stream). */
  revision: number;
  /** Where the appended events landed in $all; null when nothing was appended. */
  position: Position | null;
}

export class ConcurrencyExhaustedError extends Error {
  override readonly name = 'ConcurrencyExhaustedError';
  constructor(readonly streamId: string, attempts: number) {
    super(`${streamId} kept changing under ${attempts} attempts`);
  }
}

async function readAggregate<State, Command, Event extends DomainEvent>(
  store: EventStore,
  aggregate: Aggregate<State, Command, Event>,
  streamId: string,
): Promise<{ state: State; revision: number }> {
  const cache = stateCacheOf(store);
  const cached = cache.get(streamId, aggregate) as { state: State; revision: number } | undefined;
  let recorded: RecordedEvent[];
  try {
    recorded = await store.readStream(streamId, { fromRevision: cached ? cached.revision + 1 : 0 });
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
    cache.forget(streamId);
    return { state: aggregate.initialState(), revision: -1 };
  }
  if (recorded.length === 0 && cached) return cached;
  const events = recorded.map((e) => ({ type: e.type, data: e.data }) as Event);
  const state = fold(aggregate, events, cached ? cached.state : aggregate.initialState());
  const revision = recorded.at(-1)?.revision ?? cached?.revision ?? -1;
  cache.set(streamId, aggregate, state, revision);
  return { state, revision };
}

/** Loads a stream's current state (for routes that answer from the aggregate, like a repeat request). */
export const load = readAggregate;

/** The commands under way per stream, per store: the tail of each stream's queue. */
const lanes = new WeakMap<EventStore, Map<string, Promise<unknown>>>();

/**
 * Runs `work` after every earlier command on the same stream in this process
 * has finished. Concurrent commands on one stream (thirty charges to one
 * wallet, fifty holds on one seat) then decide one after the other on fresh
 * state instead of racing to the store, where all but one would fail their
 * expected revision and retry: a race whose length depended on how the
 * retries' timers happened to fall. Conflicts now come only from other
 * processes, and the bounded retries below are for those.
 */
function inLane<T>(store: EventStore, streamId: string, work: () => Promise<T>): Promise<T> {
  let streams = lanes.get(store);
  if (!streams) {
    streams = new Map();
    lanes.set(store, streams);
  }
  const before = streams.get(streamId);
  const run = before ? before.then(work, work) : work();
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  streams.set(streamId, tail);
  void tail.then(() => {
    if (streams.get(streamId) === tail) streams.delete(streamId);
  });
  return run;
}

/**
 * load → decide → append with the expected revision; on a conflict, load
 * again and decide again, a bounded number of times. A Rejection thrown by
 * the decider propagates unchanged. Commands on one stream in one process
 * take turns (see inLane).
 */
export function handleCommand<State, Command, Event extends DomainEvent>(
  store: EventStore,
  aggregate: Aggregate<State, Command, Event>,
  streamId: string,
  command: Command,
  options: CommandOptions = {},
): Promise<CommandResult<State, Event>> {
  if (!tracingOn()) return inLane(store, streamId, () => decideOne(store, aggregate, streamId, command, options));
  return inLane(store, streamId, () => tracedDecideOne(store, aggregate, streamId, command, options));
}

async function decideOne<State, Command, Event extends DomainEvent>(
  store: EventStore,
  aggregate: Aggregate<State, Command, Event>,
  streamId: string,
  command: Command,
  options: CommandOptions,
): Promise<CommandResult<State, Event>> {
  const { steps, ...result } = await decideAndAppend(store, aggregate, streamId, [{ command, eventId: options.eventId, metadata: options.metadata }], options);
  return { ...result, events: steps[0]! };
}

/** One of several commands decided in turn and appended together (see handleCommands). */
export interface CommandStep<Command> {
  command: Command;
  eventId?: (n: number) => string;
  metadata?: Metadata;
}

export interface StepsResult<State, Event extends DomainEvent> extends Omit<CommandResult<State, Event>, 'events'> {
  /** What each command decided, in order. */
  steps: Event[][];
}

/**
 * Several commands on one stream (a reaction's batch of sales for one
 * schedule) decided one after the other, each on the state the previous one
 * left, and appended in one write with one expected revision: one
 * transaction instead of one per command. Each event keeps its own id and
 * metadata. A Rejection from any command, or a conflict past the retries,
 * leaves the stream untouched: the caller can then run them one by one.
 * Untraced: with tracing on, each command is a span of its own, whose
 * context its events carry, so callers then run commands one at a time.
 */
export function handleCommands<State, Command, Event extends DomainEvent>(
  store: EventStore,
  aggregate: Aggregate<State, Command, Event>,
  streamId: string,
  steps: readonly CommandStep<Command>[],
  options: Pick<CommandOptions, 'checkpoint' | 'maxAttempts'> = {},
): Promise<StepsResult<State, Event>> {
  return inLane(store, streamId, () => decideAndAppend(store, aggregate, streamId, steps, options));
}

const commandType = (command: unknown) =>
  typeof command === 'object' && command !== null && typeof (command as { type?: unknown }).type === 'string' ? (command as { type: string }).type : 'command';

/**
 * The command in a span of its own: the span that appends the events, so
 * the events carry its trace context and the spans they cause are its
 * children. Its parent is whatever is active: a request, a reaction, a timer.
 */
function tracedDecideOne<State, Command, Event extends DomainEvent>(
  store: EventStore,
  aggregate: Aggregate<State, Command, Event>,
  streamId: string,
  command: Command,
  options: CommandOptions,
): Promise<CommandResult<State, Event>> {
  const attributes = {
    'concert.stream': streamId,
    ...(options.metadata?.correlationId !== undefined ? { [CORRELATION_ATTRIBUTE]: options.metadata.correlationId } : {}),
  };
  return inSpan(options.service ?? 'bus', `${aggregate.category} ${commandType(command)}`, { kind: SpanKind.PRODUCER, attributes }, async (span) => {
    const result = await decideOne(store, aggregate, streamId, command, { ...options, metadata: withTraceContext(options.metadata) });
    span.setAttribute('concert.appended', result.events.map((e) => e.type));
    if (result.position !== null) span.setAttribute('concert.revision', result.revision);
    return result;
  });
}

async function decideAndAppend<State, Command, Event extends DomainEvent>(
  store: EventStore,
  aggregate: Aggregate<State, Command, Event>,
  streamId: string,
  steps: readonly CommandStep<Command>[],
  options: Pick<CommandOptions, 'checkpoint' | 'maxAttempts'>,
): Promise<StepsResult<State, Event>> {
  const maxAttempts = options.maxAttempts ?? 20;
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = await readAggregate(store, aggregate, streamId);
    let next = state;
    const decided = steps.map(({ command }) => {
      const events = aggregate.decide(command, next);
      next = fold(aggregate, events, next);
      return events;
    });
    if (decided.every((events) => events.length === 0)) {
      if (options.checkpoint) await store.writeCheckpoint(options.checkpoint);
      return { steps: decided, state, revision, position: null };
    }
    try {
      const result = await store.append(
        streamId,
        decided.flatMap((events, i) =>
          events.map((event, n) => ({ id: steps[i]!.eventId?.(n), type: event.type, data: event.data, metadata: steps[i]!.metadata })),
        ),
        revision === -1 ? 'no_stream' : revision,
        options.checkpoint ? { checkpoint: options.checkpoint } : {},
      );
      // Cached only when the store says it wrote these very events: an
      // idempotent retry may have matched events an earlier decision wrote
      // differently, and then the next load must read what the store holds.
      if (result.fresh === true) stateCacheOf(store).set(streamId, aggregate, next, result.nextExpectedRevision);
      return { steps: decided, state: next, revision: result.nextExpectedRevision, position: result.position };
    } catch (error) {
      if (!isWrongExpectedVersion(error)) throw error;
      if (attempt >= maxAttempts) throw new ConcurrencyExhaustedError(streamId, attempt);
      // Contended streams (one seat, one wallet) back off a little so retries spread out.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }
}
