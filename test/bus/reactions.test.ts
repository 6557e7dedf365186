import t from 'tap';
import { join } from 'node:path';
import { SqliteEventStore } from '../../infra/eventstore/sqlite.js';
import { ManualClock } from '../../infra/clock.js';
import { reactionRunner, reactionSubscriber } from '../../bus/reactions.js';
import { parkedStream } from '../../bus/parking.js';
import { derivedEventId } from '../../bus/ids.js';
import type { Aggregate, DomainEvent } from '../../bus/decider.js';
import type { Reaction } from '../../bus/reaction.js';

// A tally: the smallest aggregate that shows what the runner does with successes, flaky failures and poison.
type Counted = DomainEvent<'Counted', { source: string }>;
type Count = { type: 'Count'; data: { source: string; poison: boolean } };
let flakyFailuresLeft = 0;
const tally: Aggregate<{ seen: string[] }, Count, Counted> = {
  category: 'tally',
  initialState: () => ({ seen: [] }),
  decide(command, state) {
    if (command.data.poison) throw new Error('this event can never be handled');
    if (flakyFailuresLeft > 0) {
      flakyFailuresLeft--;
      throw new Error('a passing fault');
    }
    return state.seen.includes(command.data.source) ? [] : [{ type: 'Counted', data: { source: command.data.source } }];
  },
  evolve: (state, event) => ({ seen: [...state.seen, event.data.source] }),
};
const countPings: Reaction<{ seen: string[] }, Count, Counted> = {
  name: 'tally.countPings',
  aggregate: tally,
  eventTypes: ['Ping'],
  react: (event) => [{ streamId: 'tally-1', command: { type: 'Count', data: { source: event.id, poison: (event.data as { poison?: boolean }).poison === true } } }],
};

t.test('a poison event is parked after its retries and the stream goes on; a passing fault is retried', async (t) => {
  const store = new SqliteEventStore({ file: join(t.testdir(), 'events.db') });
  t.teardown(() => store.close());
  const runner = reactionRunner({ service: 'tally', store, reactions: [countPings], clock: new ManualClock(), retry: { attempts: 3, baseMs: 1 } });
  await runner.start();
  t.teardown(() => runner.stop());

  flakyFailuresLeft = 2;
  await store.append('ping-1', [{ type: 'Ping', data: {} }]);
  await store.append('ping-2', [{ type: 'Ping', data: { poison: true } }]);
  const last = await store.append('ping-3', [{ type: 'Ping', data: {} }]);
  await runner.reached(last.position);

  const counted = await store.readStream('tally-1');
  t.equal(counted.length, 2, 'the flaky one and the one after the poison were both handled');
  const [parked] = await store.readStream(parkedStream(reactionSubscriber('tally')));
  t.match(parked, { type: 'EventParked', data: { handler: 'tally.countPings', streamId: 'ping-2', attempts: 3 } });
  t.match((parked!.data as { error: string }).error, /can never be handled/);
  t.ok((await store.readCheckpoint(reactionSubscriber('tally')))! >= last.position, 'the checkpoint moved past the poison');
});

t.test('reaction output carries derived ids, the correlation and the cause', async (t) => {
  const store = new SqliteEventStore({ file: join(t.testdir(), 'events.db') });
  t.teardown(() => store.close());
  const runner = reactionRunner({ service: 'tally', store, reactions: [countPings], clock: new ManualClock() });
  await runner.start();
  const ping = await store.append('ping-1', [{ type: 'Ping', data: {}, metadata: { correlationId: 'pay-1' } }]);
  await runner.reached(ping.position);
  await runner.stop();
  const [source] = await store.readStream('ping-1');
  const [out] = await store.readStream('tally-1');
  t.match(out!.metadata, { correlationId: 'pay-1', causationId: source!.id });
  t.equal(out!.id, derivedEventId('tally.countPings', `${source!.id}/0`, 0), 'the id is derived from the reaction and its source');

  // Run the same reaction over the same event again: the derived id makes it the same event.
  await store.resetCheckpoint(reactionSubscriber('tally'));
  const again = reactionRunner({ service: 'tally', store, reactions: [countPings], clock: new ManualClock() });
  await again.start();
  await again.reached(ping.position);
  await again.stop();
  t.equal((await store.readStream('tally-1')).length, 1, 'no second event');
});
