import t from 'tap';
import { excludesTombstones, liveFilter, toStamped, toStored, toTombstone } from '../../infra/readstore/mongo-stored.js';

t.test('a condition on a value already rules tombstones out, so the query stays as the indexes serve it', async (t) => {
  const line = { status: 'WAITING', issuedPosition: { lt: '0000000000000000000000000000000000000042' } };
  t.equal(excludesTombstones(line), true);
  t.same(liveFilter(line), { status: 'WAITING', issuedPosition: { $lt: '0000000000000000000000000000000000000042' } }, 'the place-in-line count is unchanged');
  t.same(liveFilter({ soldOut: false }), { soldOut: false }, 'false is a value a tombstone lacks too');
  t.same(liveFilter({ activatedAt: { gt: '2030-01-01T00:00:00.000Z' } }), { activatedAt: { $gt: '2030-01-01T00:00:00.000Z' } });
});

t.test('anything that can match a document without fields excludes tombstones explicitly', async (t) => {
  t.same(liveFilter(undefined), { _deleted: { $exists: false } }, 'no condition');
  t.same(liveFilter({}), { _deleted: { $exists: false } });
  t.same(liveFilter({ note: null }), { note: null, _deleted: { $exists: false } }, 'null matches a missing field');
  t.same(liveFilter({ n: { lt: undefined } }), { _deleted: { $exists: false } }, 'a range without bounds is no condition');
  t.throws(() => liveFilter({ 'a.b': 1 }), RangeError, 'field names are checked as before');
});

t.test('stored shapes: stamps are kept, never returned', async (t) => {
  t.same(toStamped(toStored({ id: 'a', n: 1 }, 5n)), { doc: { id: 'a', n: 1 }, position: 5n });
  t.same(toStamped(toStored({ id: 'a', n: 1 })), { doc: { id: 'a', n: 1 }, position: -1n }, 'a direct write is unstamped');
  t.same(toStamped(toTombstone('a', 1n << 127n)), { doc: null, position: 1n << 127n }, 'a tombstone is no document');
});
