import type { EventStore, Position, RecordedEvent } from '../infra/eventstore/port.js';
import type { CollectionSpec, Doc, DocChange, ReadStore, Stamped } from '../infra/readstore/port.js';

/**
 * A read model: one collection kept by a pure function from an event and the
 * current document to the next document (null: there is none). `ids` names
 * the documents an event touches.
 */
export interface Projection<D extends Doc = Doc> {
  name: string;
  collection: CollectionSpec;
  eventTypes: readonly string[];
  ids(event: RecordedEvent): string[];
  /** `id` is the document being evolved: one of `ids(event)`. */
  evolve(doc: D | null, event: RecordedEvent, id: string): D | null;
}

/** A projection of any document type: `evolve` is a method, so its parameter is bivariant and every Projection<D> fits. */
export type AnyProjection = Projection<Doc>;

/**
 * What a batch of events changes in a projection's documents, given the
 * stored documents they touch. An event at or before a document's stamp has
 * been applied to it already and is skipped: that is what makes a replay
 * harmless per document, whatever the batch boundaries.
 */
export function project(projection: AnyProjection, events: readonly RecordedEvent[], stored: ReadonlyMap<string, Stamped>): DocChange[] {
  const working = new Map<string, { doc: Doc | null; position: Position; existed: boolean }>();
  for (const event of events) {
    if (!projection.eventTypes.includes(event.type)) continue;
    for (const id of projection.ids(event)) {
      let current = working.get(id);
      if (!current) {
        const found = stored.get(id);
        current = { doc: found?.doc ?? null, position: found?.position ?? -1n, existed: found?.doc != null };
      }
      if (event.position <= current.position) continue;
      const doc = projection.evolve(current.doc, event, id);
      working.set(id, { doc, position: event.position, existed: current.existed || current.doc !== null });
    }
  }
  const collection = projection.collection.name;
  return [...working].flatMap(([id, { doc, position, existed }]): DocChange[] => {
    if (doc) return [{ collection, op: 'upsert', doc, position }];
    // Deleting what never existed would only leave a tombstone behind.
    return existed ? [{ collection, op: 'delete', id, position }] : [];
  });
}

/** Reads the stamped documents a batch touches, in one look-up, and returns the batch's changes. */
export async function changesOf(reads: ReadStore, projection: AnyProjection, events: readonly RecordedEvent[]): Promise<DocChange[]> {
  const relevant = events.filter((event) => projection.eventTypes.includes(event.type));
  if (relevant.length === 0) return [];
  const ids = relevant.flatMap((event) => projection.ids(event));
  await reads.collection(projection.collection);
  const stored = await reads.stamped(projection.collection.name, ids);
  return project(projection, relevant, stored);
}

export interface RebuildProgress {
  events: number;
  position: Position;
  head: Position;
}

/**
 * Rebuilds a projection from position 0: forgets its documents and checkpoint,
 * then applies every event up to the current head.
 */
export async function rebuild(
  store: EventStore,
  reads: ReadStore,
  projection: AnyProjection,
  onProgress?: (progress: RebuildProgress) => void,
  pageSize = 2_000,
): Promise<{ events: number; head: Position }> {
  await reads.reset(projection.name, [projection.collection.name]);
  const head = (await store.headPosition()) ?? 0n;
  let after: Position = 0n;
  let count = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize, filter: { eventTypes: projection.eventTypes } });
    const inRange = page.filter((e) => e.position <= head);
    if (inRange.length > 0) {
      after = inRange.at(-1)!.position;
      count += inRange.length;
      const changes = await changesOf(reads, projection, inRange);
      await reads.commit([{ projection: projection.name, position: after, changes }]);
      onProgress?.({ events: count, position: after, head });
    }
    if (page.length < pageSize || inRange.length < page.length) break;
  }
  await reads.commit([{ projection: projection.name, position: head, changes: [] }]);
  return { events: count, head };
}
