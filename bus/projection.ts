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
  const relevant = relevantTo(projection, events);
  return evolveAll(projection, relevant, relevant.map((event) => projection.ids(event)), stored);
}

/** Each projection's event types as a set, looked up for every event of a catch-up. */
const typeSets = new WeakMap<AnyProjection, ReadonlySet<string>>();

function relevantTo(projection: AnyProjection, events: readonly RecordedEvent[]): RecordedEvent[] {
  let types = typeSets.get(projection);
  if (!types) typeSets.set(projection, (types = new Set(projection.eventTypes)));
  return events.filter((event) => types.has(event.type));
}

/** `project`, given the ids each event touches. */
function evolveAll(projection: AnyProjection, events: readonly RecordedEvent[], idsOf: readonly string[][], stored: ReadonlyMap<string, Stamped>): DocChange[] {
  const working = new Map<string, { doc: Doc | null; position: Position; existed: boolean }>();
  for (const [i, event] of events.entries()) {
    for (const id of idsOf[i]!) {
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

/**
 * Reads the stamped documents a batch touches, in one look-up, and returns
 * the batch's changes. The collection is declared by the caller, once (the
 * projector at its start, a rebuild when it stages it), not on every batch.
 */
export async function changesOf(reads: ReadStore, projection: AnyProjection, events: readonly RecordedEvent[]): Promise<DocChange[]> {
  const relevant = relevantTo(projection, events);
  if (relevant.length === 0) return [];
  const idsOf = relevant.map((event) => projection.ids(event));
  const stored = await reads.stamped(projection.collection.name, idsOf.flat());
  return evolveAll(projection, relevant, idsOf, stored);
}

export interface RebuildProgress {
  events: number;
  position: Position;
  head: Position;
}

/** How often a rebuild catches up again when the live model keeps moving past it before the swap. */
const SWAP_ATTEMPTS = 20;

/**
 * Rebuilds a projection from position 0 side by side: the new model is built
 * in a collection of its own while readers keep the live one, caught up to
 * the live checkpoint, and swapped in for every reader in one step; the old
 * collection is dropped after. No reader ever sees a half-built model.
 */
export async function rebuild(
  store: EventStore,
  reads: ReadStore,
  projection: AnyProjection,
  onProgress?: (progress: RebuildProgress) => void,
  pageSize = 2_000,
): Promise<{ events: number; head: Position }> {
  const physical = await reads.stage(projection.collection);
  // The same projection writing into the staged collection, with a checkpoint of its own so the live one stays put.
  const staged: AnyProjection = { ...projection, name: `${projection.name}@rebuild`, collection: { ...projection.collection, name: physical } };
  let position: Position = 0n;
  let count = 0;
  let head = (await store.headPosition()) ?? 0n;
  const catchUp = async (to: Position) => {
    for (;;) {
      const page = await store.readAll({ after: position, maxCount: pageSize, filter: { eventTypes: projection.eventTypes } });
      const inRange = page.filter((e) => e.position <= to);
      if (inRange.length > 0) {
        count += inRange.length;
        const changes = await changesOf(reads, staged, inRange);
        await reads.commit([{ projection: staged.name, position: inRange.at(-1)!.position, changes }]);
        position = inRange.at(-1)!.position;
        onProgress?.({ events: count, position, head });
      }
      if (page.length < pageSize || inRange.length < page.length) break;
    }
    // Nothing of the projection's types up to `to` is left: the model is at `to`.
    if (to > position) position = to;
  };
  await catchUp(head);
  for (let attempt = 1; ; attempt++) {
    const swapped = await reads.swap({ projection: projection.name, model: projection.collection.name, physical, position });
    if (swapped.switched) {
      // Where the store cannot check and swap in one step (MongoDB), a live commit may have slipped in between.
      const live = await reads.checkpoint(projection.name);
      if (live !== null && live > position) await catchUp(live);
      await reads.reset(staged.name, []);
      if (swapped.previous !== physical) await reads.drop(swapped.previous);
      return { events: count, head: position };
    }
    if (attempt >= SWAP_ATTEMPTS) {
      await reads.drop(physical);
      throw new Error(`${projection.name}: the live model kept moving past the rebuild; ${SWAP_ATTEMPTS} swaps refused`);
    }
    head = swapped.checkpoint;
    await catchUp(head);
  }
}
