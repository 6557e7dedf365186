import type { EventStore, Position, RecordedEvent } from '../eventstore/port.js';
import { isStreamNotFound } from '../eventstore/errors.js';
import type { ReadStore } from '../readstore/port.js';
import { lagOf, type LagUnit } from './lag.js';
import type { Config } from '../config.js';
import type { Clock } from '../clock.js';
import { serviceDefinitions, SERVICE_NAMES } from '../services.js';
import { parkedStream, type EventParked, type ParkedEventRedriven } from '../../bus/parking.js';
import { reactionSubscriber } from '../../bus/reactions.js';
import { partitioned } from '../../bus/partition.js';
import { allProjections } from '../../projections/index.js';

/** Every checkpointed reader of $all in the system, and where its checkpoint lives. */
export interface Subscriber {
  name: string;
  kind: 'read-model' | 'reactions' | 'timers';
  /** Reaction checkpoints commit with the events in the event store; the rest with their documents. */
  store: 'events' | 'reads';
}

export interface SubscriberPosition {
  name: string;
  kind: Subscriber['kind'];
  /** The last position applied, as a string (positions are up to 128 bits); null before the first checkpoint. */
  position: string | null;
  /** The head of $all it was measured against, as a string. */
  head: string;
  /** Whether $all holds anything after `position`: the exact answer on every store. */
  behind: boolean;
  /** How far behind, in `lagUnit` (see lagOf); the whole log when it never ran. */
  lag: number;
  lagUnit: LagUnit;
}

/**
 * The subscribers, derived from the services as data, so a service that gains
 * reactions or timers shows up here without a second list. (The sender is
 * never called: definitions are only read for their names.)
 */
export function subscribers(deps: { config: Config; store: EventStore; reads: ReadStore; clock: Clock }): Subscriber[] {
  const definitions = serviceDefinitions({ ...deps, send: () => Promise.reject(new Error('health never sends')) });
  const list: Subscriber[] = allProjections.map((p) => ({ name: p.name, kind: 'read-model', store: 'reads' }));
  // Every instance of the layout (SERVICE_INSTANCES) has its own reaction checkpoint and timer model.
  const instances = Array.from({ length: deps.config.partition.count }, (_, i) => ({ index: i + 1, count: deps.config.partition.count }));
  for (const name of SERVICE_NAMES) {
    const definition = definitions[name];
    for (const partition of instances) {
      if (definition.reactions.length > 0) list.push({ name: partitioned(reactionSubscriber(name), partition), kind: 'reactions', store: 'events' });
      if (definition.timers.length > 0) list.push({ name: partitioned(`timers-${name}`, partition), kind: 'timers', store: 'reads' });
    }
  }
  return list;
}

/**
 * Where each subscriber stands. Checkpoints are the truth across processes,
 * but a subscriber that saw only other events saves its checkpoint lazily (a
 * second later); `live` gives the in-memory position of those this process
 * runs, which is never behind the saved one.
 */
export async function positions(
  store: Pick<EventStore, 'kind' | 'headPosition' | 'readCheckpoint'>,
  reads: Pick<ReadStore, 'checkpoint'>,
  list: readonly Subscriber[],
  live: (name: string) => Position | null = () => null,
): Promise<SubscriberPosition[]> {
  const head = (await store.headPosition()) ?? 0n;
  return Promise.all(
    list.map(async ({ name, kind, store: where }) => {
      const saved: Position | null = where === 'events' ? await store.readCheckpoint(name) : await reads.checkpoint(name);
      const running = live(name);
      const position = running !== null && (saved === null || running > saved) ? running : saved;
      const { behind, lag, unit } = lagOf(store.kind, head, position);
      return { name, kind, position: position === null ? null : position.toString(), head: head.toString(), behind, lag, lagUnit: unit };
    }),
  );
}

/** Events parked by the reactions and not since redriven successfully (the CLI's `parked` list). */
export async function parkedCount(store: EventStore): Promise<number> {
  let open = 0;
  for (const service of SERVICE_NAMES) {
    let events: RecordedEvent[];
    try {
      events = await store.readStream(parkedStream(reactionSubscriber(service)));
    } catch (error) {
      if (isStreamNotFound(error)) continue;
      throw error;
    }
    const parked = new Set<string>();
    for (const event of events) {
      const data = event.data as EventParked['data'] | ParkedEventRedriven['data'];
      const key = `${data.handler}\u0000${data.eventId}`;
      if (event.type === 'EventParked') parked.add(key);
      else if (event.type === 'ParkedEventRedriven' && (data as ParkedEventRedriven['data']).outcome === 'handled') parked.delete(key);
    }
    open += parked.size;
  }
  return open;
}
