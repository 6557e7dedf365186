import t from 'tap';
import { join } from 'node:path';
import { SqliteEventStore } from '../../infra/eventstore/sqlite.js';
import { handleCommand, load } from '../../bus/command.js';
import type { Aggregate, DomainEvent } from '../../bus/decider.js';

type Added = DomainEvent<'Added', { n: number }>;
type Add = { type: 'Add'; data: { n: number } };
const counter: Aggregate<{ total: number; events: number }, Add, Added> = {
  category: 'counter',
  initialState: () => ({ total: 0, events: 0 }),
  decide: (command) => [{ type: 'Added', data: { n: command.data.n } }],
  evolve: (state, event) => ({ total: state.total + event.data.n, events: state.events + 1 }),
};

t.test('a cached state still sees what another process appended since', async (t) => {
  const file = join(t.testdir(), 'events.db');
  const mine = new SqliteEventStore({ file });
  const theirs = new SqliteEventStore({ file });
  t.teardown(async () => {
    await mine.close();
    await theirs.close();
  });
  await handleCommand(mine, counter, 'counter-1', { type: 'Add', data: { n: 1 } });
  t.same((await load(mine, counter, 'counter-1')).state, { total: 1, events: 1 }, 'loaded (and now cached) here');
  await handleCommand(theirs, counter, 'counter-1', { type: 'Add', data: { n: 10 } });
  const result = await handleCommand(mine, counter, 'counter-1', { type: 'Add', data: { n: 100 } });
  t.same(result.state, { total: 111, events: 3 }, 'the other process\'s event is folded in before deciding');
  t.equal(result.revision, 2);
});

t.test('concurrent commands on one stream all land, each deciding on the latest state', async (t) => {
  const store = new SqliteEventStore({ file: join(t.testdir(), 'events.db') });
  t.teardown(() => store.close());
  await Promise.all(Array.from({ length: 30 }, (_, i) => handleCommand(store, counter, 'counter-1', { type: 'Add', data: { n: i } })));
  t.same((await load(store, counter, 'counter-1')).state, { total: 435, events: 30 });
});

t.test('tracing off (no OTEL_* variable): events carry no trace context', async (t) => {
  const store = new SqliteEventStore({ file: join(t.testdir(), 'events.db') });
  t.teardown(() => store.close());
  await handleCommand(store, counter, 'counter-1', { type: 'Add', data: { n: 1 } }, { metadata: { correlationId: 'c' }, service: 'test' });
  const [added] = await store.readStream('counter-1');
  t.same(added!.metadata, { correlationId: 'c' }, 'the metadata as given, no traceparent');
});
