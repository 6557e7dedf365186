import type { EventStore } from '../infra/eventstore/port.js';

interface Entry {
  aggregate: object;
  state: unknown;
  revision: number;
}

/**
 * The last known state of recently used streams, so that a command reads only
 * the events appended since instead of the whole stream. Safe across
 * processes: whatever others appended is read and folded on top. States are
 * only ever replaced, never changed in place, by the bus.
 */
export class StateCache {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly max = 10_000) {}

  get(streamId: string, aggregate: object): { state: unknown; revision: number } | undefined {
    const entry = this.entries.get(streamId);
    if (!entry || entry.aggregate !== aggregate) return undefined;
    // Re-inserting keeps the Map in least-recently-used order.
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry;
  }

  set(streamId: string, aggregate: object, state: unknown, revision: number): void {
    const known = this.entries.get(streamId);
    if (known && known.aggregate === aggregate && known.revision > revision) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, { aggregate, state, revision });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }
}

const caches = new WeakMap<EventStore, StateCache>();

/** One cache per store: a test's fresh store never sees another's states. */
export function stateCacheOf(store: EventStore): StateCache {
  let cache = caches.get(store);
  if (!cache) {
    cache = new StateCache();
    caches.set(store, cache);
  }
  return cache;
}
