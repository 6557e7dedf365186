import t from 'tap';
import { v4 as uuid } from 'uuid';
import { EsdbEventStore, packPosition } from '../../infra/eventstore/esdb.js';
import type { EventData } from '../../infra/eventstore/port.js';
import { park, parkedStream } from '../../bus/parking.js';
import { ScriptedEventStoreDB } from '../support/esdb-scripted.js';

/**
 * What the EventStoreDB adapter writes, and what writing costs it, against a
 * scripted server (see test/support/esdb-scripted.ts) that counts every call.
 */

/** What a promise rejected with; a success is returned as an error for the assertion to show. */
const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => new Error('expected a failure, but it succeeded'),
    (error: unknown) => error,
  );

const event = (type: string): EventData => ({ id: uuid(), type, data: {} });

function open() {
  const server = new ScriptedEventStoreDB();
  const store = EsdbEventStore.over(server.client);
  return { server, store };
}

t.test("EventStoreDB's correlation convention: $correlationId and $causationId on the server, ours in the code", async (t) => {
  const { server, store } = open();
  t.teardown(() => store.close());
  await store.append('seat-1', [{ id: uuid(), type: 'Held', data: {}, metadata: { correlationId: 'pay-1', causationId: 'cmd-1', by: 'ana' } }]);
  t.same(server.log.find((e) => e.streamId === 'seat-1')!.metadata, { $correlationId: 'pay-1', $causationId: 'cmd-1', by: 'ana' }, 'stored as the server names them');
  const [read] = await store.readStream('seat-1');
  t.same(read!.metadata, { correlationId: 'pay-1', causationId: 'cmd-1', by: 'ana' }, 'read back as the rest of the code names them');
});

t.test('a reaction checkpoint is written without reading it back each time, in a stream that keeps one', async (t) => {
  const { server, store } = open();
  t.teardown(() => store.close());
  for (let n = 1; n <= 20; n++) await store.writeCheckpoint({ subscriber: 'r', position: BigInt(n) });
  t.ok((server.streamReads.get('checkpoint-r') ?? 0) <= 1, `${server.streamReads.get('checkpoint-r') ?? 0} reads of the checkpoint stream for 20 writes`);
  t.same(server.streamMetadata.get('checkpoint-r'), { maxCount: 1 }, '$maxCount 1: a scavenge may reclaim the rest');
  t.equal(server.calls.setStreamMetadata, 1, 'the metadata is set once');
  t.equal(await store.readCheckpoint('r'), 20n);
  // Another process moves it meanwhile: the next write notices, and still never goes backwards.
  const other = EsdbEventStore.over(server.client);
  await other.writeCheckpoint({ subscriber: 'r', position: 50n });
  await store.writeCheckpoint({ subscriber: 'r', position: 30n });
  t.equal(await store.readCheckpoint('r'), 50n, 'never backwards');
  await other.writeCheckpoint({ subscriber: 'r', position: 55n });
  await store.writeCheckpoint({ subscriber: 'r', position: 60n });
  t.equal(await store.readCheckpoint('r'), 60n, 'a stale revision is read again, then written');
  await store.resetCheckpoint('r');
  t.equal(await other.readCheckpoint('r'), null, 'reset');
});

t.test('the head is found in a few records at the end, not a page of a thousand', async (t) => {
  const { server, store } = open();
  t.teardown(() => store.close());
  t.equal(await store.headPosition(), null, 'an empty store has none');
  for (let i = 0; i < 600; i++) await store.append(`busy-${i % 7}`, [{ id: uuid(), type: 'Busy', data: { i } }]);
  await store.writeCheckpoint({ subscriber: 'r', position: 1n });
  const before = server.recordsSentByReads;
  const head = await store.headPosition();
  t.equal(head, packPosition(server.log.filter((e) => !e.type.startsWith('$')).at(-1)!.position), 'the last application event');
  t.ok(server.recordsSentByReads - before <= 32, `${server.recordsSentByReads - before} records read`);
});

