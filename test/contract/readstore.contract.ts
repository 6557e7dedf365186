import type { Test } from 'tap';
import { v4 as uuid } from 'uuid';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import type { Doc, ReadStore } from '../../infra/readstore/port.js';
import {
  applyBatch,
  batches,
  cleanPass,
  countingSchedules,
  positionsFrom,
  scheduleEvents,
  storedDocs,
  tallies,
  tallyEvents,
  type ScheduleStep,
} from './projection-fixtures.js';

interface Seat extends Doc {
  scheduleId: string;
  seatNo: number;
  status: string;
  soldOut?: boolean;
}

/** The read store contract: every adapter passes this same suite. Collections are named afresh per test. */
export function readStoreContract(t: Test, open: () => Promise<ReadStore>): void {
  let store: ReadStore;
  t.before(async () => {
    store = await open();
  });
  t.teardown(() => store.close());
  const fresh = () => `c${uuid().replaceAll('-', '').slice(0, 16)}`;

  t.test('get, upsert, patch, delete', async (t) => {
    const seats = await store.collection<Seat>({ name: fresh(), indexes: ['scheduleId', 'status'] });
    t.equal(await seats.get('s1'), null, 'nothing yet');
    await seats.upsert({ id: 's1', scheduleId: 'a', seatNo: 1, status: 'AVAILABLE' });
    t.same(await seats.get('s1'), { id: 's1', scheduleId: 'a', seatNo: 1, status: 'AVAILABLE' });
    await seats.upsert({ id: 's1', scheduleId: 'a', seatNo: 1, status: 'HELD' });
    t.equal((await seats.get('s1'))?.status, 'HELD', 'upsert replaces');
    t.equal(await seats.patch('s1', { status: 'RESERVED' }), true);
    t.same(await seats.get('s1'), { id: 's1', scheduleId: 'a', seatNo: 1, status: 'RESERVED' }, 'patch merges');
    t.equal(await seats.patch('nope', { status: 'X' }), false, 'patching a missing document says so');
    t.equal(await seats.get('nope'), null, 'and creates nothing');
    t.equal(await seats.delete('s1'), true);
    t.equal(await seats.delete('s1'), false);
    t.equal(await seats.get('s1'), null);
  });

  t.test('find by indexed fields with sort and limit, and count', async (t) => {
    const seats = await store.collection<Seat>({ name: fresh(), indexes: ['scheduleId', 'status', 'seatNo', 'soldOut'] });
    for (let n = 1; n <= 12; n++) {
      await seats.upsert({ id: `s${n}`, scheduleId: n % 2 ? 'odd' : 'even', seatNo: n, status: n % 3 ? 'AVAILABLE' : 'HELD', soldOut: n > 10 });
    }
    t.same((await seats.find({ where: { scheduleId: 'odd' }, sort: [['seatNo', 'asc']] })).map((s) => s.seatNo), [1, 3, 5, 7, 9, 11]);
    t.same(
      (await seats.find({ where: { scheduleId: 'even', status: 'AVAILABLE' }, sort: [['seatNo', 'desc']], limit: 2 })).map((s) => s.seatNo),
      [10, 8],
    );
    t.same((await seats.find({ where: { soldOut: true } })).map((s) => s.seatNo).sort((a, b) => a - b), [11, 12], 'booleans compare');
    t.equal(await seats.count({ status: 'HELD' }), 4);
    t.equal(await seats.count(), 12);
    t.same(await seats.find({ where: { scheduleId: 'none' } }), []);
    t.same(
      (await seats.find({ where: { scheduleId: 'odd', seatNo: { gt: 3, lte: 9 } }, sort: [['seatNo', 'asc']] })).map((s) => s.seatNo),
      [5, 7, 9],
      'ranges on numbers',
    );
    t.equal(await seats.count({ seatNo: { lt: 4 } }), 3, 'count with a range');
  });

  t.test('ranges on ISO times compare as strings', async (t) => {
    const timers = await store.collection<Doc & { dueAt: string }>({ name: fresh(), indexes: ['dueAt'] });
    await timers.upsert({ id: 'a', dueAt: '2030-01-01T00:00:00.000Z' });
    await timers.upsert({ id: 'b', dueAt: '2030-01-01T00:05:00.000Z' });
    t.same((await timers.find({ where: { dueAt: { lte: '2030-01-01T00:01:00.000Z' } } })).map((d) => d.id), ['a']);
  });

  t.test('a projection commit writes documents and its checkpoint together', async (t) => {
    const name = fresh();
    const projection = `p-${name}`;
    t.equal(await store.checkpoint(projection), null);
    await store.commit([{ projection: projection, position: 5n, changes: [
      { collection: name, op: 'upsert', doc: { id: 'a', n: 1 }, position: 5n },
      { collection: name, op: 'upsert', doc: { id: 'b', n: 2 }, position: 5n },
    ] }]);
    await store.commit([{ projection: projection, position: 9n, changes: [
      { collection: name, op: 'upsert', doc: { id: 'a', n: 3 }, position: 9n },
      { collection: name, op: 'delete', id: 'b', position: 9n },
    ] }]);
    const docs = await store.collection({ name });
    t.same(await docs.get('a'), { id: 'a', n: 3 });
    t.equal(await docs.get('b'), null);
    t.equal(await store.checkpoint(projection), 9n);

    await store.reset(projection, [name]);
    t.equal(await store.checkpoint(projection), null, 'reset forgets the checkpoint');
    t.equal(await docs.count(), 0, 'and empties the collections');
  });

  // Stamps, tombstones and checkpoints: what makes a replay harmless per document.

  const upsertOf = (collection: string, id: string, n: number, position: bigint) =>
    ({ collection, op: 'upsert', doc: { id, n }, position }) as const;
  const deleteOf = (collection: string, id: string, position: bigint) => ({ collection, op: 'delete', id, position }) as const;
  const stampsOf = async (collection: string, ids: string[]) => [...(await store.stamped(collection, ids))].sort(([a], [b]) => (a < b ? -1 : 1));

  t.test("a change at or before a document's stamp is skipped; a newer one applies", async (t) => {
    const name = fresh();
    const projection = `p-${name}`;
    const docs = await store.collection({ name });
    await store.commit([{ projection, position: 5n, changes: [upsertOf(name, 'a', 5, 5n)] }]);
    await store.commit([{ projection, position: 5n, changes: [upsertOf(name, 'a', -1, 5n)] }]);
    t.same(await docs.get('a'), { id: 'a', n: 5 }, 'the same stamp again is skipped');
    await store.commit([{ projection, position: 9n, changes: [upsertOf(name, 'a', 3, 3n)] }]);
    t.same(await docs.get('a'), { id: 'a', n: 5 }, 'an older change is skipped, even in a later commit');
    await store.commit([{ projection, position: 9n, changes: [upsertOf(name, 'a', 7, 7n)] }]);
    t.same(await docs.get('a'), { id: 'a', n: 7 }, 'a newer one applies');

    const wide = 1n << 64n;
    await store.commit([{ projection, position: wide + 1n, changes: [upsertOf(name, 'a', 1, wide + 1n)] }]);
    await store.commit([{ projection, position: wide + 1n, changes: [upsertOf(name, 'a', 0, wide)] }]);
    t.same(await docs.get('a'), { id: 'a', n: 1 }, 'stamps past 2^64 compare as numbers do');
    await store.commit([{ projection, position: (1n << 127n) + 5n, changes: [upsertOf(name, 'a', 2, (1n << 127n) + 5n)] }]);
    t.same(await stampsOf(name, ['a']), [['a', { doc: { id: 'a', n: 2 }, position: (1n << 127n) + 5n }]], 'up to 128 bits');
  });

  t.test('a delete leaves a tombstone: an older upsert does not bring the document back, a newer one does', async (t) => {
    const name = fresh();
    const projection = `p-${name}`;
    const docs = await store.collection({ name, indexes: ['n'] });
    await store.commit([{ projection, position: 5n, changes: [upsertOf(name, 'a', 5, 5n), upsertOf(name, 'b', 5, 5n)] }]);
    await store.commit([{ projection, position: 9n, changes: [deleteOf(name, 'a', 9n)] }]);
    t.equal(await docs.get('a'), null, 'deleted');
    t.same(await stampsOf(name, ['a']), [['a', { doc: null, position: 9n }]], 'its tombstone keeps the stamp');

    await store.commit([{ projection, position: 9n, changes: [upsertOf(name, 'a', 7, 7n)] }]);
    t.equal(await docs.get('a'), null, 'a lagging upsert does not resurrect it');
    await store.commit([{ projection, position: 9n, changes: [deleteOf(name, 'a', 8n)] }]);
    t.same(await stampsOf(name, ['a']), [['a', { doc: null, position: 9n }]], 'an older delete leaves the tombstone as it was');

    t.equal(await docs.count(), 1, 'a tombstone is no document to count');
    t.same(await docs.find(), [{ id: 'b', n: 5 }], 'nor to find');
    t.same(await docs.find({ where: { missing: null } }), [{ id: 'b', n: 5 }], 'even by a field it lacks');
    t.equal(await docs.count({ n: { gte: 0 } }), 1, 'nor by a range');
    t.equal(await docs.patch('a', { n: 1 }), false, 'nor to patch');
    t.equal(await docs.delete('a'), false, 'nor to delete directly');

    await store.commit([{ projection, position: 12n, changes: [upsertOf(name, 'a', 12, 12n)] }]);
    t.same(await docs.get('a'), { id: 'a', n: 12 }, 'a newer upsert brings it back');
    t.same(await stampsOf(name, ['a']), [['a', { doc: { id: 'a', n: 12 }, position: 12n }]]);

    await store.commit([{ projection, position: 14n, changes: [deleteOf(name, 'never', 14n)] }]);
    await store.commit([{ projection, position: 14n, changes: [upsertOf(name, 'never', 1, 13n)] }]);
    t.equal(await docs.get('never'), null, 'a delete of a document never seen here still stops an older upsert');
  });

  t.test('several projections commit together, each to its own checkpoint', async (t) => {
    const [one, two] = [fresh(), fresh()];
    const quiet = `p-${fresh()}`;
    await store.commit([{ projection: `p-${two}`, position: 3n, changes: [upsertOf(two, 'z', 1, 3n)] }]);
    await store.commit([
      { projection: `p-${one}`, position: 10n, changes: [upsertOf(one, 'x', 1, 10n)] },
      { projection: `p-${two}`, position: 11n, changes: [upsertOf(two, 'y', 2, 11n), deleteOf(two, 'z', 11n)] },
      { projection: quiet, position: 12n, changes: [] },
    ]);
    t.same(
      [await store.checkpoint(`p-${one}`), await store.checkpoint(`p-${two}`), await store.checkpoint(quiet)],
      [10n, 11n, 12n],
      'every checkpoint, a model with nothing to change included',
    );
    t.same(await (await store.collection({ name: one })).find(), [{ id: 'x', n: 1 }]);
    t.same(await (await store.collection({ name: two })).find(), [{ id: 'y', n: 2 }]);
  });

  t.test('a checkpoint never moves back', async (t) => {
    const name = fresh();
    const projection = `p-${name}`;
    await store.commit([{ projection, position: 9n, changes: [] }]);
    await store.commit([{ projection, position: 5n, changes: [upsertOf(name, 'late', 5, 5n)] }]);
    t.equal(await store.checkpoint(projection), 9n, 'a lagging writer leaves it');
    t.same(await (await store.collection({ name })).get('late'), { id: 'late', n: 5 }, 'while its document, new to the store, lands');

    const wide = 1n << 100n;
    await store.commit([{ projection, position: wide, changes: [] }]);
    await store.commit([{ projection, position: (1n << 64n) + 1n, changes: [] }]);
    t.equal(await store.checkpoint(projection), wide, 'compared as positions past 2^64, not as shorter strings or floats');
    await store.commit([
      { projection, position: wide + 9n, changes: [] },
      { projection, position: wide + 3n, changes: [] },
    ]);
    t.equal(await store.checkpoint(projection), wide + 9n, 'named twice in one commit, it keeps the later');
  });

  t.test('stamped: documents and tombstones with their stamps, and nothing for ids never written', async (t) => {
    const name = fresh();
    const projection = `p-${name}`;
    const docs = await store.collection({ name });
    await store.commit([{ projection, position: 8n, changes: [upsertOf(name, 'a', 5, 5n), upsertOf(name, 'b', 1, 6n)] }]);
    await store.commit([{ projection, position: 9n, changes: [deleteOf(name, 'b', 9n)] }]);
    await docs.upsert({ id: 'direct', n: 0 });
    t.same(
      await stampsOf(name, ['a', 'b', 'direct', 'absent', 'a']),
      [
        ['a', { doc: { id: 'a', n: 5 }, position: 5n }],
        ['b', { doc: null, position: 9n }],
        ['direct', { doc: { id: 'direct', n: 0 }, position: -1n }],
      ],
      'a directly written document is unstamped (-1), an unknown id absent, a repeated id answered once',
    );
    t.equal((await store.stamped(name, [])).size, 0, 'no ids, no documents');
    await store.commit([{ projection, position: 10n, changes: [upsertOf(name, 'direct', 1, 1n)] }]);
    t.same(await docs.get('direct'), { id: 'direct', n: 1 }, 'any event supersedes an unstamped document');
  });

  t.test('reset forgets tombstones with the documents', async (t) => {
    const name = fresh();
    const projection = `p-${name}`;
    const docs = await store.collection({ name });
    await store.commit([{ projection, position: 5n, changes: [upsertOf(name, 'a', 5, 5n)] }]);
    await store.commit([{ projection, position: 9n, changes: [deleteOf(name, 'a', 9n)] }]);
    await store.reset(projection, [name]);
    t.equal((await store.stamped(name, ['a'])).size, 0, 'no tombstone is left');
    await store.commit([{ projection, position: 3n, changes: [upsertOf(name, 'a', 3, 3n)] }]);
    t.same(await docs.get('a'), { id: 'a', n: 3 }, 'so a rebuild from the start writes the document again');
    t.equal(await store.checkpoint(projection), 3n);
  });

  // Replays: a projection's batches commit, a checkpoint is lost (the
  // documents landed, the checkpoint did not), and the events are applied
  // again from an earlier position with other batch boundaries.

  t.test('a counting model replayed with other batch boundaries counts every event once', async (t) => {
    const projection = countingSchedules(fresh());
    const steps: Array<[ScheduleStep, string]> = [
      ['ScheduleOpened', 's1'], ['SeatHeld', 's1'], ['SeatHeld', 's1'], ['ScheduleOpened', 's2'], ['SeatHeld', 's2'],
      ['SeatReserved', 's1'], ['SeatHeld', 's1'], ['SeatHoldExpired', 's1'], ['SeatReserved', 's2'], ['SeatReleased', 's2'],
      ['SeatHeld', 's1'], ['SeatReserved', 's1'],
    ];
    // Past 2^64, where Number() would have merged neighbouring positions.
    const events = scheduleEvents(steps, positionsFrom((1n << 64n) + 1n, steps.length, 1n));
    for (const batch of batches(events.slice(0, 9), [2, 5])) await applyBatch(store, projection, batch);
    t.equal(await store.checkpoint(projection.name), events[8]!.position);
    // As if every checkpoint after the 3rd event had been lost: the replay starts there, three at a time.
    for (const batch of batches(events.slice(3), [3, 6, 9])) await applyBatch(store, projection, batch);
    t.same(await storedDocs(store, projection), cleanPass(projection, events), 'the same documents as one clean pass');
    t.match(await (await store.collection(projection.collection)).get('s1'), { heldSeats: 1, reservedSeats: 2, availableSeats: 47 });
    t.equal(await store.checkpoint(projection.name), events.at(-1)!.position);
  });

  const scheduleSteps = fc.array(
    fc.tuple(fc.constantFrom<ScheduleStep>('ScheduleOpened', 'SeatHeld', 'SeatHeld', 'SeatHoldExpired', 'SeatReserved', 'SeatReleased', 'ScheduleSoldOut'), fc.constantFrom('s1', 's2')),
    { minLength: 1, maxLength: 16 },
  );
  const tallySteps = fc.array(
    fc.tuple(fc.constantFrom('+1', '+2', '+5', 'x'), fc.constantFrom('a', 'b')).map(([op, key]) => `${op} ${key}`),
    { minLength: 1, maxLength: 16 },
  );
  const cuts = fc.array(fc.integer({ min: 1, max: 16 }), { maxLength: 6 });
  const start = fc.constantFrom(1n, (1n << 64n) - 2n, 1n << 100n);

  /**
   * The property: whatever the boundaries of the first pass, wherever it
   * stopped and wherever the replay starts, after every replayed batch the
   * documents are those of one clean pass through the furthest event applied,
   * and the checkpoint is that event's position.
   */
  async function replayHolds(
    projection: ReturnType<typeof countingSchedules>,
    events: ReturnType<typeof scheduleEvents>,
    firstCuts: number[],
    stopAt: number,
    replayFrom: number,
    replayCuts: number[],
  ): Promise<string | null> {
    const stop = 1 + (stopAt % events.length);
    const from = replayFrom % stop;
    for (const batch of batches(events.slice(0, stop), firstCuts)) await applyBatch(store, projection, batch);
    let furthest = stop;
    let at = from;
    for (const batch of batches(events.slice(from), replayCuts)) {
      await applyBatch(store, projection, batch);
      at += batch.length;
      furthest = Math.max(furthest, at);
      const expected = cleanPass(projection, events.slice(0, furthest));
      const actual = await storedDocs(store, projection);
      if (!isDeepStrictEqual(actual, expected)) return `after replaying to event ${at}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`;
      const checkpoint = await store.checkpoint(projection.name);
      if (checkpoint !== events[furthest - 1]!.position) return `checkpoint ${checkpoint} instead of ${events[furthest - 1]!.position}`;
    }
    return null;
  }

  t.test('replays of counters from any earlier position, with any batch boundaries, equal one clean pass', async (t) => {
    const outcome = await fc.check(
      fc.asyncProperty(scheduleSteps, start, cuts, fc.nat(), fc.nat(), cuts, async (steps, from, firstCuts, stopAt, replayFrom, replayCuts) => {
        const events = scheduleEvents(steps, positionsFrom(from, steps.length));
        const failure = await replayHolds(countingSchedules(fresh()), events, firstCuts, stopAt, replayFrom, replayCuts);
        if (failure) throw new Error(failure);
      }),
      { numRuns: 40 },
    );
    t.notOk(outcome.failed, fc.defaultReportMessage(outcome) ?? 'the schedules model replays exactly');
  });

  t.test('replays through deletes and re-creations equal one clean pass (tombstones hold)', async (t) => {
    const outcome = await fc.check(
      fc.asyncProperty(tallySteps, start, cuts, fc.nat(), fc.nat(), cuts, async (steps, from, firstCuts, stopAt, replayFrom, replayCuts) => {
        const events = tallyEvents(steps, positionsFrom(from, steps.length));
        const failure = await replayHolds(tallies(fresh()), events, firstCuts, stopAt, replayFrom, replayCuts);
        if (failure) throw new Error(failure);
      }),
      { numRuns: 40 },
    );
    t.notOk(outcome.failed, fc.defaultReportMessage(outcome) ?? 'the tally model replays exactly');
  });

  t.test('a model built side by side is swapped in for every reader in one step, and the old one dropped', async (t) => {
    const name = fresh();
    const projection = `p-${name}`;
    const spec = { name, indexes: ['n'] };
    const upsert = (collection: string, id: string, n: number, position: bigint) => ({ collection, op: 'upsert', doc: { id, n }, position }) as const;
    // Obtained once, before anything is staged, as the API holds its collections.
    const live = await store.collection<Doc & { n: number }>(spec);
    await store.commit([{ projection, position: 5n, changes: [upsert(name, 'a', 1, 5n)] }]);

    const physical = await store.stage(spec);
    t.not(physical, name, 'the new model has a collection of its own');
    await store.commit([{ projection: `${projection}@rebuild`, position: 7n, changes: [upsert(physical, 'b', 2, 7n), upsert(physical, 'x', 9, 7n)] }]);
    t.same(await live.find(), [{ id: 'a', n: 1 }], 'readers still see the whole live model while the new one is built');

    await store.commit([{ projection, position: 9n, changes: [upsert(name, 'a', 3, 9n)] }]);
    t.same(await store.swap({ projection, model: name, physical, position: 7n }), { switched: false, checkpoint: 9n }, 'a new model behind the live one is refused');
    t.same(await live.find(), [{ id: 'a', n: 3 }], 'and nothing changed for readers');

    await store.commit([{ projection: `${projection}@rebuild`, position: 9n, changes: [upsert(physical, 'c', 3, 9n), { collection: physical, op: 'delete', id: 'x', position: 9n }] }]);
    t.same(await store.swap({ projection, model: name, physical, position: 9n }), { switched: true, previous: name }, 'caught up, it is swapped in');
    t.same(await live.find({ sort: [['n', 'asc']] }), [{ id: 'b', n: 2 }, { id: 'c', n: 3 }], 'the collection obtained before reads the new model');
    t.same((await live.find({ where: { n: 3 } })).map((d) => d.id), ['c'], 'by its indexed fields too');
    t.equal(await store.checkpoint(projection), 9n, 'the checkpoint is the new model\'s');

    await store.commit([{ projection, position: 10n, changes: [upsert(name, 'd', 4, 10n), upsert(name, 'x', 1, 8n)] }]);
    t.same(await live.get('d'), { id: 'd', n: 4 }, 'changes addressed to the model land in the new collection');
    t.equal(await live.get('x'), null, "and the new collection's tombstones hold");
    t.same([...(await store.stamped(name, ['b', 'x'])).keys()].sort(), ['b', 'x'], 'the projection reads its stamps there');

    await store.drop(name);
    t.same((await live.find()).map((d) => d.id), ['b', 'c', 'd'], 'dropping the old collection leaves the model whole');
    await t.rejects(store.drop(physical), /still a model's collection/, 'the collection a model reads is never dropped');

    const next = await store.stage(spec);
    t.same(await store.swap({ projection, model: name, physical: next, position: 10n }), { switched: true, previous: physical }, 'a second rebuild replaces the first');
    await store.drop(physical);
    t.same(await live.find(), [], 'and readers see its (empty) model');
  });
}
