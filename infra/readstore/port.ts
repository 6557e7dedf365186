import type { Position } from '../eventstore/port.js';

/**
 * The read store port: JSON documents by id in named collections, and the
 * projection checkpoint written together with the documents it covers.
 */

export type Doc = Record<string, unknown> & { id: string };

export type FieldValue = string | number | boolean | null;

/** A bound on a field, compared as the stored JSON value (numbers as numbers, ISO times as strings). */
export interface Range {
  lt?: number | string;
  lte?: number | string;
  gt?: number | string;
  gte?: number | string;
}

/** Equality on a field, or a range; declare the fields as indexes of the collection. */
export type Where = Record<string, FieldValue | Range>;

export interface FindQuery {
  where?: Where;
  sort?: Array<[field: string, direction: 'asc' | 'desc']>;
  limit?: number;
}

/** One document change made by a projection. */
export type DocChange =
  | { collection: string; op: 'upsert'; doc: Doc }
  | { collection: string; op: 'delete'; id: string };

export interface CollectionSpec {
  name: string;
  /**
   * Fields used in `where` or `sort`; adapters build an index for each. A list
   * of fields is one compound index, for an equality followed by a range or a
   * sort (e.g. WAITING tokens issued before a position).
   */
  indexes?: ReadonlyArray<string | readonly string[]>;
}

export interface Collection<T extends Doc = Doc> {
  get(id: string): Promise<T | null>;
  upsert(doc: T): Promise<void>;
  /** Merges fields into an existing document; returns false when there is none. */
  patch(id: string, fields: Partial<T>): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  find(query?: FindQuery): Promise<T[]>;
  count(where?: Where): Promise<number>;
}

export interface ReadStore {
  readonly kind: 'sqlite' | 'mongodb';
  /** Declares a collection (idempotent) and returns it. */
  collection<T extends Doc = Doc>(spec: CollectionSpec): Promise<Collection<T>>;
  /**
   * Applies a projection's changes and moves its checkpoint to `position`.
   * SQLite does both in one transaction. MongoDB cannot span them without a
   * replica set, so its adapter writes each document with the position that
   * produced it and skips a change whose document already has a later or equal
   * one; the checkpoint goes last, so a crash replays a few changes harmlessly.
   */
  commit(projection: string, position: Position, changes: readonly DocChange[]): Promise<void>;
  checkpoint(projection: string): Promise<Position | null>;
  /** Forgets a projection's checkpoint and empties its collections, for a rebuild. */
  reset(projection: string, collections: readonly string[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
