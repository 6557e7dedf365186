import type { Checkpoint, EventStore, Position, RecordedEvent } from '../infra/eventstore/port.js';
import type { Clock } from '../infra/clock.js';
import { silentLog, type Log } from '../infra/log.js';
import { handleCommand, handleCommands, type CommandStep } from './command.js';
import { Consumer, type BatchOutcome } from './consumer.js';
import { derivedEventId } from './ids.js';
import { park } from './parking.js';
import { owns, partitioned, startOf, WHOLE, type Partition } from './partition.js';
import type { ServiceReaction, Target } from './reaction.js';
import { CAUSATION_ATTRIBUTE, contextOf, CORRELATION_ATTRIBUTE, inSpan, SpanKind, SpanStatusCode, tracingOn } from './tracing.js';

export interface RetryPolicy {
  /** Tries per command before the event is parked. */
  attempts: number;
  /** First pause; doubles each try. */
  baseMs: number;
}

export interface ReactionRunnerOptions {
  service: string;
  store: EventStore;
  reactions: readonly ServiceReaction[];
  clock: Clock;
  retry?: RetryPolicy;
  log?: Log;
  /** This instance's share: it runs the commands for the streams it owns, and nothing else. */
  partition?: Partition;
  /** Told about every command a reaction ran, for metrics. */
  onHandled?: (reaction: string, event: RecordedEvent, appended: readonly { type: string }[]) => void;
}

interface Work {
  event: RecordedEvent;
  reaction: ServiceReaction;
  streamId: string;
  command: unknown;
  correlationId?: string;
  /** Which of the reaction's targets for this event: part of the derived event ids. */
  index: number;
}

export const reactionSubscriber = (service: string) => `reactions-${service}`;

/**
 * One command of a reaction for one source event, with the event ids and
 * metadata every run of it gets, whoever runs it: the runner, or an operator
 * redriving a parked event (which then writes what the runner would have).
 */
export function runReaction(
  store: EventStore,
  reaction: ServiceReaction,
  event: RecordedEvent,
  target: Target<unknown> & { index: number },
  checkpoint?: Checkpoint,
  service?: string,
) {
  const { eventId, metadata } = reactionStep(reaction, event, target);
  return handleCommand(store, reaction.aggregate, target.streamId, target.command, { eventId, metadata, checkpoint, service });
}

/** The command of a reaction for one source event, with the ids and metadata of what it appends. */
function reactionStep(reaction: ServiceReaction, event: RecordedEvent, target: Target<unknown> & { index: number }): CommandStep<unknown> {
  return {
    command: target.command,
    eventId: (n) => derivedEventId(reaction.name, `${event.id}/${target.index}`, n),
    metadata: { correlationId: target.correlationId ?? event.metadata.correlationId ?? event.streamId, causationId: event.id },
  };
}

/**
 * Runs a service's reactions from one checkpointed subscription, in global
 * order. Within a batch, work for different streams runs concurrently (the
 * store group-commits it) while work for one stream keeps its order; the
 * checkpoint moves after the whole batch. A command that keeps failing is
 * retried with backoff and then parked, so one poison event cannot stop the
 * service.
 */
