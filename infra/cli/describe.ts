import type { RecordedEvent } from '../eventstore/port.js';
import type { Colors } from './output.js';

/**
 * How one event reads on a line: position, stream@revision, type, time and
 * the data's scalar fields, so that a saga reads top to bottom in a terminal.
 */

const SUMMARY_WIDTH = 160;

function scalar(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string') return /[\s=]/.test(value) ? JSON.stringify(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** `key=value` for the data's scalar fields; nested objects shrink to `{…}` so one line stays one event. */
export function summarize(data: unknown, width = SUMMARY_WIDTH, omit: readonly string[] = []): string {
  if (data === null || typeof data !== 'object') return scalar(data) ?? '';
  const parts = Object.entries(data as Record<string, unknown>).filter(([key]) => !omit.includes(key)).map(([key, value]) => `${key}=${scalar(value) ?? (Array.isArray(value) ? `[${value.length}]` : '{…}')}`);
  const text = parts.join(' ');
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** Outcomes in green, failures and their compensations in red or yellow: the shape of a saga at a glance. */
export function typeColor(type: string, color: Colors): (text: string) => string {
  if (/Failed|Rejected|DeadLettered|Parked/.test(type)) return color.red;
  if (/Released|Refunded|Voided|Expired|Redriven/.test(type)) return color.yellow;
  if (/Completed|Succeeded|Reserved|Debited|SoldOut/.test(type)) return color.green;
  return color.bold;
}

export const streamAt = (event: RecordedEvent) => `${event.streamId}@${event.revision}`;

/** With `columns` (a terminal's width) the data is cut so that each event stays on one screen line. */
export function eventLine(event: RecordedEvent, color: Colors, columns?: number): string {
  const position = String(event.position).padStart(6);
  const created = event.created.toISOString();
  const prefix = [position, streamAt(event), event.type, created].join('  ').length + 2;
  const width = columns === undefined ? SUMMARY_WIDTH : Math.max(20, columns - prefix);
  return [
    color.dim(position),
    color.cyan(streamAt(event)),
    typeColor(event.type, color)(event.type),
    color.dim(created),
    summarize(event.data, width),
  ].join('  ');
}

export { eventRecord } from '../inspect/event-record.js';
