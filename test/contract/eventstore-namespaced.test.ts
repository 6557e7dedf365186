import t, { type Test } from 'tap';
import { join } from 'node:path';
import { v4 as uuid } from 'uuid';
import { firstValueFrom, take, toArray, timeout } from 'rxjs';
import { SqliteEventStore } from '../../infra/eventstore/sqlite.js';
import { EsdbEventStore } from '../../infra/eventstore/esdb.js';
import { WrongExpectedVersionError, StreamNotFoundError } from '../../infra/eventstore/errors.js';
import { onlyEvents } from '../../infra/eventstore/messages.js';
import { NamespacedEventStore } from '../../infra/namespaced-store.js';
import { eventStoreContract } from './eventstore.contract.js';

/**
 * EVENTSTORE_NAMESPACE: one system's share of an event store others write to
 * too. It must keep the whole port contract, and see nothing of the others.
 */
const fresh = () => `n${uuid().replaceAll('-', '')}`;
const event = (type: string, data: unknown = {}) => ({ id: uuid(), type, data });

/** Two namespaces and a plain writer, each its own connection, on one file. */
async function threeWriters(t: Test) {
  const file = join(t.testdir(), 'events.db');
  const plain = new SqliteEventStore({ file, pollMs: 10 });
  const a = await NamespacedEventStore.open(new SqliteEventStore({ file, pollMs: 10 }), 'alpha');
  const b = await NamespacedEventStore.open(new SqliteEventStore({ file, pollMs: 10 }), 'beta');
  t.teardown(async () => {
    await a.close();
    await b.close();
    await plain.close();
  });
  return { file, plain, a, b };
}

t.test('a namespace on the embedded store keeps the contract', async (t) => {
  const file = join(t.testdir(), 'events.db');
  // Someone else's events before and around the namespace's.
  const others = new SqliteEventStore({ file });
  t.teardown(() => others.close());
  await others.append('seat-1', [event('Elsewhere')]);
  eventStoreContract(t, async () => NamespacedEventStore.open(new SqliteEventStore({ file, pollMs: 10 }), fresh()));
});

t.test('readCorrelation in a namespace: its own events with that correlation id, never another namespace\'s', async (t) => {
  const { plain, a, b } = await threeWriters(t);
  // One correlation id in three systems: correlation ids are not namespaced, streams are.
  const correlated = (type: string) => ({ ...event(type), metadata: { correlationId: 'shared' } });
  await a.append('seat-1', [correlated('HeldByA')]);
  await b.append('seat-1', [correlated('HeldByB')]);
  await plain.append('seat-1', [correlated('HeldPlain')]);
  await a.append('payment-1', [correlated('PaidByA')]);
  t.same((await a.readCorrelation('shared')).map((e) => `${e.streamId}:${e.type}`), ['seat-1:HeldByA', 'payment-1:PaidByA'], 'alpha sees its own, by its names');
  t.same((await b.readCorrelation('shared')).map((e) => e.type), ['HeldByB']);
  t.same((await plain.readCorrelation('shared')).map((e) => e.type), ['HeldByA', 'HeldByB', 'HeldPlain', 'PaidByA'], 'the whole store sees every one');
});

t.test('two namespaces and a plain writer on one store see only their own', async (t) => {
  const { file, plain, a, b } = await threeWriters(t);
  t.equal(await a.headPosition(), null, 'a new namespace is empty');

  const mine = await a.append('seat-1', [event('HeldByA')], 'no_stream');
  await b.append('seat-1', [event('HeldByB')], 'no_stream');
  await plain.append('seat-1', [event('HeldPlain')], 'no_stream');
  const later = await a.append('payment-9', [event('PaidByA')]);

  t.same((await a.readStream('seat-1')).map((e) => [e.streamId, e.type]), [['seat-1', 'HeldByA']], 'one stream name, three streams');
  t.same((await b.readStream('seat-1')).map((e) => e.type), ['HeldByB']);
  t.same((await a.readAll()).map((e) => `${e.streamId}:${e.type}`), ['seat-1:HeldByA', 'payment-9:PaidByA'], '$all is the namespace');
  t.same((await a.readAll({ filter: { streamPrefixes: ['payment-'] } })).map((e) => e.type), ['PaidByA'], 'a prefix filter within it');
  t.same((await a.readAll({ filter: { eventTypes: ['HeldByB', 'HeldPlain', 'HeldByA'] } })).map((e) => e.type), ['HeldByA'], 'a type filter within it');
  t.equal((await a.readAll())[0]!.position, mine.position, 'positions are the store’s own');
  t.equal(await a.headPosition(), later.position, 'the head is the namespace’s last event');
  await plain.append('seat-2', [event('LaterPlain')]);
  t.equal(await a.headPosition(), later.position, 'others writing do not move it');

  const error = await a.append('seat-1', [event('X')], 'no_stream').catch((e: unknown) => e);
  t.type(error, WrongExpectedVersionError);
  t.match(error, { streamId: 'seat-1', expected: 'no_stream', actual: 0 }, 'errors name the stream as the caller knows it');
  t.match(await a.readStream('nope').catch((e: unknown) => e), new StreamNotFoundError('nope'));

  await a.writeCheckpoint({ subscriber: 'reactions-payment', position: later.position });
  t.equal(await b.readCheckpoint('reactions-payment'), null, 'checkpoints are per namespace');
  t.equal(await a.readCheckpoint('reactions-payment'), later.position);

  const seen = firstValueFrom(a.subscribe({ from: 'start' }).pipe(onlyEvents(), take(3), toArray(), timeout(5_000)));
  await b.append('seat-3', [event('LiveB')]);
  await a.append('seat-3', [event('LiveA')]);
  t.same((await seen).map((e) => `${e.streamId}:${e.type}`), ['seat-1:HeldByA', 'payment-9:PaidByA', 'seat-3:LiveA'], 'a subscription, catch-up and live');

  const again = await NamespacedEventStore.open(new SqliteEventStore({ file }), 'alpha');
  t.teardown(() => again.close());
  t.same((await again.readAll()).map((e) => e.type), ['HeldByA', 'PaidByA', 'LiveA'], 'opened again (another process): the same namespace');
});

t.test('a namespace name is letters and digits', async (t) => {
  const store = new SqliteEventStore({ file: join(t.testdir(), 'events.db') });
  t.teardown(() => store.close());
  await t.rejects(NamespacedEventStore.open(store, 'a-b'), RangeError);
  await t.rejects(NamespacedEventStore.open(store, ''), RangeError);
});

const url = process.env.EVENTSTORE_URL;
t.test('a namespace on EventStoreDB keeps the contract', { skip: url ? false : 'EVENTSTORE_URL not set' }, async (t) => {
  eventStoreContract(t, async () => NamespacedEventStore.open(await EsdbEventStore.connect(url!), fresh()));
});