t.test('a filtered $all read is filtered on the server and leaves nothing open', async (t) => {
  const { server, store } = open();
  t.teardown(() => store.close());
  for (let i = 0; i < 300; i++) await store.append(`busy-${i % 7}`, [{ id: uuid(), type: 'Busy', data: { i } }]);
  await store.append('seat-1', [{ id: uuid(), type: 'Rare', data: {} }]);
  for (let i = 0; i < 300; i++) await store.append(`busy-${i % 7}`, [{ id: uuid(), type: 'Busy', data: { i } }]);
  const sentBefore = server.recordsSentByReads + server.subscriptionSent;
  const rare = await store.readAll({ filter: { eventTypes: ['Rare'] } });
  t.same(rare.map((e) => e.streamId), ['seat-1']);
  const sent = server.recordsSentByReads + server.subscriptionSent - sentBefore;
  t.ok(sent <= 32, `${sent} records sent for one matching event among ${server.log.length}`);
  t.same((await store.readAll({ after: rare[0]!.position, maxCount: 3 })).map((e) => e.type), ['Busy', 'Busy', 'Busy'], 'after is exclusive, maxCount bounds');
  t.same(await store.readAll({ after: rare[0]!.position, filter: { eventTypes: ['Rare'] } }), [], 'nothing matches after it: the read ends at the end');
  for (let wait = 0; server.openCalls > 0 && wait < 50; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
  t.equal(server.openCalls, 0, 'no subscription left open');
});

t.test('parking is idempotent by construction: long after the server forgot the id, and when its answer was lost', async (t) => {
  const { server, store } = open();
  t.teardown(() => store.close());
  // The server recognises an `any` append as a repeat only while its cache holds the id.
  server.idCacheSize = 10;
  await store.append('seat-1', [event('SeatReserved')]);
  const [poison] = await store.readStream('seat-1');
  await park(store, 'reactions-point', 'point.debit', poison!, new Error('boom'), 5, new Date());
  for (let i = 0; i < 50; i++) await store.append(`busy-${i}`, [event('Busy')]);
  await park(store, 'reactions-point', 'point.debit', poison!, new Error('boom'), 5, new Date());
  await store.append('seat-2', [event('SeatReserved')]);
  const [second] = await store.readStream('seat-2');
  server.faults.failNextAppend = 'after-write';
  t.match(await failureOf(park(store, 'reactions-point', 'point.debit', second!, new Error('boom'), 5, new Date())), { type: 'unavailable' }, 'the answer is lost');
  for (let i = 0; i < 50; i++) await store.append(`busy-more-${i}`, [event('Busy')]);
  await park(store, 'reactions-point', 'point.debit', second!, new Error('boom'), 5, new Date());
  const parked = await store.readStream(parkedStream('reactions-point'));
  t.same(parked.map((e) => (e.data as { eventId: string }).eventId), [poison!.id, second!.id], 'each poison event parked once');
});

t.test('an append whose answer was lost is retried at its revision and written once', async (t) => {
  const { server, store } = open();
  t.teardown(() => store.close());
  server.idCacheSize = 1;
  await store.append('seat-1', [event('A')], 'no_stream');
  const lost = [event('B'), event('C')];
  server.faults.failNextAppend = 'after-write';
  t.match(await failureOf(store.append('seat-1', lost, 0)), { type: 'unavailable' });
  await store.append('other', [event('Evicts the id cache')]);
  const retried = await store.append('seat-1', lost, 0);
  t.equal(retried.nextExpectedRevision, 2);
  t.same((await store.readStream('seat-1')).map((e) => e.type), ['A', 'B', 'C'], 'written once');
  server.faults.failNextAppend = 'before-write';
  t.match(await failureOf(store.append('seat-1', [event('D')], 2)), { type: 'unavailable' });
  t.equal((await store.readStream('seat-1')).length, 3, 'nothing written when the connection dropped first');
});
