import { fold, type DomainEvent } from '../../bus/decider.js';
import { isStreamNotFound } from '../eventstore/errors.js';
import type { EventStore, RecordedEvent } from '../eventstore/port.js';
import { aggregateOf, CATEGORIES, type AnyAggregate } from './owners.js';
import { CliError } from './errors.js';

/** Where to stop folding: both bounds apply when both are given. */
export interface FoldBounds {
  /** The last revision folded (inclusive). */
  toRevision?: number;
  /** The last event recorded at or before this time. */
  toTime?: Date;
}

export interface FoldStep {
  event: RecordedEvent;
  /** The state after this event. */
  state: unknown;
}

export interface FoldedStream {
  streamId: string;
  /** Every event of the stream, past the bounds too: a browser shows what lies after the revision folded to. */
  events: RecordedEvent[];
  /** The events folded, each with the state it left. */
  steps: FoldStep[];
  state: unknown;
}

/** A stream no aggregate owns, or that does not exist: nothing to fold. */
export class NothingToFold extends CliError {
  override readonly name: string = 'NothingToFold';
}

const asDomain = (event: RecordedEvent): DomainEvent => ({ type: event.type, data: event.data });

export function ownerOf(streamId: string): AnyAggregate {
  const aggregate = aggregateOf(streamId);
  if (!aggregate) throw new NothingToFold(`${streamId}: no aggregate owns this stream; known categories: ${CATEGORIES.join(', ')}`);
  return aggregate;
}

/** One stream folded with its service's aggregate up to the bounds: what `concertctl replay` prints and the console's stream browser shows. */
export async function foldStream(store: EventStore, streamId: string, bounds: FoldBounds = {}): Promise<FoldedStream> {
  const aggregate = ownerOf(streamId);
  let events: RecordedEvent[];
  try {
    events = await store.readStream(streamId);
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
    throw new NothingToFold(`${streamId}: no such stream`);
  }
  const steps: FoldStep[] = [];
  let state = aggregate.initialState();
  for (const event of events) {
    if (bounds.toRevision !== undefined && event.revision > bounds.toRevision) continue;
    if (bounds.toTime !== undefined && event.created.getTime() > bounds.toTime.getTime()) continue;
    state = fold(aggregate, [asDomain(event)], state);
    steps.push({ event, state });
  }
  return { streamId, events, steps, state };
}
