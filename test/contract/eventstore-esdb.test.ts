import t from 'tap';
import { v4 as uuid } from 'uuid';
import { firstValueFrom, take, timeout, toArray } from 'rxjs';
import { EsdbEventStore, eventTypeRegex, packPosition, unpackPosition } from '../../infra/eventstore/esdb.js';
import { onlyEvents } from '../../infra/eventstore/messages.js';
import { eventStoreContract } from './eventstore.contract.js';

/**
 * The suite names its streams with a fresh random prefix per test, so it runs
 * on a server that already holds data; an empty one is not needed.
 */
const url = process.env.EVENTSTORE_URL;
const skip = url
  ? false
  : 'EVENTSTORE_URL not set: EventStoreDB contract suite skipped (docker compose up -d eventstore, then EVENTSTORE_URL=esdb://localhost:2113?tls=false npm test)';

t.test('a packed position keeps $all order: commit first, then prepare', async (t) => {
  const max = (1n << 64n) - 1n;
  const pairs = [
    { commit: 0n, prepare: 0n },
    { commit: 0n, prepare: 5n },
    { commit: 1n, prepare: 0n },
    { commit: 1n, prepare: max },
    { commit: 2n, prepare: 1n },
    { commit: max, prepare: max },
  ];
  const packed = pairs.map(packPosition);
  for (let i = 1; i < packed.length; i++) t.ok(packed[i]! > packed[i - 1]!, `${i} sorts after ${i - 1}`);
  t.same(packed.map(unpackPosition), pairs, 'unpacking gives the pair back');
  t.not(packPosition({ commit: 7n, prepare: 1n }), packPosition({ commit: 7n, prepare: 2n }), 'one commit, two events, two positions');
});

t.test('an event-type filter matches the named types exactly', async (t) => {
  const regex = new RegExp(eventTypeRegex(['SeatHeld', 'Odd.Type', 'Pay$(1)']));
  for (const type of ['SeatHeld', 'Odd.Type', 'Pay$(1)']) t.ok(regex.test(type), `${type} passes`);
  for (const type of ['SeatHeldX', 'XSeatHeld', 'OddxType', 'Pay$1', '$SeatHeld', 'Seat']) t.notOk(regex.test(type), `${type} does not`);
});

t.test('EventStoreDB event store: the contract', { skip }, async (t) => {
  eventStoreContract(t, () => EsdbEventStore.connect(url!));
});

t.test('EventStoreDB event store: what only this adapter can get wrong', { skip }, async (t) => {
  const store = await EsdbEventStore.connect(url!);
  t.teardown(() => store.close());
  const prefix = `esdb${uuid().replaceAll('-', '')}`;

  t.test('the position an append reports is the one $all gives its last event', async (t) => {
    const head = (await store.headPosition()) ?? undefined;
    const single = await store.append(`${prefix}-one`, [{ id: uuid(), type: 'One', data: {} }]);
    const multi = await store.append(`${prefix}-three`, [1, 2, 3].map((n) => ({ id: uuid(), type: 'Three', data: { n } })));
    const mine = (await store.readAll({ after: head, maxCount: 1_000 })).filter((e) => e.streamId.startsWith(prefix));
    t.equal(single.position, mine[0]!.position, 'a single-event append');
    t.equal(multi.position, mine[3]!.position, 'a multi-event append');
    const empty = await store.append(`${prefix}-three`, [], 2);
    t.equal(empty.nextExpectedRevision, 2, 'an empty append at the right revision answers the revision');
  });

  t.test('checkpoints are invisible to $all reads, the head and subscriptions', async (t) => {
    const head = await store.headPosition();
    await store.writeCheckpoint({ subscriber: `${prefix}-reaction`, position: 1n });
    await store.writeCheckpoint({ subscriber: `${prefix}-reaction`, position: 2n });
    t.equal(await store.headPosition(), head, 'the head did not move');
    t.same(await store.readAll({ after: head ?? undefined }), [], 'nothing new in $all');
    const seen = firstValueFrom(
      store.subscribe({ from: head === null ? 'start' : { after: head } }).pipe(onlyEvents(), take(1), toArray(), timeout(10_000)),
    );
    await store.writeCheckpoint({ subscriber: `${prefix}-reaction`, position: 3n });
    await store.append(`${prefix}-after`, [{ id: uuid(), type: 'After', data: {} }]);
    t.same((await seen).map((e) => e.type), ['After'], 'an unfiltered subscription skips the checkpoint events');
    t.equal(await store.readCheckpoint(`${prefix}-reaction`), 3n);
  });

  t.test('unsubscribing ends the server subscription; closing completes the rest', async (t) => {
    const other = await EsdbEventStore.connect(url!);
    let completed = false;
    other.subscribe({ from: 'end' }).subscribe({ complete: () => (completed = true) });
    const stopped = other.subscribe({ from: 'end' }).subscribe();
    stopped.unsubscribe();
    await other.close();
    t.ok(completed, 'a live subscription completes when the store closes');
    t.ok(stopped.closed, 'the unsubscribed one stays closed');
  });
});
