import { mapFollowed, observe } from '../../infra/eventstore/messages.js';
import type { EventStore, RecordedEvent } from '../../infra/eventstore/port.js';

/** Where the test clock's time travels with an event on a server store. */
const KEY = 'testClockCreated';

/**
 * The test clock as the events' creation time on a store that stamps its own
 * (EventStoreDB): reactions take "now" from the event, so a test that moves
 * its manual clock must see events created at the clock's time, as the
 * embedded store's `now` option gives them. The time goes into the metadata
 * on append and comes back as `created` on every read; another process
 * reading the same events (a CLI child) sees the server's own time.
 */
export function clockStamped(inner: EventStore, now: () => Date): EventStore {
  const restamp = (event: RecordedEvent): RecordedEvent => {
    const { [KEY]: stamped, ...metadata } = event.metadata;
    return typeof stamped === 'string' ? { ...event, created: new Date(stamped), metadata } : event;
  };
  return {
    get kind() {
      return inner.kind;
    },
    append: (streamId, events, expectedRevision, options) => {
      const at = now().toISOString();
      return inner.append(streamId, events.map((event) => ({ ...event, metadata: { ...event.metadata, [KEY]: at } })), expectedRevision, options);
    },
    readCheckpoint: (subscriber) => inner.readCheckpoint(subscriber),
    writeCheckpoint: (checkpoint) => inner.writeCheckpoint(checkpoint),
    resetCheckpoint: (subscriber) => inner.resetCheckpoint(subscriber),
    readStream: async (streamId, options) => (await inner.readStream(streamId, options)).map(restamp),
    readAll: async (options) => (await inner.readAll(options)).map(restamp),
    readCorrelation: async (correlationId) => (await inner.readCorrelation(correlationId)).map(restamp),
    subscribe: (options) => observe((signal) => mapFollowed(inner.follow({ ...options, signal }), restamp)),
    follow: (options) => mapFollowed(inner.follow(options), restamp),
    headPosition: () => inner.headPosition(),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
