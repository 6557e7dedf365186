import type { AnyBulkWriteOperation } from 'mongodb';
import type { Position } from '../eventstore/port.js';
import type { DocChange, ProjectionCommit } from './port.js';
import { positionKey } from './position-key.js';
import { checkName, olderThan, toStored, toTombstone, type Stored } from './mongo-stored.js';

/** A projection's checkpoint: its position key, which compares as strings the way positions compare. */
export interface CheckpointDoc {
  _id: string;
  position: string;
}

const idOf = (change: DocChange) => (change.op === 'upsert' ? change.doc.id : change.id);

/**
 * The changes to send, by collection: for each document the change with the
 * greatest position, and of equal ones the first. That is what applying the
 * changes one by one under their stamps leaves (a later change with an equal
 * stamp is skipped), while an unordered bulk write may apply them in any order.
 */
export function latestPerDocument(commits: readonly ProjectionCommit[]): Map<string, DocChange[]> {
  const latest = new Map<string, DocChange>();
  for (const { changes } of commits) {
    for (const change of changes) {
      const slot = `${checkName('collection', change.collection)}\u0000${idOf(change)}`;
      const kept = latest.get(slot);
      if (!kept || change.position > kept.position) latest.set(slot, change);
    }
  }
  const byCollection = new Map<string, DocChange[]>();
  for (const change of latest.values()) {
    const list = byCollection.get(change.collection) ?? [];
    list.push(change);
    byCollection.set(change.collection, list);
  }
  return byCollection;
}

/**
 * A change as one atomic single-document write: replace the document (or put
 * its tombstone in its place) only if it does not already hold this change or
 * a later one. Deletes are upserts too, so a delete of a document this store
 * never saw still leaves the tombstone that stops an older upsert.
 */
export function guardedWrite(change: DocChange): AnyBulkWriteOperation<Stored> {
  const id = idOf(change);
  const replacement = change.op === 'upsert' ? toStored(change.doc, change.position) : toTombstone(id, change.position);
  return { replaceOne: { filter: olderThan(id, positionKey(change.position)), replacement, upsert: true } };
}

/**
 * One update per projection, to its greatest position in this commit, with
 * `$max`: the server keeps the greater of the stored and the new key, so a
 * lagging writer of the same model can never move its checkpoint back.
 */
export function checkpointWrites(commits: readonly ProjectionCommit[]): AnyBulkWriteOperation<CheckpointDoc>[] {
  const latest = new Map<string, Position>();
  for (const { projection, position } of commits) {
    const kept = latest.get(projection);
    if (kept === undefined || position > kept) latest.set(projection, position);
  }
  return [...latest].map(([projection, position]) => ({
    updateOne: { filter: { _id: projection }, update: { $max: { position: positionKey(position) } }, upsert: true },
  }));
}
