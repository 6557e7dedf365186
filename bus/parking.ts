import type { EventStore, RecordedEvent } from '../infra/eventstore/port.js';
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
      eventType: event.type,
      position: event.position.toString(),
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      attempts,
      parkedAt: now.toISOString(),
    },
  };
  await store.append(parkedStream(subscriber), [
    {
      // Parking the same event twice (a replay) records it once.
      id: derivedEventId(`park:${handler}`, event.id, 0),
      type: parked.type,
      data: parked.data,
      metadata: { correlationId: event.metadata.correlationId, causationId: event.id },
    },
  ]);
}
