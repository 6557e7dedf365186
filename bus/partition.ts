import type { Position } from '../infra/eventstore/port.js';

/**
 * Which share of a service's work one instance does. Instance `index` of
 * `count` owns the streams whose stable hash falls on it: it alone issues the
 * commands of the service's reactions to those streams and fires the timers
 * those streams set. One stream's commands therefore come from one instance,
 * in the order of the log, exactly as with a single instance.
 */
export interface Partition {
  /** 1-based: instance 1 of 2, 2 of 2. */
  index: number;
  count: number;
}

/** The most instances of one service (SERVICE_INSTANCES): also how far back a new layout looks for an earlier one's checkpoints. */
export const MAX_PARTITIONS = 16;

export const WHOLE: Partition = { index: 1, count: 1 };

export const formatPartition = ({ index, count }: Partition) => `${index}/${count}`;

/**
 * FNV-1a over the stream id's UTF-16 code units: stable across processes,
 * machines and Node versions (unlike anything seeded), and cheap enough to run
 * for every target of every event.
 */
export function streamHash(streamId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < streamId.length; i++) {
    hash ^= streamId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function owns(partition: Partition, streamId: string): boolean {
  return partition.count === 1 || streamHash(streamId) % partition.count === partition.index - 1;
}

/**
 * What a subscriber or model of one partition is filed under. The whole (1/1)
 * keeps the plain name, so a single instance reads the checkpoints it always had.
 */
export function partitioned(name: string, partition: Partition): string {
  return partition.count === 1 ? name : `${name}.p${partition.index}of${partition.count}`;
}

/**
 * Where the subscriber `name` of this partition starts: its own checkpoint,
 * or, the first time a layout runs, the lowest checkpoint any other layout of
 * the same subscriber left (1 to MAX_PARTITIONS instances), or the start.
 * Every layout's checkpoint only covers what that layout handled, so the
 * lowest one skips nothing; what it replays, the derived event ids and the
 * deciders turn into no new events.
 */
export async function startOf(read: (subscriber: string) => Promise<Position | null>, name: string, partition: Partition): Promise<Position | null> {
  const own = await read(partitioned(name, partition));
  if (own !== null) return own;
  const others: string[] = [];
  for (let count = 1; count <= MAX_PARTITIONS; count++) {
    if (count === partition.count) continue;
    for (let index = 1; index <= count; index++) others.push(partitioned(name, { index, count }));
  }
  let lowest: Position | null = null;
  for (const position of await Promise.all(others.map(read))) {
    if (position !== null && (lowest === null || position < lowest)) lowest = position;
  }
  return lowest;
}
