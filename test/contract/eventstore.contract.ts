import type { Test } from 'tap';
import { v4 as uuid } from 'uuid';
import { firstValueFrom, take, toArray, filter as where, timeout, map } from 'rxjs';
import type { EventData, EventStore, Position, SubscriptionMessage } from '../../infra/eventstore/port.js';
import { StreamNotFoundError, WrongExpectedVersionError } from '../../infra/eventstore/errors.js';
import { onlyEvents } from '../../infra/eventstore/messages.js';

/**
 * The event store contract: every adapter passes this same suite. Streams are
 * named with a fresh prefix per test, so the suite also runs on a server that
 * already holds data (an EventStoreDB under docker compose).
 */
export function eventStoreContract(t: Test, open: () => Promise<EventStore>): void {
  let store: EventStore;
  t.before(async () => {
    store = await open();
  });
  t.teardown(() => store.close());

  const fresh = () => `c${uuid().replaceAll('-', '')}`;
  const event = (type: string, data: unknown = {}, id = uuid()): EventData => ({ id, type, data });

  t.test('revisions start at 0 and every event gets a strictly increasing position', async (t) => {
    const s = `${fresh()}-a`;
    const first = await store.append(s, [event('A'), event('B')], 'no_stream');
    t.equal(first.nextExpectedRevision, 1);
    const second = await store.append(s, [event('C')], 1);
    t.equal(second.nextExpectedRevision, 2);
    t.ok(second.position > first.position, 'positions grow');
    const read = await store.readStream(s);
    t.same(read.map((e) => [e.revision, e.type]), [[0, 'A'], [1, 'B'], [2, 'C']]);
    for (let i = 1; i < read.length; i++) t.ok(read[i]!.position > read[i - 1]!.position, `position ${i} grows`);
  });

  t.test('an event keeps its id, type, data, metadata, stream, revision and creation time', async (t) => {
    const s = `${fresh()}-a`;
    const id = uuid();
    const before = Date.now();
    await store.append(s, [{ id, type: 'Held', data: { seat: 7, who: 'ana' }, metadata: { correlationId: 'p1', causationId: 'e0', extra: 1 } }]);
    const [read] = await store.readStream(s);
    t.equal(read!.id, id);
    t.equal(read!.type, 'Held');
    t.same(read!.data, { seat: 7, who: 'ana' });
    t.match(read!.metadata, { correlationId: 'p1', causationId: 'e0', extra: 1 });
    t.equal(read!.streamId, s);
    t.equal(read!.revision, 0);
    t.equal(typeof read!.position, 'bigint');
    t.ok(read!.created.getTime() >= before - 5_000 && read!.created.getTime() <= Date.now() + 5_000, 'created is now');
  });

  t.test('expected revisions: any, no_stream, stream_exists, exact', async (t) => {
    const s = `${fresh()}-a`;
    await t.rejects(store.append(s, [event('A')], 'stream_exists'), WrongExpectedVersionError, 'stream_exists on a new stream');
    await t.rejects(store.append(s, [event('A')], 0), WrongExpectedVersionError, 'exact revision on a new stream');
    await store.append(s, [event('A')], 'no_stream');
    await t.rejects(store.append(s, [event('B')], 'no_stream'), WrongExpectedVersionError, 'no_stream on an existing stream');
    await store.append(s, [event('B')], 'stream_exists');
    await store.append(s, [event('C')], 'any');
    await store.append(s, [event('D')], 3 - 1);
    const error = await store.append(s, [event('E')], 1).catch((e: unknown) => e);
    t.type(error, WrongExpectedVersionError, 'a stale exact revision fails');
    t.match(error, { streamId: s, expected: 1, actual: 3 }, 'the error carries stream, expected and actual');
    const missing = await store.append(`${fresh()}-a`, [event('A')], 4).catch((e: unknown) => e);
    t.match(missing, { expected: 4, actual: 'no_stream' }, 'actual is no_stream for a stream that does not exist');
    t.same((await store.readStream(s)).map((e) => e.type), ['A', 'B', 'C', 'D'], 'failed appends wrote nothing');
  });

  t.test('an append is atomic: a failed multi-event append writes none of its events', async (t) => {
    const s = `${fresh()}-a`;
    await store.append(s, [event('A')]);
    await t.rejects(store.append(s, [event('B'), event('C'), event('D')], 5), WrongExpectedVersionError);
    t.equal((await store.readStream(s)).length, 1);
  });

  t.test('idempotent re-append by event id, with EventStoreDB rules', async (t) => {
    const s = `${fresh()}-a`;
    const batch = [event('A'), event('B')];
    const first = await store.append(s, batch, 'no_stream');
    const again = await store.append(s, batch, 'no_stream');
    t.equal(again.nextExpectedRevision, first.nextExpectedRevision, 'same ids at the same expected revision succeed');
    t.equal((await store.readStream(s)).length, 2, 'and write nothing');

    const next = [event('C')];
    await store.append(s, next, 1);
    const exactAgain = await store.append(s, next, 1);
    t.equal(exactAgain.nextExpectedRevision, 2, 'an exact-revision retry reports the revision it wrote');
    const anyAgain = await store.append(s, next, 'any');
    t.equal(anyAgain.nextExpectedRevision, 2, 'an any-revision retry is idempotent too');
    t.equal((await store.readStream(s)).length, 3);
    // An engine may not say (absent); one that does never calls a matched retry fresh, since commands cache only fresh decisions.
    t.not(first.fresh, false, 'a first append is never reported as a match');
    for (const retry of [again, exactAgain, anyAgain]) t.not(retry.fresh, true, 'a retry that matched is never reported as freshly written');

    await t.rejects(
      store.append(s, [batch[0]!, event('X')], 'no_stream'),
      WrongExpectedVersionError,
      'a partial match (first id written, second new) is a wrong expected version',
    );
    await t.rejects(
      store.append(s, [event('Y')], 0),
      WrongExpectedVersionError,
      'new ids at a stale revision are a wrong expected version',
    );
    t.equal((await store.readStream(s)).length, 3, 'nothing written by the refused appends');
  });

  t.test('concurrent appenders racing on one stream: exactly one wins each revision', async (t) => {
    const s = `${fresh()}-a`;
    await store.append(s, [event('Start')], 'no_stream');
    const racers = 20;
    const outcomes = await Promise.allSettled(
      Array.from({ length: racers }, (_, i) => store.append(s, [event('Race', { i })], 0)),
    );
    t.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, 'one winner');
    t.ok(
      outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof WrongExpectedVersionError),
      'every loser gets a wrong expected version',
    );
    // Racers that re-read and retry all land, each on its own revision.
    const writers = Array.from({ length: 10 }, async (_, i) => {
      for (let attempt = 0; attempt < 50; attempt++) {
        const [last] = await store.readStream(s, { direction: 'backwards', maxCount: 1 });
        try {
          return await store.append(s, [event('Retry', { i })], last!.revision);
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) throw error;
        }
      }
      throw new Error('never won');
    });
    const results = await Promise.all(writers);
    t.same(new Set(results.map((r) => r.nextExpectedRevision)).size, 10, 'ten distinct revisions');
    t.equal((await store.readStream(s)).length, 12);
  });

  t.test('read a stream forwards and backwards from a revision with a max count', async (t) => {
    const s = `${fresh()}-a`;
    await store.append(s, Array.from({ length: 10 }, (_, i) => event(`E${i}`)));
    t.same((await store.readStream(s, { fromRevision: 3, maxCount: 4 })).map((e) => e.revision), [3, 4, 5, 6]);
    t.same((await store.readStream(s, { direction: 'backwards', maxCount: 3 })).map((e) => e.revision), [9, 8, 7]);
    t.same((await store.readStream(s, { direction: 'backwards', fromRevision: 2 })).map((e) => e.revision), [2, 1, 0]);
    t.same(await store.readStream(s, { fromRevision: 10 }), [], 'past the end reads nothing');
    await t.rejects(store.readStream(`${fresh()}-missing`), StreamNotFoundError, 'a missing stream is not found');
  });

  t.test('read all from a position is exclusive and pages in global order', async (t) => {
    const p = fresh();
    const head = (await store.headPosition()) ?? undefined;
    await store.append(`${p}-one`, [event('A'), event('B')]);
    await store.append(`${p}-two`, [event('C')]);
    const page = (await store.readAll({ after: head, maxCount: 100 })).filter((e) => e.streamId.startsWith(p));
    t.same(page.map((e) => e.type), ['A', 'B', 'C'], 'all three, in order');
    const afterFirst = (await store.readAll({ after: page[0]!.position, maxCount: 100 })).filter((e) => e.streamId.startsWith(p));
    t.same(afterFirst.map((e) => e.type), ['B', 'C'], 'the start position itself is excluded');
    t.equal((await store.readAll({ after: head, maxCount: 2 })).length, 2, 'maxCount bounds a page');
    const typed = await store.readAll({ after: head, filter: { eventTypes: ['C'], streamPrefixes: [`${p}-`] } });
    t.same(typed.map((e) => e.type), ['C'], 'filters apply to reads too');
    t.equal(await store.headPosition(), page[2]!.position, 'the head is the last event');
  });

  t.test('subscribe: catch-up then live, from start, end or an exclusive position, with filters', async (t) => {
    const p = fresh();
    const mine = { streamPrefixes: [`${p}-`] };
    await store.append(`${p}-seat`, [event('Held'), event('Reserved')]);
    await store.append(`${p}-pay`, [event('Requested')]);

    const fromStart = firstValueFrom(
      store.subscribe({ from: 'start', filter: mine }).pipe(onlyEvents(), take(4), toArray(), timeout(10_000)),
    );
    await store.append(`${p}-pay`, [event('Completed')]);
    t.same((await fromStart).map((e) => e.type), ['Held', 'Reserved', 'Requested', 'Completed'], 'from start: catch-up then live');

    const all = await store.readAll({ filter: mine });
    const afterSecond = firstValueFrom(
      store.subscribe({ from: { after: all[1]!.position }, filter: mine }).pipe(onlyEvents(), take(2), toArray(), timeout(10_000)),
    );
    t.same((await afterSecond).map((e) => e.type), ['Requested', 'Completed'], 'from a position: exclusive');

    const fromEnd = firstValueFrom(
      store.subscribe({ from: 'end', filter: mine }).pipe(onlyEvents(), take(1), timeout(10_000)),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await store.append(`${p}-seat`, [event('Released')]);
    t.equal((await fromEnd).type, 'Released', 'from end: only new events');

    const byType = firstValueFrom(
      store.subscribe({ from: 'start', filter: { ...mine, eventTypes: ['Reserved', 'Released'] } }).pipe(onlyEvents(), take(2), toArray(), timeout(10_000)),
    );
    t.same((await byType).map((e) => e.type), ['Reserved', 'Released'], 'event-type filter');

    const byPrefix = firstValueFrom(
      store.subscribe({ from: 'start', filter: { streamPrefixes: [`${p}-pay`] } }).pipe(onlyEvents(), take(2), toArray(), timeout(10_000)),
    );
    t.same((await byPrefix).map((e) => e.type), ['Requested', 'Completed'], 'stream-prefix filter');
  });

  t.test('a filtered subscription reports checkpoints past the events it filtered out', async (t) => {
    const p = fresh();
    await store.append(`${p}-a`, [event('Wanted')]);
    const last = await store.append(`${p}-b`, Array.from({ length: 5 }, () => event('Unwanted')));
    const messages = store.subscribe({ from: 'start', filter: { streamPrefixes: [`${p}-`], eventTypes: ['Wanted'] } });
    const reached = await firstValueFrom(
      messages.pipe(
        where((m: SubscriptionMessage): m is Extract<SubscriptionMessage, { kind: 'checkpoint' }> => m.kind === 'checkpoint'),
        map((m) => m.position),
        where((position: Position) => position >= last.position),
        timeout(15_000),
      ),
    );
    t.ok(reached >= last.position, 'a checkpoint at or past the last filtered-out event');
  });

  t.test('live delivery keeps order under concurrent appends, with no gap and no repeat', async (t) => {
    const p = fresh();
    const count = 200;
    const received = firstValueFrom(
      store.subscribe({ from: 'end', filter: { streamPrefixes: [`${p}-`] } }).pipe(onlyEvents(), take(count), toArray(), timeout(20_000)),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all(Array.from({ length: count }, (_, i) => store.append(`${p}-${i % 7}`, [event('N', { i })])));
    const events = await received;
    t.equal(new Set(events.map((e) => e.id)).size, count, 'every event once');
    t.ok(events.every((e, i) => i === 0 || e.position > events[i - 1]!.position), 'in global order');
  });

  t.test('readCorrelation: one correlation across streams, in global order, nothing of another', async (t) => {
    const p = fresh();
    const [one, two] = [uuid(), uuid()];
    const correlated = (type: string, correlationId: string): EventData => ({ id: uuid(), type, data: {}, metadata: { correlationId } });
    // Interleaved on three streams, appends of one and of several events, and an event with no correlation among them.
    await store.append(`${p}-seat`, [correlated('Held', one)]);
    await store.append(`${p}-seat`, [correlated('Held', two)]);
    await store.append(`${p}-payment`, [correlated('Requested', two), correlated('Requested', one)]);
    await store.append(`${p}-point`, [event('Charged')]);
    await store.append(`${p}-point`, [correlated('Debited', one)]);
    await store.append(`${p}-seat`, [correlated('Reserved', two), correlated('Reserved', one)]);
    const all = await store.readAll({ filter: { streamPrefixes: [`${p}-`] } });
    t.equal(all.length, 8, 'the scenario as written');
    const story = { [one]: ['Held', 'Requested', 'Debited', 'Reserved'], [two]: ['Held', 'Requested', 'Reserved'] };
    for (const correlationId of [one, two]) {
      const expected = all.filter((e) => e.metadata.correlationId === correlationId);
      // EventStoreDB links the events into the correlation's stream behind $all: a server may need a moment.
      let read = await store.readCorrelation(correlationId);
      for (let tries = 0; read.length < expected.length && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        read = await store.readCorrelation(correlationId);
      }
      t.same(
        read.map((e) => [e.id, e.streamId, e.revision, e.type, e.position]),
        expected.map((e) => [e.id, e.streamId, e.revision, e.type, e.position]),
        `${correlationId === one ? 'the first' : 'the second'}: its events with their $all positions, in $all order`,
      );
      t.same(read.map((e) => e.type), story[correlationId], 'the story as written');
      t.ok(read.every((e) => e.metadata.correlationId === correlationId), 'none of the other correlation');
    }
    t.same(await store.readCorrelation(uuid()), [], 'an unknown correlation has no events');
  });

  t.test('checkpoints are stored, never move backwards, and can be reset', async (t) => {
    const name = fresh();
    t.equal(await store.readCheckpoint(name), null, 'none at first');
    await store.writeCheckpoint({ subscriber: name, position: 10n });
    await store.writeCheckpoint({ subscriber: name, position: 7n });
    t.equal(await store.readCheckpoint(name), 10n, 'a lower position does not win');
    const s = `${fresh()}-a`;
    const { position } = await store.append(s, [event('A')], 'any', { checkpoint: { subscriber: name, position: 42n } });
    t.ok(position > 0n);
    t.equal(await store.readCheckpoint(name), 42n, 'an append can carry a checkpoint');
    await store.resetCheckpoint(name);
    t.equal(await store.readCheckpoint(name), null, 'reset forgets it');
  });
}
