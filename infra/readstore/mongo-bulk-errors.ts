import { MongoBulkWriteError, MongoServerError, MongoWriteConcernError } from 'mongodb';

export const DUPLICATE_KEY = 11000;

/** What a failed bulk write reports, as far as the read store's decision goes. */
export interface BulkFailure {
  /** Each failed operation: its index in the bulk and the server's error code. */
  writeErrors: ReadonlyArray<{ index: number; code: number | undefined }>;
  /** The server applied the writes but could not satisfy the write concern: not as durable as asked. */
  writeConcernFailed: boolean;
}

/**
 * The operations of a bulk of guarded upserts to retry, one by one, when the
 * bulk failed only because some of them met a duplicate key (the document
 * exists with an equal or newer stamp, so the filter missed and the insert
 * collided; or another writer inserted it first). Null when the error must be
 * thrown: a write concern error (even beside duplicate keys), any other write
 * error, or no write error at all, which is how the driver reports a network
 * or command failure in the middle of a bulk.
 */
export function duplicateKeysToRetry(failure: BulkFailure, operations: number): number[] | null {
  if (failure.writeConcernFailed || failure.writeErrors.length === 0) return null;
  const indexes = new Set<number>();
  for (const { index, code } of failure.writeErrors) {
    if (code !== DUPLICATE_KEY || !Number.isInteger(index) || index < 0 || index >= operations) return null;
    indexes.add(index);
  }
  return [...indexes].sort((a, b) => a - b);
}

/**
 * Reads the driver's bulk error; null for any other error. With driver 7 a
 * `MongoBulkWriteError` is thrown for write errors, for a write concern error
 * (the server's reply rewrapped: the error's own `writeErrors` is then empty
 * even when the reply had some) and for a network or command failure (no
 * write errors at all). The result it carries holds every batch's write
 * errors and write concern errors, so it is read rather than the error's own
 * list.
 */
export function bulkFailureOf(error: unknown): BulkFailure | null {
  if (!(error instanceof MongoBulkWriteError)) return null;
  const writeErrors = error.result ? error.result.getWriteErrors() : [error.writeErrors].flat();
  return {
    writeErrors: writeErrors.map(({ index, code }) => ({ index, code })),
    writeConcernFailed: error.err !== undefined || error.result?.getWriteConcernError() !== undefined,
  };
}

/**
 * A single guarded upsert that met a duplicate key: a change at least as new
 * is there. A write concern error never counts, even when its reply carries a
 * duplicate key too (the driver then throws the write concern error).
 */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && !(error instanceof MongoWriteConcernError) && error.code === DUPLICATE_KEY;
}
