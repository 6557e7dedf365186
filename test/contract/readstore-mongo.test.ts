import t, { type Test } from 'tap';
import { MongoBulkWriteError, MongoClient } from 'mongodb';
import { v4 as uuid } from 'uuid';
import { MongoReadStore, positionFromKey, positionKey } from '../../infra/readstore/mongo.js';
import { readStoreContract } from './readstore.contract.js';

const url = process.env.MONGODB_URL;
const skip = url
  ? false
  : 'MONGODB_URL not set: MongoDB contract suite skipped (docker compose up -d mongo, then MONGODB_URL=mongodb://localhost:27017 npm test)';

/** Every database named here is dropped when the test ends. */
function freshDatabases(t: Test): () => string {
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
    return name;
  };
}

/** Every store opened here gets a database of its own. */
function freshStores(t: Test): () => Promise<MongoReadStore> {
  const database = freshDatabases(t);
  return () => MongoReadStore.connect(url!, database());
}

/** A client of its own to look at what is stored, closed when the test ends. */
function rawDatabase(t: Test, name: string) {
  const client = new MongoClient(url!);
  t.teardown(() => client.close());
  return client.db(name);
}

/** A connection string with more URI options. */
const withOptions = (base: string, options: string) => `${base}${base.includes('?') ? '&' : base.replace(/^mongodb(\+srv)?:\/\//, '').includes('/') ? '?' : '/?'}${options}`;

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

t.test('MongoDB read store: stamps per change, tombstones, and what is stored', { skip }, async (t) => {
  const database = freshDatabases(t)();
  const store = await MongoReadStore.connect(url!, database);
  t.teardown(() => store.close());
  const docs = await store.collection({ name: 'seats' });
  const upsert = (id: string, n: number, position: bigint) => ({ collection: 'seats', op: 'upsert', doc: { id, n }, position }) as const;

  await store.commit([{ projection: 'seats', position: 9n, changes: [upsert('a', 9, 9n)] }]);
  await store.commit([{ projection: 'seats', position: 5n, changes: [upsert('a', 5, 5n), upsert('b', 5, 5n)] }]);
  t.same(await docs.get('a'), { id: 'a', n: 9 }, 'an older change is skipped (the guarded upsert met a duplicate key)');
  t.same(await docs.get('b'), { id: 'b', n: 5 }, 'while a change not yet applied lands');
  t.equal(await store.checkpoint('seats'), 9n, 'and the checkpoint stays');

  await store.commit([{ projection: 'seats', position: 20n, changes: [
    upsert('c', 1, 20n),
    upsert('c', 2, 20n),
    upsert('d', 2, 19n),
    upsert('d', 1, 18n),
    { collection: 'seats', op: 'delete', id: 'b', position: 20n },
    upsert('b', 20, 20n),
  ] }]);
  t.same(await docs.get('c'), { id: 'c', n: 1 }, 'a second change with the same stamp is skipped, as a projection never sends one');
  t.same(await docs.get('d'), { id: 'd', n: 2 }, 'of two stamps in one unordered bulk, the later wins whatever the order applied');
  t.equal(await docs.get('b'), null, 'a delete then an upsert of the same stamp leaves the delete');
  t.same(await docs.find({ sort: [['n', 'asc']] }), [{ id: 'c', n: 1 }, { id: 'd', n: 2 }, { id: 'a', n: 9 }], 'no _position, _deleted or _id in what comes back');

  const stored = rawDatabase(t, database).collection<{ _id: string }>('seats');
  t.same(await stored.findOne({ _id: 'b' }), { _id: 'b', _position: positionKey(20n), _deleted: true }, 'a tombstone holds its stamp and nothing else');
  t.match(await stored.findOne({ _id: 'a' }), { _id: 'a', id: 'a', n: 9, _position: positionKey(9n) });
});

t.test('MongoDB read store: the place in line is still an index scan beside tombstones', { skip }, async (t) => {
  const database = freshDatabases(t)();
  const store = await MongoReadStore.connect(url!, database);
  t.teardown(() => store.close());
  const spec = { name: 'line', indexes: [['status', 'issuedPosition']] as const };
  const line = await store.collection(spec);
  const token = (n: number) => ({ collection: 'line', op: 'upsert', doc: { id: `t${n}`, status: 'WAITING', issuedPosition: positionKey(BigInt(n)) }, position: BigInt(n) }) as const;
  await store.commit([{ projection: 'line', position: 40n, changes: Array.from({ length: 40 }, (_, n) => token(n + 1)) }]);
  await store.commit([{ projection: 'line', position: 50n, changes: [{ collection: 'line', op: 'delete', id: 't3', position: 50n }] }]);
  const where = { status: 'WAITING', issuedPosition: { lt: positionKey(10n) } };
  t.equal(await line.count(where), 8, 'nine ahead of the tenth, less the deleted one');

  // The same pipeline countDocuments sends, explained.
  const plan = await rawDatabase(t, database)
    .collection('line')
    .aggregate([{ $match: { status: 'WAITING', issuedPosition: { $lt: positionKey(10n) } } }, { $group: { _id: 1, n: { $sum: 1 } } }])
    .explain('queryPlanner');
  const text = JSON.stringify(plan);
  t.match(text, /IXSCAN|COUNT_SCAN/, 'the compound index serves it');
  t.notMatch(text, /COLLSCAN/, 'no collection scan');
});

t.test('MongoDB read store: a commit the server cannot make durable as asked fails, and its checkpoint stays', { skip }, async (t) => {
  const database = freshDatabases(t)();
  const store = await MongoReadStore.connect(url!, database);
  t.teardown(() => store.close());
  // w: 2 cannot be met by one server: a replica set of one applies the write
  // and answers a write concern error (UnsatisfiableWriteConcern); a
  // standalone refuses the write concern outright. Either must fail the commit.
  const demanding = await MongoReadStore.connect(withOptions(url!, 'w=2&wtimeoutMS=1000'), database);
  t.teardown(() => demanding.close());
  await t.rejects(
    demanding.commit([{ projection: 'durable', position: 7n, changes: [{ collection: 'durable', op: 'upsert', doc: { id: 'a', n: 1 }, position: 7n }] }]),
    MongoBulkWriteError,
  );
  t.equal(await store.checkpoint('durable'), null, 'the checkpoint did not move');
  await store.commit([{ projection: 'durable', position: 7n, changes: [{ collection: 'durable', op: 'upsert', doc: { id: 'a', n: 1 }, position: 7n }] }]);
  t.same(await (await store.collection({ name: 'durable' })).get('a'), { id: 'a', n: 1 }, 'and the replay, durable this time, lands once');
  t.equal(await store.checkpoint('durable'), 7n);
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
