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

/** The store, counting the appends made to each stream through it. */
function countingAppends(store: SqliteEventStore) {
  const appends = new Map<string, number>();
  const counting = new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property === 'append') {
        return (streamId: string, ...rest: unknown[]) => {
          appends.set(streamId, (appends.get(streamId) ?? 0) + 1);
          return (target.append as (...args: unknown[]) => unknown)(streamId, ...rest);
        };
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { counting, appends };
}

t.test('a batch of commands for one stream is decided in turn and appended in one write, each event with its own id and cause', async (t) => {
  const store = new SqliteEventStore({ file: join(t.testdir(), 'events.db') });
  t.teardown(() => store.close());
  const pings = await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(`ping-${i}`, [{ type: 'Ping', data: {}, metadata: { correlationId: `pay-${i}` } }])));
  const last = pings.reduce((a, b) => (a.position > b.position ? a : b));
  const { counting, appends } = countingAppends(store);
  const runner = reactionRunner({ service: 'tally', store: counting, reactions: [countPings], clock: new ManualClock() });
  await runner.start();
  await runner.reached(last.position);
  await runner.stop();

  const counted = await store.readStream('tally-1');
  const sources = await store.readAll({ filter: { eventTypes: ['Ping'] } });
  t.equal(counted.length, 50, 'every ping counted once');
  t.same(counted.map((e) => (e.data as { source: string }).source), sources.map((e) => e.id), 'in the order of the log');
  t.same(
    counted.map((e) => [e.id, e.metadata.causationId, e.metadata.correlationId]),
    sources.map((s) => [derivedEventId('tally.countPings', `${s.id}/0`, 0), s.id, s.metadata.correlationId]),
    'each with the id derived from its own source, its own cause and correlation',
  );
  t.equal(appends.get('tally-1'), 1, 'in one write');
  t.ok((await store.readCheckpoint(reactionSubscriber('tally')))! >= last.position, 'with the checkpoint');
});

t.test('a refused command in a chain: the others are appended, it alone is retried and parked', async (t) => {
  const store = new SqliteEventStore({ file: join(t.testdir(), 'events.db') });
  t.teardown(() => store.close());
  for (let i = 0; i < 10; i++) await store.append(`ping-${i}`, [{ type: 'Ping', data: { poison: i === 4 } }]);
  const head = (await store.headPosition())!;
  const runner = reactionRunner({ service: 'tally', store, reactions: [countPings], clock: new ManualClock(), retry: { attempts: 2, baseMs: 1 } });
  await runner.start();
  await runner.reached(head);
  await runner.stop();
  const counted = await store.readStream('tally-1');
  const sources = (await store.readAll({ filter: { eventTypes: ['Ping'] } })).filter((e) => e.streamId !== 'ping-4');
  t.same(counted.map((e) => (e.data as { source: string }).source), sources.map((e) => e.id), 'the nine others, in order');
  const parked = await store.readStream(parkedStream(reactionSubscriber('tally')));
  t.same(parked.map((e) => (e.data as { streamId: string }).streamId), ['ping-4'], 'the poison parked, once');
});
