import type { EventStore, Position, RecordedEvent } from '../infra/eventstore/port.js';
import type { CollectionSpec, Doc, DocChange, ReadStore } from '../infra/readstore/port.js';
import { silentLog, type Log } from '../infra/log.js';
import { Consumer } from './consumer.js';

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
 * Applies a batch of events to a projection: documents are read once, evolved
 * in memory, and written with the checkpoint in one commit.
 */
export async function applyBatch(reads: ReadStore, projection: AnyProjection, events: readonly RecordedEvent[], upTo: Position): Promise<void> {
  const p = projection;
  const collection = await reads.collection(p.collection);
  const current = new Map<string, Doc | null>();
  for (const event of events) {
    if (!p.eventTypes.includes(event.type)) continue;
    for (const id of p.ids(event)) {
      if (!current.has(id)) current.set(id, await collection.get(id));
      current.set(id, p.evolve(current.get(id) ?? null, event, id));
    }
  }
  const changes: DocChange[] = [...current].map(([id, doc]) =>
    doc ? { collection: p.collection.name, op: 'upsert', doc } : { collection: p.collection.name, op: 'delete', id },
  );
  await reads.commit(p.name, upTo, changes);
}

export function projectionRunner(options: { store: EventStore; reads: ReadStore; projection: AnyProjection; log?: Log }): Consumer {
  const { store, reads, projection } = options;
  const log = options.log ?? silentLog;
  return new Consumer({
    name: projection.name,
    store,
    filter: { eventTypes: projection.eventTypes },
    checkpoints: {
      read: () => reads.checkpoint(projection.name),
      write: (position) => reads.commit(projection.name, position, []),
    },
    handleBatch: async (events, upTo) => {
      await applyBatch(reads, projection, events, upTo);
      return true;
    },
    onError: (error) => log.error({ projection: projection.name, err: error }, 'projection failed; resubscribing'),
  });
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
      await applyBatch(reads, projection, inRange, after);
      onProgress?.({ events: count, position: after, head });
    }
    if (page.length < pageSize || inRange.length < page.length) break;
  }
  await reads.commit(projection.name, head, []);
  return { events: count, head };
}
