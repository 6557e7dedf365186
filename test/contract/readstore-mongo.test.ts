import t, { type Test } from 'tap';
import { MongoClient } from 'mongodb';
import { v4 as uuid } from 'uuid';
import { MongoReadStore, positionFromKey, positionKey } from '../../infra/readstore/mongo.js';
import { readStoreContract } from './readstore.contract.js';

const url = process.env.MONGODB_URL;
const skip = url
  ? false
  : 'MONGODB_URL not set: MongoDB contract suite skipped (docker compose up -d mongo, then MONGODB_URL=mongodb://localhost:27017 npm test)';

/** Every store opened here gets a database of its own, dropped when the test ends. */
function freshStores(t: Test): () => Promise<MongoReadStore> {
  const databases: string[] = [];
  t.teardown(async () => {
    const client = new MongoClient(url!);
    try {
      for (const name of databases) await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  });
  return () => {
    const name = `contract_${uuid().replaceAll('-', '').slice(0, 20)}`;
    databases.push(name);
    return MongoReadStore.connect(url!, name);
  };
}

t.test('position keys compare as strings the way positions compare as numbers', async (t) => {
  const positions = [0n, 1n, 9n, 10n, 99n, 100n, (1n << 64n) - 1n, 1n << 64n, (1n << 128n) - 1n];
  const keys = positions.map(positionKey);
  for (let i = 1; i < keys.length; i++) t.ok(keys[i]! > keys[i - 1]!, `${positions[i]} sorts after ${positions[i - 1]}`);
  t.same(keys.map(positionFromKey), positions, 'a key reads back as its position');
  t.throws(() => positionKey(-1n), RangeError, 'no negative positions');
  t.throws(() => positionKey(10n ** 40n), RangeError, 'nothing wider than the key');
});

t.test('MongoDB read store: the contract', { skip }, async (t) => {
  readStoreContract(t, freshStores(t));
});

t.test('MongoDB read store: a replayed commit changes nothing that a later one wrote', { skip }, async (t) => {
  const store = await freshStores(t)();
  t.teardown(() => store.close());
  const docs = await store.collection({ name: 'seats' });

  await store.commit([{ projection: 'seats', position: 9n, changes: [{ collection: 'seats', op: 'upsert', doc: { id: 'a', n: 9 }, position: 9n }] }]);
  await store.commit([{ projection: 'seats', position: 5n, changes: [
    { collection: 'seats', op: 'upsert', doc: { id: 'a', n: 5 }, position: 5n },
    { collection: 'seats', op: 'upsert', doc: { id: 'b', n: 5 }, position: 5n },
  ] }]);
  t.same(await docs.get('a'), { id: 'a', n: 9 }, 'an older change is skipped (the conditional upsert met a duplicate key)');
  t.same(await docs.get('b'), { id: 'b', n: 5 }, 'while a change not yet applied lands');
  await store.commit([{ projection: 'seats', position: 9n, changes: [{ collection: 'seats', op: 'upsert', doc: { id: 'a', n: -1 }, position: 9n }] }]);
  t.same(await docs.get('a'), { id: 'a', n: 9 }, 'the same position again is skipped too');

  await store.commit([{ projection: 'seats', position: 12n, changes: [{ collection: 'seats', op: 'upsert', doc: { id: 'a', n: 12 }, position: 12n }] }]);
  await store.commit([{ projection: 'seats', position: 7n, changes: [{ collection: 'seats', op: 'delete', id: 'a', position: 7n }] }]);
  t.same(await docs.get('a'), { id: 'a', n: 12 }, 'an older delete is skipped');
  await store.commit([{ projection: 'seats', position: 15n, changes: [{ collection: 'seats', op: 'delete', id: 'a', position: 15n }] }]);
  t.equal(await docs.get('a'), null, 'a newer delete applies');
  t.equal(await store.checkpoint('seats'), 15n);

  await store.commit([{ projection: 'seats', position: 20n, changes: [
    { collection: 'seats', op: 'upsert', doc: { id: 'c', n: 1 }, position: 20n },
    { collection: 'seats', op: 'upsert', doc: { id: 'c', n: 2 }, position: 20n },
    { collection: 'seats', op: 'delete', id: 'b', position: 20n },
    { collection: 'seats', op: 'upsert', doc: { id: 'b', n: 20 }, position: 20n },
  ] }]);
  t.same(await docs.get('c'), { id: 'c', n: 2 }, 'within one commit the last change to a document wins');
  t.same(await docs.get('b'), { id: 'b', n: 20 }, 'a delete then an upsert leaves the upsert');
  t.same(await docs.find({ sort: [['n', 'asc']] }), [{ id: 'c', n: 2 }, { id: 'b', n: 20 }], 'no _position or _id in what comes back');
});

t.test('MongoDB read store: patch is a JSON merge patch, as in the embedded store', { skip }, async (t) => {
  const store = await freshStores(t)();
  t.teardown(() => store.close());
  const docs = await store.collection({ name: 'holds', indexes: ['userId'] });
  await docs.upsert({ id: 'h1', userId: 'u1', note: 'x', at: new Date(0) as unknown as string });
  t.same(await docs.get('h1'), { id: 'h1', userId: 'u1', note: 'x', at: '1970-01-01T00:00:00.000Z' }, 'stored as JSON');
  t.equal(await docs.patch('h1', { note: null, extra: 1, id: 'other' }), true);
  t.same(await docs.get('h1'), { id: 'h1', userId: 'u1', at: '1970-01-01T00:00:00.000Z', extra: 1 }, 'null removes, the id stays');
  t.equal(await docs.patch('h1', {}), true, 'an empty patch of an existing document');
  t.equal(await docs.patch('nope', {}), false, 'an empty patch of a missing one');
  t.same(await docs.find({ where: { userId: 'u1' }, limit: 0 }), [], 'limit 0 is nothing');
  t.same(await docs.find({ where: { note: null } }), [await docs.get('h1')], 'null matches a missing field');
});
