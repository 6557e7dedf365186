import t from 'tap';
import { checkpointWrites, guardedWrite, latestPerDocument } from '../../infra/readstore/mongo-commit-plan.js';
import { positionKey } from '../../infra/readstore/position-key.js';
import type { DocChange } from '../../infra/readstore/port.js';

const upsert = (collection: string, id: string, n: number, position: bigint): DocChange => ({ collection, op: 'upsert', doc: { id, n }, position });

t.test('per document, the change a one-by-one apply under stamps would leave', async (t) => {
  const plan = latestPerDocument([
    { projection: 'p', position: 9n, changes: [upsert('c', 'a', 1, 7n), upsert('c', 'a', 2, 9n), upsert('c', 'b', 1, 5n), upsert('c', 'b', 2, 5n)] },
    { projection: 'q', position: 9n, changes: [upsert('d', 'a', 3, 8n), { collection: 'c', op: 'delete', id: 'a', position: 8n }] },
  ]);
  t.same([...plan.keys()], ['c', 'd'], 'grouped by collection');
  t.same(plan.get('c'), [upsert('c', 'a', 2, 9n), upsert('c', 'b', 1, 5n)], 'the greatest position wins; of equal ones the first, as the second would meet an equal stamp');
  t.same(plan.get('d'), [upsert('d', 'a', 3, 8n)], 'the same id in another collection is another document');
  t.throws(() => latestPerDocument([{ projection: 'p', position: 1n, changes: [upsert('bad.name', 'a', 1, 1n)] }]), RangeError);
});

t.test('a change is one guarded single-document upsert: a document or its tombstone', async (t) => {
  const guard = (id: string, position: bigint) => ({ _id: id, $or: [{ _position: { $lt: positionKey(position) } }, { _position: { $exists: false } }] });
  t.same(guardedWrite(upsert('c', 'a', 1, 7n)), {
    replaceOne: { filter: guard('a', 7n), replacement: { n: 1, id: 'a', _id: 'a', _position: positionKey(7n) }, upsert: true },
  });
  t.same(guardedWrite({ collection: 'c', op: 'delete', id: 'a', position: 8n }), {
    replaceOne: { filter: guard('a', 8n), replacement: { _id: 'a', _position: positionKey(8n), _deleted: true }, upsert: true },
  });
  t.throws(() => guardedWrite({ collection: 'c', op: 'upsert', doc: { id: 'a', _deleted: true }, position: 1n }), RangeError, "a document cannot carry the store's own fields");
});

t.test('checkpoints: one $max per projection, to its greatest position in the commit', async (t) => {
  const wide = 1n << 100n;
  t.same(
    checkpointWrites([
      { projection: 'p', position: wide + 9n, changes: [] },
      { projection: 'q', position: 3n, changes: [] },
      { projection: 'p', position: wide + 3n, changes: [] },
    ]),
    [
      { updateOne: { filter: { _id: 'p' }, update: { $max: { position: positionKey(wide + 9n) } }, upsert: true } },
      { updateOne: { filter: { _id: 'q' }, update: { $max: { position: positionKey(3n) } }, upsert: true } },
    ],
  );
  t.same(checkpointWrites([]), [], 'nothing to write for no commit');
  // $max compares the stored and the new key as strings: that is `<` on positions only because keys are fixed-width.
  const keys = [0n, 9n, 10n, (1n << 64n) - 1n, 1n << 64n, wide, (1n << 128n) - 1n].map(positionKey);
  t.same([...keys].sort(), keys, 'keys sort as strings in the order of their positions');
  t.ok(keys.every((key) => key.length === keys[0]!.length), 'all of one width');
});
