import type { Position } from '../eventstore/port.js';

/**
 * Positions are opaque bigints of up to 128 bits (EventStoreDB packs commit
 * and prepare positions into one), wider than a SQLite INTEGER, a BSON Long
 * or a JS number. A zero-padded decimal string of fixed width compares as
 * strings exactly as the numbers do, so every read store orders it natively.
 */
const POSITION_DIGITS = 40;

export function positionKey(position: Position): string {
  if (position < 0n) throw new RangeError(`a position is never negative: ${position}`);
  const digits = position.toString();
  if (digits.length > POSITION_DIGITS) throw new RangeError(`position ${digits} is wider than ${POSITION_DIGITS} digits`);
  return digits.padStart(POSITION_DIGITS, '0');
}

export const positionFromKey = (key: string): Position => BigInt(key);

/**
 * Where a document sits in a list that grows at its end: the position of the
 * event that created it, then its id for documents one event created together.
 * It never changes once written, so a cursor over it skips and repeats nothing
 * however many documents arrive while a client pages through.
 */
export const listKey = (created: Position, id: string): string => `${positionKey(created)}:${id}`;

/** A list key as `listKey` writes it: 40 digits, a colon, an id. */
export const LIST_KEY = /^[0-9]{40}:.{1,256}$/s;
