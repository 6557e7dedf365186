import t from 'tap';
import { join } from 'node:path';
import { setImmediate as yieldToReaders } from 'node:timers/promises';
import { SqliteEventStore } from '../../infra/eventstore/sqlite.js';
import { SqliteReadStore } from '../../infra/readstore/sqlite.js';
import type { EventStore } from '../../infra/eventstore/port.js';
import type { Doc } from '../../infra/readstore/port.js';
import { changesOf, rebuild, type Projection } from '../../bus/projection.js';

interface Tally extends Doc {
  count: number;
}

const tally: Projection<Tally> = {
  name: 'tally',
  collection: { name: 'tally', indexes: ['count'] },
  eventTypes: ['Counted'],
  ids: (event) => [event.streamId],
  evolve: (doc, _event, id) => ({ id, count: (doc?.count ?? 0) + 1 }),
};

const STREAMS = 50;
const PER_STREAM = 20;

/**
 * A rebuild while the API reads the model from another connection, as it
 * does from another process: every read sees the whole model (all streams,
 * every event counted), never an emptied or half-refilled one.
 */
t.test('readers during a rebuild see the whole model, old or new, never a part of it', async (t) => {
  const dir = t.testdir();
  const events = new SqliteEventStore({ file: join(dir, 'events.db') });
  const reads = new SqliteReadStore({ file: join(dir, 'reads.db') });
  const api = new SqliteReadStore({ file: join(dir, 'reads.db') });
  t.teardown(async () => {
    await api.close();
    await reads.close();
    await events.close();
  });
  for (let n = 0; n < PER_STREAM; n++) {
    for (let s = 0; s < STREAMS; s++) await events.append(`tally-${s}`, [{ type: 'Counted', data: {} }]);
  }
  // The live model, projected as the projector does.
  const all = await events.readAll();
  await reads.commit([{ projection: tally.name, position: all.at(-1)!.position, changes: await changesOf(reads, tally, all) }]);

  // Each page of the rebuild is a round trip, as on a server: readers get their turn in between.
  const slow: EventStore = Object.assign(Object.create(events) as EventStore, {
    readAll: async (...args: Parameters<EventStore['readAll']>) => {
      await yieldToReaders();
      return events.readAll(...args);
    },
  });
  const view = await api.collection<Tally>(tally.collection);
  const seen: string[] = [];
  let done = false;
  const reader = (async () => {
    while (!done) {
      const docs = await view.find();
      seen.push(`${docs.length} docs, ${docs.reduce((sum, d) => sum + d.count, 0)} counted`);
      await yieldToReaders();
    }
  })();
  const result = await rebuild(slow, reads, tally, undefined, 25);
  done = true;
  await reader;

  t.equal(result.events, STREAMS * PER_STREAM, 'every event rebuilt');
  t.ok(seen.length >= 20, `the reader read throughout the rebuild (${seen.length} reads over ${(STREAMS * PER_STREAM) / 25} pages)`);
  const whole = `${STREAMS} docs, ${STREAMS * PER_STREAM} counted`;
  t.same([...new Set(seen)], [whole], 'every read saw the whole model');
  t.same(await view.count(), STREAMS, 'after the swap the reader has the rebuilt model');
  t.equal(await api.checkpoint(tally.name), all.at(-1)!.position, 'at the head');
});
