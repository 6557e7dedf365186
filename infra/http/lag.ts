import type { EventStore, Position } from '../eventstore/port.js';

/** What a lag counts: events of $all on SQLite, bytes of the transaction log on EventStoreDB. */
export type LagUnit = 'events' | 'bytes';

export interface Lag {
  /** Whether $all holds anything after the subscriber's position: exact on every store. */
  behind: boolean;
  /** How far behind, in `unit`; 0 when caught up. A measure for people and gauges, exact below 2^53. */
  lag: number;
  unit: LagUnit;
}

/**
 * How far a subscriber at `position` (null: it never ran) is behind `head`.
 * Positions are opaque: only SQLite's are consecutive numbers whose
 * difference counts events. EventStoreDB packs its commit position into the
 * high 64 bits and the prepare position into the low ones (see
 * esdb-mapping.ts), so a difference of packed positions counts nothing; the
 * difference of commit positions is the bytes of transaction log between the
 * two, and is 0 for a subscriber behind only within one transaction, which
 * `behind` still tells.
 */
export function lagOf(kind: EventStore['kind'], head: Position, position: Position | null): Lag {
  const from = position ?? 0n;
  const behind = head > from;
  if (kind === 'sqlite') return { behind, lag: behind ? Number(head - from) : 0, unit: 'events' };
  const bytes = (head >> 64n) - (from >> 64n);
  return { behind, lag: behind && bytes > 0n ? Number(bytes) : 0, unit: 'bytes' };
}
