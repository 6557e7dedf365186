import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  StreamDeletedError as EsdbStreamDeletedError,
  StreamNotFoundError as EsdbStreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AppendExpectedRevision,
  type Filter,
  type JSONType,
  type Position as EsdbPosition,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { StreamNotFoundError, WrongExpectedVersionError } from './errors.js';
import type { EventData, EventFilter, ExpectedRevision, Metadata, Position, RecordedEvent } from './port.js';

/** Translation between the event store port and the EventStoreDB client: positions, filters, revisions, errors, events. */

/**
 * EventStoreDB addresses an event in $all by a pair (commit, prepare) and
 * orders $all by commit, then prepare. The commit position alone does not
 * identify an event: every event committed by one transaction shares the
 * transaction's commit position (always so for explicit transactions, and the
 * server promises nothing else for a multi-event append), and only the prepare
 * position tells them apart. Both are unsigned 64-bit, so the pair packs into
 * one bigint whose numeric order is exactly $all's order.
 */
export const PREPARE_MASK = (1n << 64n) - 1n;

export const packPosition = ({ commit, prepare }: EsdbPosition): Position => (commit << 64n) | prepare;

export const unpackPosition = (position: Position): EsdbPosition => ({
  commit: position >> 64n,
  prepare: position & PREPARE_MASK,
});

/**
 * EventStoreDB's event-type filters match prefixes or a regex; our filter
 * names exact types, so they become an anchored alternation of escaped names
 * (the server's .NET regex escapes like JavaScript's).
 */
export const eventTypeRegex = (types: readonly string[]): string =>
  `^(${types.map((type) => type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`;

/** Types starting with `$` are the server's own (and our checkpoints): never application events. */
export const isSystemType = (type: string) => type.startsWith('$');

/** An empty list constrains nothing, as in the embedded store. */
export function normalizeFilter(filter: EventFilter | undefined): EventFilter | undefined {
  const streamPrefixes = filter?.streamPrefixes?.length ? filter.streamPrefixes : undefined;
  const eventTypes = filter?.eventTypes?.length ? filter.eventTypes : undefined;
  if (!streamPrefixes && !eventTypes) return undefined;
  return { streamPrefixes, eventTypes };
}

/**
 * The server filters on stream name or on event type, not both: event types
 * go to the server (reactions subscribe by type, and that is the narrow one),
 * stream prefixes are checked here when both are given. System events are
 * always left out on the server, except under a stream-name filter, where our
 * own check drops them.
 */
export function serverFilter(
  filter: EventFilter | undefined,
  checkpoints: { checkpointInterval: number; checkpointReached: NonNullable<Filter['checkpointReached']> },
): Filter {
  if (filter?.eventTypes) return eventTypeFilter({ regex: eventTypeRegex(filter.eventTypes), ...checkpoints });
  if (filter?.streamPrefixes) return streamNameFilter({ prefixes: [...filter.streamPrefixes], ...checkpoints });
  return excludeSystemEvents(checkpoints);
}

export function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (!Number.isInteger(expected) || expected < -1) throw new RangeError(`expected revision ${expected} is not valid`);
      return expected === -1 ? NO_STREAM : BigInt(expected);
  }
}

/** The client's errors become the port's, so callers never see which engine runs. */
export function translate(error: unknown, streamId: string, expected: ExpectedRevision = 'any'): unknown {
  if (error instanceof EsdbWrongExpectedVersionError) {
    const actual = error.actualVersion === NO_STREAM ? 'no_stream' : Number(error.actualVersion);
    return new WrongExpectedVersionError(streamId, expected, actual);
  }
  // A deleted stream has no events to read, which is all the port can say about it.
  if (error instanceof EsdbStreamNotFoundError || error instanceof EsdbStreamDeletedError) {
    return new StreamNotFoundError(streamId);
  }
  return error;
}

export const isMetadata = (value: unknown): value is Metadata =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/**
 * EventStoreDB's own names for correlation and causation. Its
 * `$by_correlation_id` system projection links every event carrying
 * `$correlationId` into `$bc-<correlationId>`, so each saga gets a stream of
 * its own there; the rest of the code keeps the port's names.
 */
const SERVER_NAMES = { correlationId: '$correlationId', causationId: '$causationId' } as const;

export function toServerMetadata(metadata: Metadata | undefined): Metadata {
  if (!metadata) return {};
  const { correlationId, causationId, ...rest } = metadata;
  return {
    ...(correlationId === undefined ? {} : { [SERVER_NAMES.correlationId]: correlationId }),
    ...(causationId === undefined ? {} : { [SERVER_NAMES.causationId]: causationId }),
    ...rest,
  };
}

/** Events written before the convention carry our names already; they read the same. */
export function fromServerMetadata(raw: unknown): Metadata {
  if (!isMetadata(raw)) return {};
  const { [SERVER_NAMES.correlationId]: correlationId, [SERVER_NAMES.causationId]: causationId, ...rest } = raw;
  return {
    ...(typeof correlationId === 'string' ? { correlationId } : {}),
    ...(typeof causationId === 'string' ? { causationId } : {}),
    ...rest,
  };
}

export function toRecorded(event: EsdbRecordedEvent, position: Position): RecordedEvent {
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: fromServerMetadata(event.metadata),
    streamId: event.streamId,
    revision: Number(event.revision),
    position,
    created: event.created,
  };
}

/** Servers before 22.6 send no position on stream reads; only appends' read-back relies on it. */
export const positionOf = (event: EsdbRecordedEvent): Position => (event.position ? packPosition(event.position) : 0n);

export function toEsdbEvent(event: EventData) {
  return jsonEvent({
    // Our id, always: EventStoreDB recognises a re-append of the same ids as already written.
    id: event.id ?? randomUUID(),
    type: event.type,
    // The client types data as an object, array or string; it serialises any JSON value.
    data: (event.data ?? null) as JSONType,
    metadata: toServerMetadata(event.metadata),
  });
}

export function checkExpected(streamId: string, expected: ExpectedRevision, current: number): void {
  const holds =
    expected === 'any' ||
    (expected === 'no_stream' && current === -1) ||
    (expected === 'stream_exists' && current !== -1) ||
    expected === current;
  if (!holds) throw new WrongExpectedVersionError(streamId, expected, current === -1 ? 'no_stream' : current);
}

export function parseCheckpoint(subscriber: string, data: unknown): Position | null {
  const position = typeof data === 'object' && data !== null ? (data as { position?: unknown }).position : undefined;
  if (position === null) return null;
  if (typeof position === 'string' && /^\d+$/.test(position)) return BigInt(position);
  throw new Error(`checkpoint of ${subscriber} is malformed: ${JSON.stringify(data)}`);
}
