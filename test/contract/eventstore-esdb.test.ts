import t from 'tap';
import { v4 as uuid } from 'uuid';
import { firstValueFrom, take, takeWhile, tap, timeout, toArray } from 'rxjs';
import { EsdbEventStore, eventTypeRegex, packPosition, unpackPosition } from '../../infra/eventstore/esdb.js';
import { StreamNotFoundError, WrongExpectedVersionError } from '../../infra/eventstore/errors.js';
import { onlyEvents } from '../../infra/eventstore/messages.js';
import { eventStoreContract } from './eventstore.contract.js';
import { ScriptedEventStoreDB } from '../support/esdb-scripted.js';
import { fromCorrelationLinks } from '../../infra/eventstore/esdb-correlation.js';
import type { ResolvedEvent } from '@eventstore/db-client';

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

t.test('the adapter over a scripted client', async (t) => {
  const server = new ScriptedEventStoreDB();
  const store = EsdbEventStore.over(server.client);
  const event = (type: string, data: unknown = {}) => ({ id: uuid(), type, data });

  const held = await store.append('seat-1', [event('Held')], 'no_stream');
  const pair = await store.append('seat-1', [event('Reserved'), event('Released')], 0);
  const all = await store.readAll();
  t.same(all.map((e) => e.type), ['Held', 'Reserved', 'Released'], '$all without system events');
  t.equal(held.position, all[0]!.position, 'a single-event append reports its event position');
  t.equal(pair.position, all[2]!.position, 'a multi-event append reads its last event back');
  t.equal(pair.nextExpectedRevision, 2);

  t.match(await store.append('seat-1', [event('X')], 0).catch((e: unknown) => e), new WrongExpectedVersionError('seat-1', 0, 2));
  t.match(await store.append('seat-2', [event('X')], 3).catch((e: unknown) => e), { expected: 3, actual: 'no_stream' });
  t.type(await store.append('seat-2', [event('X')], 3).catch((e: unknown) => e), WrongExpectedVersionError);
  await t.rejects(store.readStream('seat-2'), StreamNotFoundError, "the client's not-found becomes ours");
  t.same((await store.readStream('seat-1', { direction: 'backwards', fromRevision: 1 })).map((e) => e.revision), [1, 0]);
  t.same(await store.readStream('seat-1', { maxCount: 0 }), [], 'maxCount 0 reads nothing');
  t.equal((await store.append('seat-1', [], 2)).nextExpectedRevision, 2, 'an empty append checks the revision');
  await t.rejects(store.append('seat-1', [], 1), WrongExpectedVersionError);

  t.same((await store.readAll({ after: all[0]!.position })).map((e) => e.type), ['Reserved', 'Released'], 'after is exclusive');
  t.same((await store.readAll({ after: all[0]!.position, maxCount: 1 })).map((e) => e.type), ['Reserved']);
  t.same((await store.readAll({ filter: { eventTypes: ['Released'], streamPrefixes: [] } })).map((e) => e.type), ['Released'], 'an empty list constrains nothing');
  t.equal(await store.headPosition(), all[2]!.position, 'the head skips system events');

  for (let i = 0; i < 1_200; i++) await store.append(`load-${i % 3}`, [event('Load', { i })]);
  const everything = await store.readAll({ maxCount: 5_000 });
  t.equal(everything.length, 1_203, 'a read longer than one server page');
  t.ok(everything.every((e, i) => i === 0 || e.position > everything[i - 1]!.position), 'no repeat at page seams');
  t.same((await store.readAll({ filter: { streamPrefixes: ['seat-'] } })).map((e) => e.type), ['Held', 'Reserved', 'Released'], 'a filter scans past pages');

  t.equal(await store.readCheckpoint('r'), null);
  await store.writeCheckpoint({ subscriber: 'r', position: 10n });
  t.same(server.streamMetadata.get('checkpoint-r'), { maxCount: 1 }, 'the checkpoint stream keeps one event');
  await store.writeCheckpoint({ subscriber: 'r', position: 7n });
  t.equal(await store.readCheckpoint('r'), 10n, 'never backwards');
  await store.resetCheckpoint('r');
  t.equal(await store.readCheckpoint('r'), null, 'reset');
  await store.writeCheckpoint({ subscriber: 'r', position: 3n });
  t.equal(await store.readCheckpoint('r'), 3n, 'and forwards again from nothing');
  t.equal(await store.headPosition(), everything.at(-1)!.position, 'checkpoint events are not the head');
  await store.append('seat-9', [event('Other')], 'any', { checkpoint: { subscriber: 'r', position: 42n } });
  t.equal(await store.readCheckpoint('r'), 42n, 'an append carries a checkpoint');

  t.test('a subscription: catch-up with server checkpoints, the last record once caught up, then live', async (t) => {
    const lastRecord = packPosition(server.log.at(-1)!.position);
    let caughtUp: () => void = () => undefined;
    const atLastRecord = new Promise<void>((resolve) => (caughtUp = resolve));
    const messages = firstValueFrom(
      store.subscribe({ from: 'start', filter: { eventTypes: ['Held', 'Released', 'Live'] } }).pipe(
        tap((m) => m.kind === 'checkpoint' && m.position === lastRecord && caughtUp()),
        takeWhile((m) => m.kind !== 'event' || m.event.type !== 'Live', true),
        toArray(),
        timeout(60_000),
      ),
    );
    // Live only once the catch-up is over, however long a busy machine takes to get there.
    await atLastRecord;
    const live = await store.append('seat-3', [event('Live')]);
    const got = await messages;
    t.same(got.flatMap((m) => (m.kind === 'event' ? [m.event.type] : [])), ['Held', 'Released', 'Live']);
    const checkpoints = got.flatMap((m) => (m.kind === 'checkpoint' ? [m.position] : []));
    t.ok(checkpoints.length > 2, `the server's checkpoints through the filtered-out catch-up (${checkpoints.length})`);
    t.ok(checkpoints.every((p, i) => i === 0 || p > checkpoints[i - 1]!), 'move forward');
    t.equal(checkpoints.at(-1), lastRecord, 'the last one, once caught up: the last record read before subscribing');
    t.match(got.at(-1), { event: { position: live.position } });
    for (let wait = 0; server.openCalls > 0 && wait < 50; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
    t.equal(server.openCalls, 0, 'the end of the subscription ended the server subscription');
  });

  t.test('closing the store completes its subscriptions and disposes the client', async (t) => {
    let completed = false;
    store.subscribe({ from: 'end' }).subscribe({ complete: () => (completed = true) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.close();
    t.ok(completed);
    t.ok(server.disposed);
  });
});

/**
 * The shared contract against the scripted server: it checks the adapter's
 * own logic on every run, where no server runs. What it cannot check is the
 * server's side (its real idempotency cache, indexes and timing): the same
 * suite runs against a real server below when EVENTSTORE_URL is set.
 */
t.test('EventStoreDB event store: the contract, over the scripted server', async (t) => {
  // As deployed: the server runs its system projections, $by_correlation_id among them.
  eventStoreContract(t, async () => EsdbEventStore.over(new ScriptedEventStoreDB({ byCorrelation: true }).client));
});

t.test('readCorrelation reads the $bc- stream of links, with the events\' own $all positions', async (t) => {
  const server = new ScriptedEventStoreDB({ byCorrelation: true });
  const store = EsdbEventStore.over(server.client);
  t.teardown(() => store.close());
  const saga = uuid();
  await store.append('seat-1', [{ type: 'SeatHeld', data: {}, metadata: { correlationId: saga } }]);
  await store.append('other-1', [{ type: 'Elsewhere', data: {}, metadata: { correlationId: uuid() } }]);
  await store.append('payment-1', [
    { type: 'PaymentRequested', data: {}, metadata: { correlationId: saga, causationId: 'x' } },
    { type: 'PaymentCompleted', data: {}, metadata: { correlationId: saga } },
  ]);
  const links = server.log.filter((record) => record.streamId === `$bc-${saga}`);
  t.equal(links.length, 3, 'the projection linked each event of the saga');
  const reads = { ...server.calls };
  const read = await store.readCorrelation(saga);
  t.same(read.map((e) => [e.streamId, e.revision, e.type]), [['seat-1', 0, 'SeatHeld'], ['payment-1', 0, 'PaymentRequested'], ['payment-1', 1, 'PaymentCompleted']]);
  t.match(read[1]!.metadata, { correlationId: saga, causationId: 'x' }, 'the server names map back to ours');
  const originals = server.log.filter((record) => record.streamId === 'seat-1' || record.streamId === 'payment-1');
  t.same(read.map((e) => e.position), originals.map((record) => packPosition(record.position)), 'each event at its own position in $all');
  t.ok(read.every((e, i) => e.position < packPosition(links[i]!.position)), 'not at its link\'s, written after it');
  t.same(
    { readAll: server.calls.readAll - reads.readAll, subscribeToAll: server.calls.subscribeToAll - reads.subscribeToAll },
    { readAll: 0, subscribeToAll: 0 },
    'no $all read',
  );
  t.same(await store.readCorrelation(uuid()), [], 'once the projection is known to run, a missing stream is a correlation without events');
  t.equal(server.calls.subscribeToAll - reads.subscribeToAll, 0, 'and is not searched for in $all');
});

t.test('readCorrelation without the projection: found by reading $all', async (t) => {
  const server = new ScriptedEventStoreDB();
  const store = EsdbEventStore.over(server.client);
  t.teardown(() => store.close());
  const saga = uuid();
  await store.append('seat-1', [{ type: 'SeatHeld', data: {}, metadata: { correlationId: saga } }]);
  await store.append('other-1', [{ type: 'Elsewhere', data: {}, metadata: { correlationId: uuid() } }]);
  await store.append('payment-1', [{ type: 'PaymentRequested', data: {}, metadata: { correlationId: saga } }]);
  const subscriptions = server.calls.subscribeToAll;
  const read = await store.readCorrelation(saga);
  t.same(read.map((e) => e.type), ['SeatHeld', 'PaymentRequested']);
  t.ok(read[0]!.position < read[1]!.position, 'in $all order');
  t.ok(server.calls.subscribeToAll > subscriptions, 'from $all, since there is no $bc- stream');
  t.equal(server.streamReads.get(`$bc-${saga}`), 1, 'after looking for the stream');
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

  t.test('a live filtered reader learns at once that an event outside its filter was passed (read-your-writes)', async (t) => {
    const halt = new AbortController();
    t.teardown(() => halt.abort());
    const batches = store.follow({ from: 'end', filter: { eventTypes: [`${prefix}Wanted`] }, signal: halt.signal })[Symbol.asyncIterator]();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    const outside = await store.append(`${prefix}-other`, [{ id: uuid(), type: 'Unwanted', data: {} }]);
    for (;;) {
      const next = await batches.next();
      if (next.done) return t.fail('the reader ended');
      const last = next.value.at(-1)!;
      if ((last.kind === 'event' ? last.event.position : last.position) >= outside.position) break;
    }
    t.ok(Date.now() - started < 1_500, `a checkpoint at or past it after ${Date.now() - started} ms`);
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

t.test('resolved links: the event\'s own position, unresolvable links left out, no positions no answer', async (t) => {
  const record = (streamId: string, type: string, commit: bigint | null, metadata: unknown = {}) => ({
    streamId,
    id: uuid(),
    revision: 0n,
    type,
    data: {},
    metadata,
    isJson: true,
    created: new Date(0),
    ...(commit === null ? {} : { position: { commit, prepare: commit } }),
  });
  const saga = uuid();
  const resolved = [
    { event: record('seat-1', 'SeatHeld', 500n, { $correlationId: saga }), link: record(`$bc-${saga}`, '$>', 900n) },
    // A link whose event is gone: the server sends the link as the event.
    { event: record(`$bc-${saga}`, '$>', 950n) },
    { event: record('payment-1', 'PaymentRequested', 300n, { $correlationId: saga }), link: record(`$bc-${saga}`, '$>', 1000n) },
    { event: record('payment-1', 'NotOurs', 700n, { $correlationId: uuid() }), link: record(`$bc-${saga}`, '$>', 1100n) },
  ] as ResolvedEvent[];
  const events = fromCorrelationLinks(saga, resolved);
  t.same(
    events?.map((e) => [e.type, e.position]),
    [['PaymentRequested', packPosition({ commit: 300n, prepare: 300n })], ['SeatHeld', packPosition({ commit: 500n, prepare: 500n })]],
    'in $all order at the events\' positions, whatever the links\' order',
  );
  const old = [{ event: record('seat-1', 'SeatHeld', null, { $correlationId: saga }), link: record(`$bc-${saga}`, '$>', null) }] as ResolvedEvent[];
  t.equal(fromCorrelationLinks(saga, old), null, 'a server before 22.6 sends no positions: the caller reads $all instead');
});
