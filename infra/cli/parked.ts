import { Command } from 'commander';
import type { EventStore, RecordedEvent } from '../eventstore/port.js';
import { isStreamNotFound } from '../eventstore/errors.js';
import type { Stores } from '../stores.js';
import type { Config } from '../config.js';
import { appendToParking, parkedStream, type EventParked, type ParkedEventRedriven } from '../../bus/parking.js';
import { derivedEventId } from '../../bus/ids.js';
import { reactionSubscriber, runReaction } from '../../bus/reactions.js';
import { allEvents } from './all-events.js';
import { CliError, createOutput, type Output } from './output.js';
import { definitions, SERVICE_NAMES, type ServiceName } from './services.js';
import { withStores } from './session.js';

/**
 * Events a service's reaction gave up on (parked in `parked-reactions-<service>`),
 * minus those an operator has since redriven successfully. A redrive runs the
 * named reaction on the original event exactly as the runner would (same
 * derived ids, so a reaction that did get through meanwhile writes nothing),
 * then records the attempt in the same stream.
 */

interface Parked {
  service: ServiceName;
  parkedStreamId: string;
  parked: EventParked['data'];
  /** The last redrive that failed, if any. */
  lastRedrive?: ParkedEventRedriven['data'];
}

const key = (handler: string, eventId: string) => `${handler}\u0000${eventId}`;

async function readParked(store: EventStore): Promise<Parked[]> {
  const open = new Map<string, Parked>();
  for (const service of SERVICE_NAMES) {
    const streamId = parkedStream(reactionSubscriber(service));
    let events: RecordedEvent[];
    try {
      events = await store.readStream(streamId);
    } catch (error) {
      if (isStreamNotFound(error)) continue;
      throw error;
    }
    for (const event of events) {
      if (event.type === 'EventParked') {
        const data = event.data as EventParked['data'];
        open.set(key(data.handler, data.eventId), { service, parkedStreamId: streamId, parked: data });
      } else if (event.type === 'ParkedEventRedriven') {
        const data = event.data as ParkedEventRedriven['data'];
        const entry = open.get(key(data.handler, data.eventId));
        if (!entry) continue;
        if (data.outcome === 'handled') open.delete(key(data.handler, data.eventId));
        else entry.lastRedrive = data;
      }
    }
  }
  return [...open.values()];
}

/**
 * By its stream and revision (one read), by its id in its stream for records
 * parked before the revision was kept, through $all as a last resort (its
 * stream was deleted). Never by "the position before it": on EventStoreDB
 * that is not a position one may read from.
 */
async function originalEvent(store: EventStore, parked: EventParked['data']): Promise<RecordedEvent | undefined> {
  let stream: RecordedEvent[] = [];
  try {
    if (parked.revision !== undefined) {
      const [atRevision] = await store.readStream(parked.streamId, { fromRevision: parked.revision, maxCount: 1 });
      if (atRevision?.id === parked.eventId) return atRevision;
    }
    stream = await store.readStream(parked.streamId);
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
  }
  const inStream = stream.find((event) => event.id === parked.eventId);
  if (inStream) return inStream;
  for await (const event of allEvents(store, { eventTypes: [parked.eventType] })) if (event.id === parked.eventId) return event;
  return undefined;
}

async function list(out: Output): Promise<void> {
  await withStores(async ({ events: store }) => {
    const entries = await readParked(store);
    for (const entry of entries) {
      out.record(entry);
      const { parked } = entry;
      out.line(
        `${out.color.red('PARKED')}  ${out.color.bold(parked.eventId)}  ${out.color.blue(entry.service)}  ${parked.handler}  ` +
          `${out.color.dim(`${parked.eventType} ${parked.streamId} #${parked.position}, ${parked.attempts} attempts, ${parked.parkedAt}`)}`,
      );
      out.line(`      error: ${parked.error}`);
      if (entry.lastRedrive) out.line(`      redrive at ${entry.lastRedrive.redrivenAt} failed too: ${entry.lastRedrive.error ?? ''}`);
    }
    out.line(entries.length === 0 ? out.color.green('no parked events') : `${entries.length} parked; redrive with: parked redrive <eventId> | --all`);
  });
}

