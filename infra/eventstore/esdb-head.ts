import { BACKWARDS, END, type EventStoreDBClient, type ReadPosition } from '@eventstore/db-client';
import { isSystemType, packPosition, unpackPosition } from './esdb-mapping.js';
import type { Position } from './port.js';

/** A record of $all as far as the tail needs it: where it is, and what a filter would say of it. */
export interface TailRecord {
  position: Position;
  streamId: string;
  type: string;
}

/** The first backwards page is small: the answer is nearly always in it. */
const FIRST_PAGE = 32;
const LARGEST_PAGE = 1_024;

/**
 * The end of $all, read backwards from the end a few records at a time
 * (EventStoreDB keeps the end of its log in memory, so this is cheap), instead
 * of a page of a thousand records per question.
 */
export class EsdbHead {
  /** Concurrent callers share one read of the last record. */
  private lastRecord: Promise<Position | null> | undefined;

  constructor(private readonly client: EventStoreDBClient) {}

  /**
   * The last record of $all, the server's own included: a subscription that
   * has caught up has surely passed it, and it is a position the server
   * accepts to start from. One record read.
   */
  last(): Promise<Position | null> {
    this.lastRecord ??= this.page(END, 1)
      .then((records) => records[0]?.position ?? null)
      .finally(() => (this.lastRecord = undefined));
    return this.lastRecord;
  }

  /** The last application event (the port's head): system records are skipped, a small page first. */
  async lastEvent(): Promise<Position | null> {
    let from: ReadPosition = END;
    for (let size = FIRST_PAGE; ; size = Math.min(size * 8, LARGEST_PAGE)) {
      const records = await this.page(from, size);
      const found = records.find((record) => !isSystemType(record.type));
      if (found) return found.position;
      if (records.length < size) return null;
      from = unpackPosition(records.at(-1)!.position);
    }
  }

  /**
   * Every record after `after` up to the end, oldest first; null when there
   * are more than `limit` of them (the caller is too far behind to be told).
   */
  async since(after: Position, limit: number): Promise<TailRecord[] | null> {
    const found: TailRecord[] = [];
    let from: ReadPosition = END;
    for (let size = FIRST_PAGE; found.length <= limit; size = Math.min(size * 8, LARGEST_PAGE)) {
      const records = await this.page(from, size);
      for (const record of records) {
        if (record.position <= after) return found.reverse();
        found.push(record);
      }
      if (records.length < size) return found.reverse();
      from = unpackPosition(records.at(-1)!.position);
    }
    return null;
  }

  /** Up to `size` records strictly before `from` (or from the end), newest first. */
  private async page(from: ReadPosition, size: number): Promise<TailRecord[]> {
    const bound = from === END ? null : packPosition(from as Exclude<ReadPosition, 'start' | 'end'>);
    const records: TailRecord[] = [];
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: size })) {
      const event = resolved.event;
      if (!event) continue;
      const position = packPosition(event.position);
      // Whether a backwards read includes the record at its start is not promised; the bound is exclusive here.
      if (bound !== null && position >= bound) continue;
      records.push({ position, streamId: event.streamId, type: event.type });
    }
    return records;
  }
}
