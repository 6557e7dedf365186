import type { DomainEvent } from '../../../bus/decider.js';
import type { RecordedEvent } from '../../../infra/eventstore/port.js';

/**
 * A stored event as a subscription would deliver it, for reaction and timer
 * tests (shared by the point, queue, ranking and dataplatform tests).
 */
export function recorded<Event extends DomainEvent>(
  streamId: string,
  event: Event,
  created = new Date('2030-01-01T10:00:00.000Z'),
  position = 1n,
): RecordedEvent<Event['type'], Event['data']> {
  return {
    id: `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`,
    type: event.type,
    data: event.data,
    metadata: {},
    streamId,
    revision: 0,
    position,
    created,
  };
}
