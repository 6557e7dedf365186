import { InvalidArgumentError } from 'commander';
import type { Position, SubscriptionStart } from '../eventstore/port.js';

/** Commander parsers: a bad value is a usage error with the option's name, not a stack trace. */

export function count(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return value;
}

export function revision(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError('expected a revision: a whole number from 0');
  return value;
}

export function position(raw: string): Position {
  if (!/^\d+$/.test(raw)) throw new InvalidArgumentError('expected a position: a whole number');
  return BigInt(raw);
}

export function time(raw: string): Date {
  const value = new Date(raw);
  if (Number.isNaN(value.getTime())) throw new InvalidArgumentError('expected an ISO-8601 time, e.g. 2030-01-01T10:00:00Z');
  return value;
}

/** `start`, `end` or a position; a position is inclusive: `--from 42` shows event 42 first. */
export type From = 'start' | 'end' | { at: Position };

export function from(raw: string): From {
  if (raw === 'start' || raw === 'end') return raw;
  if (/^\d+$/.test(raw)) return { at: BigInt(raw) };
  throw new InvalidArgumentError('expected start, end or a position');
}

export function subscriptionStart(from: Exclude<From, 'end'>): SubscriptionStart {
  if (from === 'start' || from.at <= 0n) return 'start';
  return { after: from.at - 1n };
}

export function milliseconds(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError('expected milliseconds: a whole number from 0');
  return value;
}
