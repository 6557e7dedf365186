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
