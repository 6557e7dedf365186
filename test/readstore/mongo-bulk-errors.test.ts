import t from 'tap';
import { MongoServerError, MongoWriteConcernError } from 'mongodb';
import { bulkFailureOf, duplicateKeysToRetry, isDuplicateKey, DUPLICATE_KEY } from '../../infra/readstore/mongo-bulk-errors.js';

/** The decision the MongoDB read store takes on a failed bulk of guarded upserts, without a server. */

const duplicate = (index: number) => ({ index, code: DUPLICATE_KEY });

t.test('only duplicate keys: those operations are retried, each once, in order', async (t) => {
  t.same(duplicateKeysToRetry({ writeErrors: [duplicate(3), duplicate(0), duplicate(3)], writeConcernFailed: false }, 4), [0, 3]);
});

t.test('anything else is thrown', async (t) => {
  t.equal(duplicateKeysToRetry({ writeErrors: [], writeConcernFailed: true }, 2), null, 'a write concern error alone: the writes are not as durable as asked');
  t.equal(duplicateKeysToRetry({ writeErrors: [duplicate(0)], writeConcernFailed: true }, 2), null, 'a write concern error beside duplicate keys');
  t.equal(duplicateKeysToRetry({ writeErrors: [], writeConcernFailed: false }, 2), null, 'no write error at all: a network or command failure the driver wrapped');
  t.equal(duplicateKeysToRetry({ writeErrors: [duplicate(0), { index: 1, code: 121 }], writeConcernFailed: false }, 2), null, 'another write error among duplicate keys');
  t.equal(duplicateKeysToRetry({ writeErrors: [{ index: 0, code: undefined }], writeConcernFailed: false }, 2), null, 'a write error without a code');
  t.equal(duplicateKeysToRetry({ writeErrors: [duplicate(2)], writeConcernFailed: false }, 2), null, 'an index that names no operation of the bulk');
});

t.test('only MongoBulkWriteError is read as a bulk failure', async (t) => {
  t.equal(bulkFailureOf(new Error('boom')), null);
  t.equal(bulkFailureOf(new MongoServerError({ message: 'E11000', code: DUPLICATE_KEY })), null);
  t.equal(bulkFailureOf(undefined), null);
});

t.test('a single retried upsert: a duplicate key is settled, a write concern error never is', async (t) => {
  t.equal(isDuplicateKey(new MongoServerError({ message: 'E11000 duplicate key error', code: DUPLICATE_KEY })), true);
  t.equal(isDuplicateKey(new MongoServerError({ message: 'Document failed validation', code: 121 })), false);
  const concern = new MongoWriteConcernError({
    ok: 1,
    writeErrors: [{ index: 0, code: DUPLICATE_KEY, errmsg: 'E11000 duplicate key error' }],
    writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' },
  });
  t.equal(isDuplicateKey(concern), false, 'even when the reply also carries a duplicate key');
  t.equal(isDuplicateKey(new Error('E11000')), false, 'a plain error is no server answer');
});
