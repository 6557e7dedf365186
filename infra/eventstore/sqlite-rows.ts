import type { RecordedEvent } from './port.js';

/** The embedded event log's tables: the events in global order, and the reactions' checkpoints. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY AUTOINCREMENT,
  id        TEXT    NOT NULL,
  stream_id TEXT    NOT NULL,
  revision  INTEGER NOT NULL,
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL,
  metadata  TEXT    NOT NULL,
  created   INTEGER NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE INDEX IF NOT EXISTS events_by_id ON events (id);
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
-- One saga's events (readCorrelation). Its entries end in the rowid, which is
-- the position, so a lookup comes back in global order without a sort. A file
-- made before this index gets it on its next open (one pass over the log).
CREATE INDEX IF NOT EXISTS events_by_correlation ON events (json_extract(metadata, '$.correlationId'));
CREATE TABLE IF NOT EXISTS checkpoints (
  subscriber TEXT PRIMARY KEY,
  position   INTEGER NOT NULL
);
`;

/** A row of the events table as better-sqlite3 returns it. */
export interface EventRow {
  position: number | bigint;
  id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  created: number;
}

export function toRecorded(row: EventRow): RecordedEvent {
  return tupleToRecorded([row.position, row.id, row.stream_id, row.revision, row.type, row.data, row.metadata, row.created]);
}

/**
 * The same columns read as an array (better-sqlite3's raw mode), for the long
 * reads (catch-up pages, the tail): building an object per row cost a third
 * of reading it.
 */
export const EVENT_COLUMNS = 'position, id, stream_id, revision, type, data, metadata, created';

export type EventTuple = [
  position: number | bigint,
  id: string,
  streamId: string,
  revision: number,
  type: string,
  data: string,
  metadata: string,
  created: number,
];

export function tupleToRecorded([position, id, streamId, revision, type, data, metadata, created]: EventTuple): RecordedEvent {
  return {
    id,
    type,
    data: JSON.parse(data) as unknown,
    metadata: JSON.parse(metadata) as RecordedEvent['metadata'],
    streamId,
    revision,
    position: BigInt(position),
    created: new Date(created),
  };
}
