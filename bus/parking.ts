import { isStreamNotFound, isWrongExpectedVersion } from '../infra/eventstore/errors.js';
import type { EventData, EventStore, RecordedEvent } from '../infra/eventstore/port.js';
import { derivedEventId } from './ids.js';

/** Where a service's poison events go: one stream per subscriber, visible to /health and the CLI. */
export const parkedStream = (subscriber: string) => `parked-${subscriber}`;

export interface EventParked {
  type: 'EventParked';
  data: {
    subscriber: string;
    handler: string;
    eventId: string;
    streamId: string;
    /** The parked event's revision in its stream, to read it back by; absent in records parked before it was kept. */
    revision?: number;
    eventType: string;
    position: string;
    error: string;
    attempts: number;
    parkedAt: string;
  };
}

export interface ParkedEventRedriven {
  type: 'ParkedEventRedriven';
  data: { subscriber: string; handler: string; eventId: string; redrivenAt: string; outcome: 'handled' | 'failed'; error?: string };
}

export type ParkingEvent = EventParked | ParkedEventRedriven;

/** Writers racing on one parking stream re-read and retry this often. */
const ATTEMPTS = 10;

/** A parking stream's records and the revision of its last one (-1: no stream yet). */
export async function readParking(store: EventStore, streamId: string): Promise<{ events: RecordedEvent[]; revision: number }> {
  try {
    const events = await store.readStream(streamId);
    return { events, revision: events.at(-1)?.revision ?? -1 };
  } catch (error) {
    if (isStreamNotFound(error)) return { events: [], revision: -1 };
    throw error;
  }
}

/**
 * Appends to a parking stream at the revision just read, unless `recorded`
 * says the record is there already. Idempotent by construction: an append at
 * an exact revision is checked by EventStoreDB against the stream itself,
 * whereas an `any` append is recognised as a repeat only while the server's
 * cache still holds its id. A racing writer makes the append fail; it is then
 * read and decided again.
 */
export async function appendToParking(
  store: EventStore,
  streamId: string,
  make: (revision: number) => EventData,
  recorded: (events: readonly RecordedEvent[]) => boolean,
): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const { events, revision } = await readParking(store, streamId);
    if (recorded(events)) return;
    try {
      await store.append(streamId, [make(revision)], revision === -1 ? 'no_stream' : revision);
      return;
    } catch (error) {
      if (!isWrongExpectedVersion(error)) throw error;
    }
  }
  throw new Error(`${streamId}: still contended after ${ATTEMPTS} attempts`);
}

export async function park(
  store: EventStore,
  subscriber: string,
  handler: string,
  event: RecordedEvent,
  error: unknown,
  attempts: number,
  now: Date,
): Promise<void> {
  const parked: EventParked = {
    type: 'EventParked',
    data: {
      subscriber,
      handler,
      eventId: event.id,
      streamId: event.streamId,
      revision: event.revision,
      eventType: event.type,
      position: event.position.toString(),
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      attempts,
      parkedAt: now.toISOString(),
    },
  };
  // Parking the same event twice (a replay) records it once.
  const id = derivedEventId(`park:${handler}`, event.id, 0);
  await appendToParking(
    store,
    parkedStream(subscriber),
    () => ({ id, type: parked.type, data: parked.data, metadata: { correlationId: event.metadata.correlationId, causationId: event.id } }),
    (events) => events.some((recorded) => recorded.id === id),
  );
}
