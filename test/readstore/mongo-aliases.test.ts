import t from 'tap';
import { BSON, type Document } from 'mongodb';
import { MongoReadStore, positionKey } from '../../infra/readstore/mongo.js';
import { FakeMongod, updatesOf, type WireCommand } from '../support/fake-mongod.js';

/**
 * The MongoDB read store's side-by-side rebuild on the wire (the contract
 * suite checks the behaviour against a real server when MONGODB_URL is set):
 * readers and writers of a model go wherever `collection_aliases` points it,
 * looked up at every operation, and a swap moves that pointer.
 */

const ALIASES = 'collection_aliases';
let alias: string | null = null;

const batch = (command: WireCommand, documents: Document[]) => ({
  ok: 1,
  cursor: { id: BSON.Long.fromNumber(0), ns: `wire.${String(command.target)}`, firstBatch: documents },
});

t.test('reads, commits and swaps follow the alias', async (t) => {
  const server = await FakeMongod.start((command) => {
    if (command.name === 'find' && command.target === ALIASES) return batch(command, alias ? [{ _id: 'seats', physical: alias }] : []);
    if (command.name === 'findAndModify' && command.target === ALIASES) {
      const before = alias;
      alias = (command.body.update as { $set: { physical: string } }).$set.physical;
      return { ok: 1, value: before ? { _id: 'seats', physical: before } : null, lastErrorObject: { n: 1, updatedExisting: before !== null } };
    }
    // countDocuments: is any model still reading the collection to drop? (The fake's alias points elsewhere.)
    if (command.name === 'aggregate' && command.target === ALIASES) return batch(command, []);
    if (command.name === 'find' && command.target === 'projection_checkpoints') return batch(command, [{ _id: 'seats-model', position: positionKey(4n) }]);
    return undefined;
  });
  const store = await MongoReadStore.connect(server.url, 'wire');
  t.teardown(async () => {
    await store.close();
    await server.stop();
  });

  const seats = await store.collection({ name: 'seats' });
  await seats.find();
  t.equal(server.sent('find', 'seats').length, 1, 'without an alias the model reads its own collection');

  const physical = await store.stage({ name: 'seats', indexes: ['status'] });
  t.match(physical, /^seats_v/);
  t.ok(server.commands.some((c) => c.name === 'createIndexes' && c.target === physical), 'the staged collection gets the indexes');
  t.same(await store.swap({ projection: 'seats-model', model: 'seats', physical, position: 3n }), { switched: false, checkpoint: 4n }, 'behind the live checkpoint: refused');
  t.equal(alias, null, 'and the alias untouched');
  t.same(await store.swap({ projection: 'seats-model', model: 'seats', physical, position: 4n }), { switched: true, previous: 'seats' });
  t.equal(alias, physical, 'swapped');

  await seats.find();
  t.equal(server.sent('find', physical).length, 1, 'the collection obtained before the swap now reads the new one');
  t.equal(server.sent('find', 'seats').length, 1, 'and no longer the old');
  await store.commit([{ projection: 'seats-model', position: 5n, changes: [{ collection: 'seats', op: 'upsert', doc: { id: 'a' }, position: 5n }] }]);
  t.equal(updatesOf(server.sent('update', physical)[0]).length, 1, "a commit to the model lands in the new collection");
  await store.drop('seats');
  t.equal(server.sent('drop', 'seats').length, 1, 'the old collection is dropped');
});
