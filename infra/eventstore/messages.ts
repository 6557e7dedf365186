import { filter, map, Observable, type OperatorFunction } from 'rxjs';
import type { Position, RecordedEvent, SubscriptionMessage } from './port.js';

/** For readers that do not record how far they have read (tail, tests). */
export const onlyEvents = (): OperatorFunction<SubscriptionMessage, RecordedEvent> => (source) =>
  source.pipe(
    filter((message): message is Extract<SubscriptionMessage, { kind: 'event' }> => message.kind === 'event'),
    map((message) => message.event),
  );

/**
 * The push view of a pulled subscription: each batch is read after the
 * previous one has been handed on, and unsubscribing ends the reading.
 */
export function observe(follow: (signal: AbortSignal) => AsyncIterable<SubscriptionMessage[]>): Observable<SubscriptionMessage> {
  return new Observable<SubscriptionMessage>((subscriber) => {
    const halt = new AbortController();
    void (async () => {
      try {
        for await (const batch of follow(halt.signal)) {
          for (const message of batch) {
            if (halt.signal.aborted) return;
            subscriber.next(message);
          }
        }
        // The store ended the reading (it closed) rather than the subscriber: it is over.
        if (!halt.signal.aborted) subscriber.complete();
      } catch (error) {
        if (!halt.signal.aborted) subscriber.error(error);
      }
    })();
    return () => halt.abort();
  });
}

/** The same batches with every event passed through `change`: for wrappers that rename or restamp events. */
export async function* mapFollowed(
  batches: AsyncIterable<SubscriptionMessage[]>,
  change: (event: RecordedEvent) => RecordedEvent,
): AsyncGenerator<SubscriptionMessage[]> {
  for await (const batch of batches) yield batch.map((m) => (m.kind === 'event' ? { kind: 'event', event: change(m.event) } : m));
}

/** How far a message says its reader has got: an event's position, or a checkpoint's. */
export const positionOf = (message: SubscriptionMessage): Position => (message.kind === 'event' ? message.event.position : message.position);
