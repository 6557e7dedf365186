import type { AppendResult, EventStore, Position } from '../eventstore/port.js';
import { isStreamNotFound } from '../eventstore/errors.js';
import type { Stores } from '../stores.js';
import type { ServiceDefinition } from '../../bus/service.js';
import { runReaction } from '../../bus/reactions.js';
import { allEvents } from '../inspect/all-events.js';
import { projectionCatalogue } from './catalogue.js';
import { compare, projectInMemory } from './verified-rebuild.js';

/**
 * Invariant 6 without touching anything: every read model projected from
 * position 0 in memory must equal the live one (brought to the same head),
 * and every reaction run again on every event must append nothing new. The
 * reactions run through the bus's own runReaction against a store that reads
 * for real but only counts what it is asked to append.
 */

export interface ReplayFindings {
  projectionsDiffering: string[];
  projections: number;
  reactionAppends: number;
  events: number;
}

/** Reads pass through; an append is counted (the events whose ids the stream lacks) and not written. */
function countingStore(store: EventStore, count: (fresh: number) => void): EventStore {
  return {
    kind: store.kind,
    async append(streamId, events, expectedRevision): Promise<AppendResult> {
      let known = new Set<string>();
      try {
        known = new Set((await store.readStream(streamId)).map((e) => e.id));
      } catch (error) {
        if (!isStreamNotFound(error)) throw error;
      }
      count(events.filter((e) => e.id === undefined || !known.has(e.id)).length);
      const revision = typeof expectedRevision === 'number' ? expectedRevision : -1;
      return { nextExpectedRevision: revision + events.length, position: (await store.headPosition()) ?? 0n };
    },
    readCheckpoint: (subscriber) => store.readCheckpoint(subscriber),
    writeCheckpoint: async () => {},
    resetCheckpoint: async () => {},
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    readCorrelation: (correlationId) => store.readCorrelation(correlationId),
    subscribe: (options) => store.subscribe(options),
    follow: (options) => store.follow(options),
    headPosition: () => store.headPosition(),
    ping: () => store.ping(),
    close: async () => {},
  };
}

async function differingProjections(stores: Stores, services: Record<string, ServiceDefinition>, head: Position, instances: number) {
  const projections = projectionCatalogue(services, instances);
  const differing: string[] = [];
  for (const projection of projections) {
    const live = await (await stores.reads.collection(projection.collection)).find();
    const checkpoint = await stores.reads.checkpoint(projection.name);
    const caughtUp = await projectInMemory(stores, projection, live, checkpoint, head);
    const fromScratch = await projectInMemory(stores, projection, [], null, head);
    if (compare(fromScratch, [...caughtUp.values()]).length > 0) differing.push(projection.name);
  }
  return { differing, count: projections.length };
}

/** `instances`: how many instances each service runs as (SERVICE_INSTANCES), each with its own timer model. */
export async function replayCheck(stores: Stores, services: Record<string, ServiceDefinition>, instances = 1): Promise<ReplayFindings> {
  const head = (await stores.events.headPosition()) ?? 0n;
  const { differing, count } = await differingProjections(stores, services, head, instances);
  let appends = 0;
  let events = 0;
  const dry = countingStore(stores.events, (fresh) => (appends += fresh));
  const reactions = Object.values(services).flatMap((service) => service.reactions);
  for await (const event of allEvents(stores.events)) {
    if (event.position > head) break;
    events++;
    for (const reaction of reactions) {
      if (!reaction.eventTypes.includes(event.type)) continue;
      let targets;
      try {
        targets = reaction.react(event);
      } catch {
        // An event its reaction cannot read is parked, and listed by `parked`; it appends nothing either way.
        continue;
      }
      for (const [index, target] of targets.entries()) await runReaction(dry, reaction, event, { ...target, index });
    }
  }
  return { projectionsDiffering: differing, projections: count, reactionAppends: appends, events };
}
