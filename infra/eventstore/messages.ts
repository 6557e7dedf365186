import { filter, map, type OperatorFunction } from 'rxjs';
import type { RecordedEvent, SubscriptionMessage } from './port.js';

/** For readers that do not record how far they have read (tail, tests). */
export const onlyEvents = (): OperatorFunction<SubscriptionMessage, RecordedEvent> => (source) =>
  source.pipe(
    filter((message): message is Extract<SubscriptionMessage, { kind: 'event' }> => message.kind === 'event'),
    map((message) => message.event),
  );
