import type { RecordedEvent } from '../../infra/eventstore/port.js';
import type { Doc, ReadStore } from '../../infra/readstore/port.js';
import { changesOf, project, type AnyProjection, type Projection } from '../../bus/projection.js';
import { schedules } from '../../projections/schedules.js';
import { recorded } from '../support/recorded.js';

/**
 * Projections and event sequences for the read store contract's replay tests:
 * the real schedules projection (counters, the model that double-counted on
 * MongoDB) and a tally that also deletes, so tombstones take part.
 */

/** A projection under a fresh collection name, so every test has its own documents and checkpoint. */
export const renamed = (projection: AnyProjection, collection: string): AnyProjection => ({
  ...projection,
  name: `p-${collection}`,
  collection: { ...projection.collection, name: collection },
});

export const countingSchedules = (collection: string) => renamed(schedules, collection);

interface Tally extends Doc {
  total: number;
  adds: number;
}

/** Counts what is added under a key; Cleared deletes the document, and a later Added starts it again. */
const tally: Projection<Tally> = {
  name: 'tallies',
  collection: { name: 'tallies' },
  eventTypes: ['Added', 'Cleared'],
  ids: (event) => [(event.data as { key: string }).key],
  evolve(doc, event, id) {
    if (event.type === 'Cleared') return null;
    const by = (event.data as { by: number }).by;
    return { id, total: (doc?.total ?? 0) + by, adds: (doc?.adds ?? 0) + 1 };
  },
};

export const tallies = (collection: string): AnyProjection => renamed(tally, collection);

export type ScheduleStep = 'ScheduleOpened' | 'SeatHeld' | 'SeatHoldExpired' | 'SeatReserved' | 'SeatReleased' | 'ScheduleSoldOut';

const AT = '2030-01-01T10:00:00.000Z';

function scheduleData(type: ScheduleStep, scheduleId: string): Record<string, unknown> {
  const ref = { paymentId: `p-${scheduleId}`, reservationId: `r-${scheduleId}`, userId: 'u1', concertId: 'c1', scheduleId, seatNo: 1, amount: 100 };
  switch (type) {
    case 'ScheduleOpened':
      return { concertId: 'c1', title: 'Night', scheduleId, startsAt: '2030-02-01T19:00:00.000Z', bookingOpensAt: AT, seatCount: 50, price: 100 };
    case 'SeatHeld':
      return { reservationId: `r-${scheduleId}`, scheduleId, seatNo: 1, userId: 'u1', price: 100, heldAt: AT, expiresAt: AT };
    case 'SeatHoldExpired':
      return { reservationId: `r-${scheduleId}`, scheduleId, seatNo: 1, userId: 'u1', expiredAt: AT };
    case 'SeatReserved':
      return { ...ref, reservedAt: AT };
    case 'SeatReleased':
      return { ...ref, reason: 'HOLD_EXPIRED', releasedAt: AT };
    case 'ScheduleSoldOut':
      return { scheduleId, concertId: 'c1', title: 'Night', bookingOpenedAt: AT, soldOutAt: AT, durationMs: 1 };
  }
}

/** Schedule events at the given positions, in order. */
export function scheduleEvents(steps: ReadonlyArray<readonly [ScheduleStep, string]>, positions: readonly bigint[]): RecordedEvent[] {
  return steps.map(([type, scheduleId], i) => recorded(`schedule-${scheduleId}`, { type, data: scheduleData(type, scheduleId) }, new Date(AT), positions[i]!));
}

/** Tally events at the given positions, in order: '+3 a' adds 3 under a, 'x a' clears a. */
export function tallyEvents(steps: readonly string[], positions: readonly bigint[]): RecordedEvent[] {
  return steps.map((step, i) => {
    const [op, key] = step.split(' ') as [string, string];
    const event = op === 'x' ? { type: 'Cleared', data: { key } } : { type: 'Added', data: { key, by: Number(op) } };
    return recorded(`tally-${key}`, event, new Date(AT), positions[i]!);
  });
}

/** Increasing positions from `from`, `gap` apart (gaps, as EventStoreDB's positions have). */
export const positionsFrom = (from: bigint, count: number, gap = 7n): bigint[] => Array.from({ length: count }, (_, i) => from + BigInt(i) * gap);

/** Splits events at the given cut indexes (each in 1..length-1; duplicates and order do not matter). */
export function batches<T>(items: readonly T[], cuts: readonly number[]): T[][] {
  const at = [...new Set(cuts.filter((cut) => cut > 0 && cut < items.length))].sort((a, b) => a - b);
  const out: T[][] = [];
  let start = 0;
  for (const cut of [...at, items.length]) {
    if (cut > start) out.push(items.slice(start, cut));
    start = cut;
  }
  return out;
}

/** What a projection does with a batch in production: read the stamps it touches, then commit its changes and checkpoint. */
export async function applyBatch(store: ReadStore, projection: AnyProjection, events: readonly RecordedEvent[]): Promise<void> {
  const changes = await changesOf(store, projection, events);
  await store.commit([{ projection: projection.name, position: events.at(-1)!.position, changes }]);
}

/** The documents of one clean pass over `events` from nothing, in id order: the reference a replay must match. */
export function cleanPass(projection: AnyProjection, events: readonly RecordedEvent[]): Doc[] {
  return project(projection, events, new Map())
    .flatMap((change) => (change.op === 'upsert' ? [change.doc] : []))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The stored documents of a projection, in id order (tombstones are not documents). */
export async function storedDocs(store: ReadStore, projection: AnyProjection): Promise<Doc[]> {
  const docs = await store.collection(projection.collection);
  return docs.find({});
}
