import type { Test } from 'tap';
import { v4 as uuid } from 'uuid';
import type { Doc, ReadStore } from '../../infra/readstore/port.js';

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
}
