import { NO_STREAM, WrongExpectedVersionError as EsdbWrongExpectedVersionError, jsonEvent, type EventStoreDBClient } from '@eventstore/db-client';
import { StreamNotFoundError } from './errors.js';
import { parseCheckpoint } from './esdb-mapping.js';
import type { Position, ReadStreamOptions, RecordedEvent } from './port.js';

/** Checkpoints are events of a type no filter lets through and no $all read returns. */
const CHECKPOINT_TYPE = '$ReactionCheckpoint';
export const checkpointStream = (subscriber: string) => `checkpoint-${subscriber}`;
/** Concurrent writers of one checkpoint retry this often before giving up. */
const ATTEMPTS = 10;

interface Known {
  /** The revision of the newest checkpoint event; -1 before the first. */
  revision: number;
  position: Position | null;
}

type ReadStream = (streamId: string, options: ReadStreamOptions) => Promise<RecordedEvent[]>;

/**
 * Reaction checkpoints on EventStoreDB: one event per write in the
 * subscriber's own stream. The stream keeps only its newest event ($maxCount
 * 1, set once when the stream is made), so a scavenge reclaims the rest.
 *
 * Every write expects the revision it last knew of: a racing writer makes it
 * fail, and only then is the stream read again (the lower of two racing
 * positions steps back, so a checkpoint never moves backwards). A single
 * writer, the usual case, appends without reading first.
 */
export class EsdbCheckpoints {
  private readonly known = new Map<string, Known>();

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly readStream: ReadStream,
  ) {}

  /** Always from the server: another process may have moved it. */
  async read(subscriber: string): Promise<Position | null> {
    return (await this.load(subscriber)).position;
  }

  async write(subscriber: string, position: Position): Promise<void> {
    await this.record(subscriber, (current) => current === null || position > current, position);
  }

  /** Forgets a checkpoint by recording "none", so the subscriber starts from the beginning. */
  async reset(subscriber: string): Promise<void> {
    await this.record(subscriber, (current) => current !== null, null);
  }

  private async load(subscriber: string): Promise<Known> {
    let known: Known;
    try {
      const [last] = await this.readStream(checkpointStream(subscriber), { direction: 'backwards', maxCount: 1 });
      known = last ? { position: parseCheckpoint(subscriber, last.data), revision: last.revision } : { position: null, revision: -1 };
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
      known = { position: null, revision: -1 };
    }
    this.known.set(subscriber, known);
    return known;
  }

  private async record(subscriber: string, shouldWrite: (current: Position | null) => boolean, position: Position | null): Promise<void> {
    const stream = checkpointStream(subscriber);
    let current = this.known.get(subscriber) ?? (await this.load(subscriber));
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (!shouldWrite(current.position)) return;
      if (current.revision === -1) await this.client.setStreamMetadata(stream, { maxCount: 1 });
      try {
        const written = await this.client.appendToStream(
          stream,
          jsonEvent({ type: CHECKPOINT_TYPE, data: { position: position === null ? null : position.toString() } }),
          { expectedRevision: current.revision === -1 ? NO_STREAM : BigInt(current.revision) },
        );
        this.known.set(subscriber, { revision: Number(written.nextExpectedRevision), position });
        return;
      } catch (error) {
        if (!(error instanceof EsdbWrongExpectedVersionError)) {
          // The outcome is unknown (a lost answer): the next write reads first.
          this.known.delete(subscriber);
          throw error;
        }
      }
      current = await this.load(subscriber);
    }
    throw new Error(`checkpoint of ${subscriber}: still contended after ${ATTEMPTS} attempts`);
  }
}
