import type { RecordedEvent } from '../infra/eventstore/port.js';
import type { Aggregate, DomainEvent } from './decider.js';

/** A command for one stream of a service's own aggregate. */
export interface Target<Command> {
  streamId: string;
  command: Command;
  /**
   * The correlation of what the command appends, when it is not the source
   * event's: one admission decision lets in many tokens, each of which is a
   * correlation of its own.
   */
  correlationId?: string;
}

/**
 * A reaction: how a service answers other services' events, as a pure
 * function from an event to commands on its own aggregate. The bus loads the
 * stream, decides, appends with deterministic event ids and checkpoints.
 */
export interface Reaction<State, Command, Event extends DomainEvent> {
  /** Stable: names the checkpoint and seeds the deterministic event ids. */
  name: string;
  aggregate: Aggregate<State, Command, Event>;
  /** The event types it subscribes to (a server-side filter). */
  eventTypes: readonly string[];
  react(event: RecordedEvent): Target<Command>[];
}

/**
 * A timer: a deadline kept by the service for one stream. The bus persists due
 * timers, fires the command when the clock passes `dueAt`, and rebuilds the
 * schedule from the events after a restart.
 */
export interface TimerRule<State, Command, Event extends DomainEvent> {
  name: string;
  aggregate: Aggregate<State, Command, Event>;
  eventTypes: readonly string[];
  /**
   * For each event: timers to set (keyed, so setting again replaces) and keys to
   * cancel. `command` is built when the timer fires, with the firing time.
   */
  schedule(event: RecordedEvent): TimerChange[];
  /** May perform an effect first (a delivery's HTTP call); the outcome comes back as commands. */
  fire(timer: DueTimer, now: Date): Target<Command>[] | Promise<Target<Command>[]>;
}

export type TimerChange =
  | { op: 'set'; key: string; dueAt: string; streamId: string; payload?: Record<string, unknown> }
  | { op: 'cancel'; key: string };

export interface DueTimer {
  key: string;
  dueAt: string;
  streamId: string;
  payload: Record<string, unknown>;
}

/**
 * A reaction or timer rule of some aggregate, for lists that mix aggregates.
 * Method parameters are bivariant in TypeScript, so every concrete reaction
 * fits without a cast.
 */
export type ServiceReaction = Reaction<unknown, unknown, DomainEvent>;
export type ServiceTimer = TimerRule<unknown, unknown, DomainEvent>;
