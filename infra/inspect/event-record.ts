import type { RecordedEvent } from '../eventstore/port.js';

export interface EventRecord {
  position: string;
  streamId: string;
  revision: number;
  type: string;
  created: string;
  id: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
}

/** An event as JSON: everything a script or the console needs, positions as strings. */
export function eventRecord(event: RecordedEvent): EventRecord {
  return {
    position: event.position.toString(),
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    created: event.created.toISOString(),
    id: event.id,
    data: event.data,
    metadata: event.metadata,
  };
}
