import type { Filter } from 'mongodb';
import type { Position } from '../eventstore/port.js';
import type { Doc, Range, Stamped, Where } from './port.js';
import { positionFromKey, positionKey } from './position-key.js';

/**
 * How a read-model document sits in MongoDB: our id as `_id`, the stamp of
 * the last event applied to it as `_position` (a position key; absent when
 * the document was written directly, or before stamps), and a document a
 * projection deleted as a tombstone `{ _id, _position, _deleted: true }`.
 *
 * The tombstone is the document itself rather than a row elsewhere because a
 * stamp check and the write it guards must be one atomic single-document
 * operation: without transactions, a tombstone in another collection could be
 * read by a lagging writer just before a newer delete writes it. A tombstone
 * holds no field of its own, which is what keeps it out of queries cheaply
 * (see liveFilter).
 */
export type Stored = { _id: string; _position?: string; _deleted?: true } & Record<string, unknown>;

/** The store's own fields: never a document's (field names start with a letter). */
const RESERVED = new Set(['_id', '_position', '_deleted']);

/** The same alphabet as the embedded store, so a name that works there works here (no `$`, no `.`, no leading `_`). */
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

export function checkName(kind: string, name: string): string {
  if (!NAME.test(name)) throw new RangeError(`invalid ${kind} name: ${name}`);
  return name;
}

/** Documents are JSON, as in the embedded store: dates become strings, undefined fields vanish. */
export const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function toDoc<T extends Doc>(stored: Stored): T {
  const { _id, _position, _deleted, ...fields } = stored;
  return { ...fields, id: _id } as unknown as T;
}

/** A live document; unstamped when written directly, so that any event supersedes it. */
export function toStored(doc: Doc, position?: Position): Stored {
  const { id, ...fields } = asJson(doc);
  for (const field of Object.keys(fields)) {
    if (RESERVED.has(field)) throw new RangeError(`${field} is the read store's own field, not a document's`);
  }
  return { ...fields, id, _id: id, ...(position === undefined ? {} : { _position: positionKey(position) }) };
}

export const toTombstone = (id: string, position: Position): Stored => ({ _id: id, _position: positionKey(position), _deleted: true });

/** A stored document or tombstone as a projection reads it. */
export function toStamped<T extends Doc>(stored: Stored): Stamped<T> {
  return {
    doc: stored._deleted ? null : toDoc<T>(stored),
    position: stored._position === undefined ? -1n : positionFromKey(stored._position),
  };
}

/**
 * The document `id` unless it already holds the change at `key` or a later
 * one. Position keys are fixed-width digit strings, and MongoDB compares
 * strings bytewise unless a collation says otherwise (our collections have
 * none), so `$lt` on keys is `<` on positions.
 */
export const olderThan = (id: string, key: string): Filter<Stored> => ({
  _id: id,
  $or: [{ _position: { $lt: key } }, { _position: { $exists: false } }],
});

const OPERATORS: Record<keyof Range, string> = { lt: '$lt', lte: '$lte', gt: '$gt', gte: '$gte' };

function whereFilter(where: Where | undefined): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const [field, condition] of Object.entries(where ?? {})) {
    checkName('field', field);
    if (condition === null || typeof condition !== 'object') {
      // `{ field: null }` also matches a missing field, as IS NULL does in the embedded store.
      filter[field] = condition;
      continue;
    }
    const range: Record<string, number | string> = {};
    for (const [op, value] of Object.entries(condition) as Array<[keyof Range, number | string | undefined]>) {
      if (value === undefined) continue;
      if (!(op in OPERATORS)) throw new RangeError(`unknown range operator ${op}`);
      range[OPERATORS[op]] = value;
    }
    if (Object.keys(range).length > 0) filter[field] = range;
  }
  return filter;
}

/**
 * Whether a where clause can never match a tombstone: a tombstone has no
 * fields, so an equality on a value or a range on any field already rules it
 * out. Only then can the filter stay as it is, which keeps the hot queries
 * (e.g. WAITING tokens issued before a position) on their compound index as
 * covered counts. Everything else (no condition, or only `field: null`, which
 * matches a missing field) must exclude tombstones explicitly.
 */
export function excludesTombstones(where: Where | undefined): boolean {
  return Object.values(where ?? {}).some(
    (condition) => condition !== null && (typeof condition !== 'object' || Object.values(condition).some((bound) => bound !== undefined)),
  );
}

/** The filter for get/find/count: live documents matching `where`. */
export function liveFilter(where: Where | undefined): Filter<Stored> {
  const filter = whereFilter(where);
  return (excludesTombstones(where) ? filter : { ...filter, _deleted: { $exists: false } }) as Filter<Stored>;
}

/** One live document by id (the _id index decides; the tombstone check is on that one document). */
export const liveById = (id: string): Filter<Stored> => ({ _id: id, _deleted: { $exists: false } });
