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

/**
 * One document change made by a projection, stamped with the position of the
 * last event it applies. A store keeps the stamp with the document (a delete
 * leaves a tombstone that keeps it) and ignores a change whose stamp is not
 * newer than the stored one, so replaying events is harmless per document,
 * whatever the batch boundaries and whether or not the checkpoint landed.
 */
export type DocChange =
  | { collection: string; op: 'upsert'; doc: Doc; position: Position }
  | { collection: string; op: 'delete'; id: string; position: Position };

/** A projection's changes and the checkpoint they bring it to. */
export interface ProjectionCommit {
  projection: string;
  position: Position;
  changes: readonly DocChange[];
}

/** A document as a projection reads it: null for a tombstone, with the stamp of the last event applied to it. */
export interface Stamped<T extends Doc = Doc> {
  doc: T | null;
  /** -1n for a document written without a stamp (directly, or by an older version), which any event supersedes. */
  position: Position;
}

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

export interface SwapRequest {
  projection: string;
  /** The model's name: what readers ask `collection()` for. */
  model: string;
  /** A collection made by `stage`. */
  physical: string;
  position: Position;
}

export type SwapResult = { switched: true; previous: string } | { switched: false; checkpoint: Position };

export interface ReadStore {
  readonly kind: 'sqlite' | 'mongodb';
  /** Declares a collection (idempotent) and returns it. */
  collection<T extends Doc = Doc>(spec: CollectionSpec): Promise<Collection<T>>;
  /**
   * Applies several projections' changes and moves each one's checkpoint
   * forward (never back). SQLite does all of it in one transaction. MongoDB
   * cannot span them without a replica set, so its adapter writes the
   * documents first, each guarded by its stamp, and the checkpoints last: a
   * crash in between replays a few changes, which the stamps ignore.
   */
  commit(commits: readonly ProjectionCommit[]): Promise<void>;
  /**
   * The stamped documents of a collection (tombstones included) among `ids`;
   * an id never written is absent from the map.
   */
  stamped<T extends Doc = Doc>(collection: string, ids: readonly string[]): Promise<Map<string, Stamped<T>>>;
  checkpoint(projection: string): Promise<Position | null>;
  /** Forgets a projection's checkpoint and empties its collections. */
  reset(projection: string, collections: readonly string[]): Promise<void>;
  /**
   * A new, empty physical collection beside the model's live one (with its
   * indexes), for a rebuild that must never show readers a half-built model.
   * Changes addressed to the returned name land there; readers of the model
   * keep reading the live one until `swap`.
   */
  stage(spec: CollectionSpec): Promise<string>;
  /**
   * Points the model at `physical` for every reader and writer in one step,
   * with the projection's checkpoint at `position`: only when the live
   * checkpoint has not passed `position` (otherwise nothing changes and the
   * live checkpoint comes back, to catch up to). A collection obtained from
   * `collection()` before the swap reads the new one after it. Returns the
   * physical collection the model used before, for `drop`.
   */
  swap(request: SwapRequest): Promise<SwapResult>;
  /** Removes a physical collection (and its tombstones) that no model points at any more. */
  drop(physical: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
