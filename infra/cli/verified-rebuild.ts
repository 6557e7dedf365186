import { isDeepStrictEqual } from 'node:util';
import type { Position } from '../eventstore/port.js';
import type { Doc } from '../readstore/port.js';
import type { Stores } from '../stores.js';
import { rebuild, type AnyProjection, type RebuildProgress } from '../../bus/projection.js';
import { allEvents } from '../inspect/all-events.js';

/**
 * A rebuild that proves itself: the live model is snapshotted first, brought
 * in memory from its checkpoint to the head the rebuild reached (it may have
 * been a little behind), and compared with what the rebuild wrote. A read
 * model that a rebuild would change is a read model that was wrong.
 */

export interface Difference {
  id: string;
  /** missing: the live model had it, the rebuild not; extra: the other way round. */
  kind: 'missing' | 'extra' | 'changed';
}

export interface VerifiedRebuild {
  projection: string;
  events: number;
  head: Position;
  ms: number;
  eventsPerSecond: number;
  /** Where the live model was before the rebuild (null: it had never run). */
  liveCheckpoint: Position | null;
  identical: boolean;
  differences: Difference[];
}

/** Applies the projection's events in (from, head] to `snapshot`, in memory: the store is only read. */
export async function projectInMemory(stores: Stores, projection: AnyProjection, snapshot: readonly Doc[], from: Position | null, head: Position) {
  const docs = new Map<string, Doc>(snapshot.map((doc) => [doc.id, doc]));
  for await (const event of allEvents(stores.events, { eventTypes: projection.eventTypes }, from ?? undefined)) {
    if (event.position > head) break;
    for (const id of projection.ids(event)) {
      const next = projection.evolve(docs.get(id) ?? null, event, id);
      if (next) docs.set(id, next);
      else docs.delete(id);
    }
  }
  return docs;
}

/** JSON round trip: the store hands back what it stored, so compare like with like. */
const stored = (doc: Doc): unknown => JSON.parse(JSON.stringify(doc));

export function compare(expected: ReadonlyMap<string, Doc>, actual: readonly Doc[]): Difference[] {
  const differences: Difference[] = [];
  const rebuilt = new Map(actual.map((doc) => [doc.id, doc]));
  for (const [id, doc] of expected) {
    const other = rebuilt.get(id);
    if (!other) differences.push({ id, kind: 'missing' });
    else if (!isDeepStrictEqual(stored(doc), stored(other))) differences.push({ id, kind: 'changed' });
  }
  for (const id of rebuilt.keys()) if (!expected.has(id)) differences.push({ id, kind: 'extra' });
  return differences;
}

export async function verifiedRebuild(
  stores: Stores,
  projection: AnyProjection,
  onProgress?: (progress: RebuildProgress) => void,
): Promise<VerifiedRebuild> {
  const collection = await stores.reads.collection(projection.collection);
  const liveCheckpoint = await stores.reads.checkpoint(projection.name);
  const snapshot = await collection.find();
  const started = performance.now();
  const { events, head } = await rebuild(stores.events, stores.reads, projection, onProgress);
  const ms = performance.now() - started;
  const expected = await projectInMemory(stores, projection, snapshot, liveCheckpoint, head);
  const differences = compare(expected, await collection.find());
  return {
    projection: projection.name,
    events,
    head,
    ms,
    eventsPerSecond: ms > 0 ? Math.round((events * 1000) / ms) : events,
    liveCheckpoint,
    identical: differences.length === 0,
    differences,
  };
}
