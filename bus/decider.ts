import type { RecordedEvent } from '../infra/eventstore/port.js';

/** A domain event as deciders see it: a discriminated union member of `type` and `data`. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/**
 * An aggregate as pure functions, after the decider pattern: `decide` turns a
 * command and the current state into new events (or throws a Rejection),
 * `evolve` folds an event into the state. Neither touches the store, the clock
 * or the network: time arrives inside commands.
 */
export interface Decider<State, Command, Event extends DomainEvent> {
  initialState(): State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

/** A decider bound to its stream category: `seat` owns streams named `seat-…`. */
export interface Aggregate<State, Command, Event extends DomainEvent> extends Decider<State, Command, Event> {
  category: string;
}

/** Why a command was refused; the HTTP layer maps `kind` to a status code and `code` to the error code. */
export type RejectionKind = 'conflict' | 'not_found' | 'forbidden' | 'invalid';

export class Rejection extends Error {
  override readonly name = 'Rejection';
  constructor(
    readonly kind: RejectionKind,
    readonly code: string,
    message: string,
    /** More for the client beside the message (which seats were taken, say). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** Folds a stream's events into state. */
export function fold<State, Command, Event extends DomainEvent>(
  decider: Decider<State, Command, Event>,
  events: readonly Event[],
  state: State = decider.initialState(),
): State {
  return events.reduce((current, event) => decider.evolve(current, event), state);
}

/**
 * Narrows a recorded event to one member of a union by its type. The data is
 * trusted: only the owning service writes its events, through its decider.
 */
export function isEvent<Event extends DomainEvent, Type extends Event['type']>(
  event: RecordedEvent,
  type: Type,
): event is RecordedEvent<Type, Extract<Event, { type: Type }>['data']> {
  return event.type === type;
}
