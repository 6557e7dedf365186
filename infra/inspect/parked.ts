import type { EventStore, RecordedEvent } from '../eventstore/port.js';
import { isStreamNotFound } from '../eventstore/errors.js';
import type { Stores } from '../stores.js';
import type { Config } from '../config.js';
import { appendToParking, parkedStream, type EventParked, type ParkedEventRedriven } from '../../bus/parking.js';
import { derivedEventId } from '../../bus/ids.js';
import { reactionSubscriber, runReaction } from '../../bus/reactions.js';
import { allEvents } from './all-events.js';
import { CliError } from './errors.js';
import { definitions, SERVICE_NAMES, type ServiceName } from './definitions.js';

/**
 * Events a service's reaction gave up on (parked in `parked-reactions-<service>`),
 * minus those an operator has since redriven successfully. A redrive runs the
 * named reaction on the original event exactly as the runner would (same
 * derived ids, so a reaction that did get through meanwhile writes nothing),
 * then records the attempt in the same stream.
 */

export interface Parked {
  service: ServiceName;
  parkedStreamId: string;
  parked: EventParked['data'];
  /** The last redrive that failed, if any. */
  lastRedrive?: ParkedEventRedriven['data'];
}

const key = (handler: string, eventId: string) => `${handler}\u0000${eventId}`;

export async function readParked(store: EventStore): Promise<Parked[]> {
  const open = new Map<string, Parked>();
  for (const service of SERVICE_NAMES) {
    const streamId = parkedStream(reactionSubscriber(service));
    let events: RecordedEvent[];
    try {
      events = await store.readStream(streamId);
    } catch (error) {
      if (isStreamNotFound(error)) continue;
      throw error;
    }
    for (const event of events) {
      if (event.type === 'EventParked') {
        const data = event.data as EventParked['data'];
        open.set(key(data.handler, data.eventId), { service, parkedStreamId: streamId, parked: data });
      } else if (event.type === 'ParkedEventRedriven') {
        const data = event.data as ParkedEventRedriven['data'];
        const entry = open.get(key(data.handler, data.eventId));
        if (!entry) continue;
        if (data.outcome === 'handled') open.delete(key(data.handler, data.eventId));
        else entry.lastRedrive = data;
      }
    }
  }
  return [...open.values()];
}

/**
 * By its stream and revision (one read), by its id in its stream for records
 * parked before the revision was kept, through $all as a last resort (its
 * stream was deleted). Never by "the position before it": on EventStoreDB
 * that is not a position one may read from.
 */
async function originalEvent(store: EventStore, parked: EventParked['data']): Promise<RecordedEvent | undefined> {
  let stream: RecordedEvent[] = [];
  try {
    if (parked.revision !== undefined) {
      const [atRevision] = await store.readStream(parked.streamId, { fromRevision: parked.revision, maxCount: 1 });
      if (atRevision?.id === parked.eventId) return atRevision;
    }
    stream = await store.readStream(parked.streamId);
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
  }
  const inStream = stream.find((event) => event.id === parked.eventId);
  if (inStream) return inStream;
  for await (const event of allEvents(store, { eventTypes: [parked.eventType] })) if (event.id === parked.eventId) return event;
  return undefined;
}

/** Runs the reaction on the event again, as its service would, and records the outcome in the parked stream. */
export async function redriveParked(stores: Stores, config: Config, entry: Parked, now: Date): Promise<ParkedEventRedriven['data']> {
  const { parked } = entry;
  const redrivenAt = now.toISOString();
  const outcome = (error?: unknown): ParkedEventRedriven['data'] => ({
    subscriber: parked.subscriber,
    handler: parked.handler,
    eventId: parked.eventId,
    redrivenAt,
    outcome: error === undefined ? 'handled' : 'failed',
    ...(error === undefined ? {} : { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
  });
  const reaction = definitions(stores, config)[entry.service].reactions.find((r) => r.name === parked.handler);
  if (!reaction) throw new CliError(`${entry.service} has no reaction named ${parked.handler} any more; nothing to redrive it with`);
  const event = await originalEvent(stores.events, parked);
  if (!event) throw new CliError(`event ${parked.eventId} (position ${parked.position}) is not in the store`);
  let result: ParkedEventRedriven['data'];
  try {
    const targets = reaction.react(event);
    for (const [index, target] of targets.entries()) await runReaction(stores.events, reaction, event, { ...target, index });
    result = outcome();
  } catch (error) {
    result = outcome(error);
  }
  const recorded: ParkedEventRedriven = { type: 'ParkedEventRedriven', data: result };
  // At the revision read, with an id derived from it: a retry after a lost answer is recognised, not written twice.
  await appendToParking(
    stores.events,
    entry.parkedStreamId,
    (revision) => ({
      id: derivedEventId(`redrive:${parked.handler}`, parked.eventId, revision + 1),
      type: recorded.type,
      data: recorded.data,
      metadata: { correlationId: event.metadata.correlationId ?? event.streamId, causationId: event.id },
    }),
    () => false,
  );
  return result;
}