async function redriveOne(stores: Stores, config: Config, entry: Parked): Promise<ParkedEventRedriven['data']> {
  const { parked } = entry;
  const redrivenAt = new Date().toISOString();
  const outcome = (error?: unknown): ParkedEventRedriven['data'] => ({
    subscriber: parked.subscriber,
    handler: parked.handler,
    eventId: parked.eventId,
    redrivenAt,
    outcome: error === undefined ? 'handled' : 'failed',
    ...(error === undefined ? {} : { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
  });
  const reaction = definitions(stores, config)[entry.service].reactions.find((r) => r.name === parked.handler);
  if (!reaction) throw new CliError(`${entry.service} has no reaction named ${parked.handler} any more; nothing to redrive it with`);
  const event = await originalEvent(stores.events, parked);
  if (!event) throw new CliError(`event ${parked.eventId} (position ${parked.position}) is not in the store`);
  let result: ParkedEventRedriven['data'];
  try {
    const targets = reaction.react(event);
    for (const [index, target] of targets.entries()) await runReaction(stores.events, reaction, event, { ...target, index });
    result = outcome();
  } catch (error) {
    result = outcome(error);
  }
  const recorded: ParkedEventRedriven = { type: 'ParkedEventRedriven', data: result };
  // At the revision read, with an id derived from it: a retry after a lost answer is recognised, not written twice.
  await appendToParking(
    stores.events,
    entry.parkedStreamId,
    (revision) => ({
      id: derivedEventId(`redrive:${parked.handler}`, parked.eventId, revision + 1),
      type: recorded.type,
      data: recorded.data,
      metadata: { correlationId: event.metadata.correlationId ?? event.streamId, causationId: event.id },
    }),
    () => false,
  );
  return result;
}

async function redrive(eventId: string | undefined, options: { all?: boolean }, out: Output): Promise<void> {
  if ((eventId === undefined) === !options.all) {
    out.note('name one eventId, or --all');
    process.exitCode = 2;
    return;
  }
  await withStores(async (stores, config) => {
    const entries = (await readParked(stores.events)).filter((entry) => options.all || entry.parked.eventId === eventId);
    if (eventId !== undefined && entries.length === 0) {
      out.note(`no parked event ${eventId} (already redriven, or never parked)`);
      process.exitCode = 1;
      return;
    }
    for (const entry of entries) {
      const result = await redriveOne(stores, config, entry);
      out.record(result);
      if (result.outcome === 'handled') out.line(`${out.color.green('handled')} ${result.eventId} by ${result.handler}`);
      else {
        out.line(`${out.color.red('failed')}  ${result.eventId} by ${result.handler}: ${result.error}`);
        process.exitCode = 1;
      }
    }
    if (entries.length === 0) out.line('no parked events to redrive');
  });
}

export function parkedCommand(): Command {
  const command = new Command('parked')
    // `redrive … --json` is redrive's own --json, not this command's.
    .enablePositionalOptions()
    .description('list events a reaction gave up on (parked), minus those redriven; `parked redrive` runs the reaction again')
    .option('--json', 'one JSON object per parked event')
    .action((options: { json?: boolean }) => list(createOutput(options)));
  command
    .command('redrive')
    .description('run the reaction that parked an event on that event again, as its service would, and record the outcome')
    .argument('[eventId]', 'the id of the parked (original) event')
    .option('--all', 'every parked event')
    .option('--json', 'one JSON object per redrive')
    .action((eventId: string | undefined, options: { all?: boolean; json?: boolean }) => redrive(eventId, options, createOutput(options)));
  return command;
}
