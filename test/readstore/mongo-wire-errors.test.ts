import t, { type Test } from 'tap';
import { MongoBulkWriteError, type Document } from 'mongodb';
import { MongoReadStore, positionKey } from '../../infra/readstore/mongo.js';
import { bulkFailureOf } from '../../infra/readstore/mongo-bulk-errors.js';
import type { ProjectionCommit } from '../../infra/readstore/port.js';
import { FakeMongod, updatesOf, type Script } from '../support/fake-mongod.js';

/**
 * The MongoDB read store's commit against the real driver, facing the replies
 * a real server gives when things go wrong. No server runs here, and a
 * standalone cannot be made to answer a write concern error on demand, so a
 * scripted wire-protocol server stands in; what is under test is what the
 * driver throws for each reply and what the store does with it.
 */

const CHECKPOINTS = 'projection_checkpoints';

const writeConcernError = { code: 64, codeName: 'WriteConcernFailed', errmsg: 'waiting for replication timed out', errInfo: { wtimeout: true } };
const duplicateKey = (index: number) => ({ index, code: 11000, errmsg: 'E11000 duplicate key error collection: wire.docs index: _id_' });

const commit: ProjectionCommit[] = [
  {
    projection: 'docs-model',
    position: 5n,
    changes: [
      { collection: 'docs', op: 'upsert', doc: { id: 'a', n: 1 }, position: 4n },
      { collection: 'docs', op: 'delete', id: 'b', position: 5n },
    ],
  },
];

async function storeFacing(t: Test, script: Script) {
  const server = await FakeMongod.start(script);
  const store = await MongoReadStore.connect(server.url, 'wire');
  t.teardown(async () => {
    await store.close();
    await server.stop();
  });
  return { server, store };
}

/** The first `update` of the documents gets `reply`; everything after it the default answer. */
const firstDocsUpdate = (reply: Document | 'hang-up'): Script => (command, seen) =>
  command.name === 'update' && command.target === 'docs' && seen.filter((c) => c.name === 'update' && c.target === 'docs').length === 1
    ? reply
    : undefined;

t.test('a write concern error alone fails the commit, and the checkpoint stays', async (t) => {
  const { server, store } = await storeFacing(t, firstDocsUpdate({ ok: 1, n: 2, nModified: 2, writeConcernError }));
  const error = await store.commit(commit).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  t.type(error, MongoBulkWriteError, 'the driver throws a MongoBulkWriteError');
  t.same(bulkFailureOf(error), { writeErrors: [], writeConcernFailed: true }, 'with no write error, only the write concern error');
  t.same(server.sent('update', CHECKPOINTS), [], 'no checkpoint was written');
});

t.test('a write concern error beside duplicate keys fails the commit too', async (t) => {
  const { server, store } = await storeFacing(
    t,
    firstDocsUpdate({ ok: 1, n: 1, nModified: 1, writeErrors: [duplicateKey(0)], writeConcernError }),
  );
  const error = await store.commit(commit).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  t.type(error, MongoBulkWriteError);
  t.same([(error as MongoBulkWriteError).writeErrors].flat(), [], "the error's own writeErrors is empty here (the reply is rewrapped)");
  t.match(bulkFailureOf(error), { writeErrors: [{ index: 0, code: 11000 }], writeConcernFailed: true }, 'while its result holds both');
  t.equal(server.sent('update', 'docs').length, 1, 'nothing is retried');
  t.same(server.sent('update', CHECKPOINTS), [], 'no checkpoint was written');
});

t.test('duplicate keys alone: each is retried once, and then the checkpoint moves with $max', async (t) => {
  const { server, store } = await storeFacing(t, (command, seen) => {
    if (command.name !== 'update' || command.target !== 'docs') return undefined;
    const nth = seen.filter((c) => c.name === 'update' && c.target === 'docs').length;
    // The bulk: the upsert of a collides. Its retry collides again: a newer change is there.
    if (nth === 1) return { ok: 1, n: 1, nModified: 1, writeErrors: [duplicateKey(0)] };
    if (nth === 2) return { ok: 1, n: 0, nModified: 0, writeErrors: [duplicateKey(0)] };
    return undefined;
  });
  await store.commit(commit);
  const [bulk, retry] = server.sent('update', 'docs');
  t.equal(updatesOf(bulk).length, 2, 'one bulk of both changes');
  t.match(updatesOf(retry), [{ q: { _id: 'a' }, u: { _position: positionKey(4n) }, upsert: true }], 'then the colliding one alone, guarded as before');
  t.equal(server.sent('update', 'docs').length, 2, 'and only once: its second duplicate key means a newer change is there');
  t.match(
    updatesOf(server.sent('update', CHECKPOINTS)[0]),
    [{ q: { _id: 'docs-model' }, u: { $max: { position: positionKey(5n) } }, upsert: true }],
    'never $set: the checkpoint cannot move back',
  );
});

t.test('a delete is sent as a guarded tombstone, not a removal', async (t) => {
  const { server, store } = await storeFacing(t, () => undefined);
  await store.commit(commit);
  const [bulk] = server.sent('update', 'docs');
  const tombstone = updatesOf(bulk).find((u) => (u.q as { _id: string })._id === 'b');
  t.same(tombstone?.u, { _id: 'b', _position: positionKey(5n), _deleted: true });
  t.match(tombstone, { upsert: true, q: { $or: [{ _position: { $lt: positionKey(5n) } }, { _position: { $exists: false } }] } });
  t.same(server.sent('delete', 'docs'), [], 'nothing is removed');
});

t.test('a failed command in the middle of a bulk fails the commit (the driver reports no write error for it)', async (t) => {
  const { server, store } = await storeFacing(
    t,
    firstDocsUpdate({ ok: 0, code: 13, codeName: 'Unauthorized', errmsg: 'not authorized on wire to execute command' }),
  );
  const error = await store.commit(commit).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  t.type(error, MongoBulkWriteError);
  t.same(bulkFailureOf(error), { writeErrors: [], writeConcernFailed: false }, 'an empty list of write errors');
  t.same(server.sent('update', CHECKPOINTS), [], 'no checkpoint was written');
});

t.test('a dropped connection in the middle of a bulk fails the commit', async (t) => {
  const { server, store } = await storeFacing(t, firstDocsUpdate('hang-up'));
  const error = await store.commit(commit).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  t.type(error, MongoBulkWriteError, 'wrapped in a MongoBulkWriteError as well');
  t.same(bulkFailureOf(error), { writeErrors: [], writeConcernFailed: false });
  t.same(server.sent('update', CHECKPOINTS), [], 'no checkpoint was written');
});

t.test('a write concern error on the checkpoints fails the commit', async (t) => {
  const { store } = await storeFacing(t, (command) =>
    command.name === 'update' && command.target === CHECKPOINTS ? { ok: 1, n: 1, nModified: 1, writeConcernError } : undefined,
  );
  await t.rejects(store.commit(commit), MongoBulkWriteError);
});