export function reactionRunner(options: ReactionRunnerOptions): Consumer {
  const { service, store, reactions, clock } = options;
  const log = options.log ?? silentLog;
  const retry = options.retry ?? { attempts: 5, baseMs: 100 };
  const partition = options.partition ?? WHOLE;
  // One parked stream per service, whichever instance parks: the operator's tools read it by the service's name.
  const whole = reactionSubscriber(service);
  const subscriber = partitioned(whole, partition);
  // Parking is by the event's own stream: of several instances, exactly one parks an unreadable event.
  const parks = (event: RecordedEvent) => owns(partition, event.streamId);
  const eventTypes = [...new Set(reactions.flatMap((r) => r.eventTypes))];

  /** Returns whether the checkpoint, if one was given, was committed with the command. */
  function run(work: Work, checkpoint?: Position): Promise<boolean> {
    // Off, not even the span's attributes are built.
    if (!tracingOn()) return attempts(work, checkpoint);
    const { event, reaction } = work;
    // A child of the span that appended the event: the trace follows causation.
    return inSpan(
      service,
      `react ${reaction.name}`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextOf(event.metadata),
        attributes: {
          'concert.reaction': reaction.name,
          'concert.event_type': event.type,
          [CAUSATION_ATTRIBUTE]: event.id,
          [CORRELATION_ATTRIBUTE]: work.correlationId ?? event.metadata.correlationId ?? event.streamId,
        },
      },
      async (span) => {
        const committed = await attempts(work, checkpoint);
        if (!committed) span.setStatus({ code: SpanStatusCode.ERROR, message: 'parked after failing every attempt' });
        return committed;
      },
    );
  }

  async function attempts(work: Work, checkpoint?: Position): Promise<boolean> {
    const { event, reaction, streamId, command, correlationId, index } = work;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await runReaction(
          store,
          reaction,
          event,
          { streamId, command, correlationId, index },
          checkpoint === undefined ? undefined : { subscriber, position: checkpoint },
          service,
        );
        options.onHandled?.(reaction.name, event, result.events);
        if (result.events.length > 0) {
          log.debug(
            { service, reaction: reaction.name, correlationId: event.metadata.correlationId, source: event.type, appended: result.events.map((e) => e.type) },
            'reacted',
          );
        }
        return true;
      } catch (error) {
        if (attempt >= retry.attempts) {
          log.error({ service, reaction: reaction.name, eventId: event.id, err: error }, 'parking an event that keeps failing');
          await park(store, whole, reaction.name, event, error, attempt, clock.now());
          return false;
        }
        log.warn({ service, reaction: reaction.name, eventId: event.id, attempt, err: error }, 'reaction failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, retry.baseMs * 2 ** (attempt - 1)));
      }
    }
  }

  /**
   * A chain of several commands for one stream, decided in turn and appended
   * in one write (a batch of sales for one schedule: one transaction, not one
   * each). Returns false, having written nothing, when any of them is refused
   * or the write fails: the chain then runs command by command, with the
   * retries and parking each one gets alone.
   */
  async function runTogether(chain: Work[], checkpoint?: Position): Promise<boolean> {
    const aggregate = chain[0]!.reaction.aggregate;
    // Traced, each command is a span of its own whose context its events carry: one at a time, then.
    if (tracingOn() || chain.length < 2 || chain.some((work) => work.reaction.aggregate !== aggregate)) return false;
    try {
      const result = await handleCommands(
        store,
        aggregate,
        chain[0]!.streamId,
        chain.map((work) => reactionStep(work.reaction, work.event, work)),
        checkpoint === undefined ? {} : { checkpoint: { subscriber, position: checkpoint } },
      );
      chain.forEach((work, i) => options.onHandled?.(work.reaction.name, work.event, result.steps[i]!));
      return true;
    } catch (error) {
      log.debug({ service, streamId: chain[0]!.streamId, commands: chain.length, err: error }, 'a chain did not go through in one write; running it command by command');
      return false;
    }
  }

  /** One stream's chain in order; returns whether the checkpoint, if one was given, was committed with it. */
  async function runChain(chain: Work[], checkpoint?: Position): Promise<boolean> {
    if (await runTogether(chain, checkpoint)) return checkpoint !== undefined;
    let committed = false;
    for (const [i, work] of chain.entries()) committed = await run(work, i === chain.length - 1 ? checkpoint : undefined);
    return committed;
  }

  async function handleBatch(events: RecordedEvent[], upTo: Position): Promise<BatchOutcome> {
    const chains = new Map<string, Work[]>();
    for (const event of events) {
      for (const reaction of reactions) {
        if (!reaction.eventTypes.includes(event.type)) continue;
        let targets;
        try {
          targets = reaction.react(event);
        } catch (error) {
          // A reaction that cannot even read the event will not do better later.
          if (parks(event)) await park(store, whole, reaction.name, event, error, 1, clock.now());
          continue;
        }
        targets.forEach((target, index) => {
          if (!owns(partition, target.streamId)) return;
          const chain = chains.get(target.streamId) ?? [];
          chain.push({ event, reaction, streamId: target.streamId, command: target.command, correlationId: target.correlationId, index });
          chains.set(target.streamId, chain);
        });
      }
    }
    // One chain (the usual live case): its last command carries the checkpoint
    // in its own transaction. Several chains run concurrently, so the
    // checkpoint follows them; a crash in between replays the batch, and the
    // derived event ids make that replay write nothing.
    // None of it was this instance's (or any reaction's) work: no write per batch, the checkpoint moves lazily.
    if (chains.size === 0) return 'idle';
    if (chains.size === 1) {
      const [chain] = chains.values();
      return (await runChain(chain!, upTo)) ? 'committed' : 'handled';
    }
    await Promise.all([...chains.values()].map((chain) => runChain(chain)));
    return 'handled';
  }

  return new Consumer({
    name: subscriber,
    store,
    filter: { eventTypes },
    checkpoints: {
      read: () => startOf((name) => store.readCheckpoint(name), whole, partition),
      write: (position) => store.writeCheckpoint({ subscriber, position }),
    },
    handleBatch,
    onError: (error) => log.error({ service, err: error }, 'reaction subscription failed; resubscribing'),
  });
}
