import type { EventFilter, EventStore, Position, RecordedEvent } from '../eventstore/port.js';

const PAGE = 5_000;

/** $all in global order, a page at a time, so a scan never holds the whole store in memory. */
export async function* allEvents(store: EventStore, filter?: EventFilter, after?: Position): AsyncGenerator<RecordedEvent> {
  let cursor = after;
  for (;;) {
    const page = await store.readAll({ after: cursor, maxCount: PAGE, filter });
    yield* page;
    if (page.length < PAGE) return;
    cursor = page.at(-1)!.position;
  }
}
