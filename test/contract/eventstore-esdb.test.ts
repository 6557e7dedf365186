import t from 'tap';
import { PassThrough } from 'node:stream';
import { v4 as uuid } from 'uuid';
import { firstValueFrom, take, timeout, toArray } from 'rxjs';
import {
  StreamNotFoundError as EsdbStreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  type EventStoreDBClient,
  type Filter,
  type Position as EsdbPosition,
} from '@eventstore/db-client';
import { EsdbEventStore, eventTypeRegex, packPosition, unpackPosition } from '../../infra/eventstore/esdb.js';
import { StreamNotFoundError, WrongExpectedVersionError } from '../../infra/eventstore/errors.js';
import { onlyEvents } from '../../infra/eventstore/messages.js';
import type { SubscriptionMessage } from '../../infra/eventstore/port.js';
import { eventStoreContract } from './eventstore.contract.js';

/**
 * The suite names its streams with a fresh random prefix per test, so it runs
 * on a server that already holds data; an empty one is not needed.
 */
const url = process.env.EVENTSTORE_URL;
const skip = url
  ? false
  : 'EVENTSTORE_URL not set: EventStoreDB contract suite skipped (docker compose up -d eventstore, then EVENTSTORE_URL=esdb://localhost:2113?tls=false npm test)';

t.test('a packed position keeps $all order: commit first, then prepare', async (t) => {
  const max = (1n << 64n) - 1n;
  const pairs = [
    { commit: 0n, prepare: 0n },
    { commit: 0n, prepare: 5n },
    { commit: 1n, prepare: 0n },
    { commit: 1n, prepare: max },
    { commit: 2n, prepare: 1n },
    { commit: max, prepare: max },
  ];
  const packed = pairs.map(packPosition);
  for (let i = 1; i < packed.length; i++) t.ok(packed[i]! > packed[i - 1]!, `${i} sorts after ${i - 1}`);
  t.same(packed.map(unpackPosition), pairs, 'unpacking gives the pair back');
  t.not(packPosition({ commit: 7n, prepare: 1n }), packPosition({ commit: 7n, prepare: 2n }), 'one commit, two events, two positions');
});

t.test('an event-type filter matches the named types exactly', async (t) => {
  const regex = new RegExp(eventTypeRegex(['SeatHeld', 'Odd.Type', 'Pay$(1)']));
  for (const type of ['SeatHeld', 'Odd.Type', 'Pay$(1)']) t.ok(regex.test(type), `${type} passes`);
  for (const type of ['SeatHeldX', 'XSeatHeld', 'OddxType', 'Pay$1', '$SeatHeld', 'Seat']) t.notOk(regex.test(type), `${type} does not`);
});

/**
 * A scripted stand-in for the gRPC client, behaving as the server does where
 * the adapter relies on it: $all reads from a position include it, every user
 * event is followed by a system event (as the server's own bookkeeping
 * interleaves), a subscription's filter runs on the "server", and the
 * caught-up signal and checkpoints arrive through the same channels as the
 * real client's. It checks the adapter's own logic where no server runs; the
 * contract suite checks the server's side.
 */
interface Stored {
  streamId: string;
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  revision: bigint;
  position: EsdbPosition;
  created: Date;
  isJson: true;
}
type Readout = PassThrough & { cancel(): Promise<void>; unsubscribe(): Promise<void> };

const key = (p: EsdbPosition) => (p.commit << 64n) | p.prepare;

class ScriptedServer {
  log: Stored[] = [];
  metadata = new Map<string, unknown>();
  live = new Set<{ deliver: (event: Stored) => void }>();
  disposed = false;
  private next = 100n;

  private write(streamId: string, type: string, data: unknown, id: string): Stored {
    const revision = BigInt(this.log.filter((e) => e.streamId === streamId).length);
    // Two log positions per event, as a prepare and its bookkeeping would take.
    const event: Stored = { streamId, id, type, data, metadata: {}, revision, position: { commit: this.next, prepare: this.next }, created: new Date(), isJson: true };
    this.next += 100n;
    this.log.push(event);
    for (const subscription of this.live) subscription.deliver(event);
    return event;
  }

  private bookkeeping() {
    this.write(`$$${this.next}`, '$metadata', {}, uuid());
  }

  private readout(events: Stored[], failure?: Error): Readout {
    const out = new PassThrough({ objectMode: true }) as Readout;
    out.cancel = async () => void out.destroy();
    setImmediate(() => {
      if (failure) return void out.destroy(failure);
      for (const event of events) out.write({ event });
      out.end();
    });
    return out;
  }

  async appendToStream(streamId: string, events: { id: string; type: string; data: unknown } | Array<{ id: string; type: string; data: unknown }>, options: { expectedRevision: unknown }) {
    const list = Array.isArray(events) ? events : [events];
    const current = this.log.filter((e) => e.streamId === streamId).length - 1;
    const expected = options.expectedRevision;
    const holds =
      expected === 'any' ||
      (expected === 'no_stream' && current === -1) ||
      (expected === 'stream_exists' && current >= 0) ||
      expected === BigInt(current);
    if (!holds) {
      throw new EsdbWrongExpectedVersionError(undefined, {
        streamName: streamId,
        expected: expected as bigint,
        current: current === -1 ? 'no_stream' : BigInt(current),
      });
    }
    let last: Stored | undefined;
    for (const event of list) {
      last = this.write(streamId, event.type, event.data, event.id);
      this.bookkeeping();
    }
    // A multi-event append may report a position that is not its last event's.
    return { success: true, nextExpectedRevision: last!.revision, position: list.length === 1 ? last!.position : { commit: 1n, prepare: 1n } };
  }

  async setStreamMetadata(streamId: string, metadata: unknown) {
    this.metadata.set(streamId, metadata);
    this.bookkeeping();
    return { success: true, nextExpectedRevision: 0n };
  }

  readStream(streamId: string, options: { direction: string; fromRevision: unknown; maxCount?: number | bigint }) {
    let events = this.log.filter((e) => e.streamId === streamId);
    if (events.length === 0) return this.readout([], new EsdbStreamNotFoundError(undefined, streamId));
    const maxCount = (this.metadata.get(streamId) as { maxCount?: number } | undefined)?.maxCount;
    if (maxCount !== undefined) events = events.slice(-maxCount);
    if (options.direction === 'backwards') events.reverse();
    const from = options.fromRevision;
    if (typeof from === 'bigint') events = events.filter((e) => (options.direction === 'backwards' ? e.revision <= from : e.revision >= from));
    return this.readout(events.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)));
  }

  allReads = 0;
  readAll(options: { direction: string; fromPosition: unknown; maxCount: number }) {
    this.allReads += 1;
    let events = [...this.log];
    const from = options.fromPosition;
    if (options.direction === 'backwards') {
      events.reverse();
      if (typeof from === 'object') events = events.filter((e) => key(e.position) < key(from as EsdbPosition));
    } else if (typeof from === 'object') {
      events = events.filter((e) => key(e.position) >= key(from as EsdbPosition));
    }
    return this.readout(events.slice(0, options.maxCount));
  }

  /** Catch-up, a checkpoint at `checkpointAt` (a log index), caught up, then live. */
  checkpointAt = 3;
  subscribeToAll(options: { fromPosition: unknown; filter: Filter }) {
    const out = new PassThrough({ objectMode: true }) as Readout;
    const { filter } = options;
    const regex = 'regex' in filter ? new RegExp(filter.regex) : null;
    const passes = (event: Stored) => {
      const field = filter.filterOn === 'eventType' ? event.type : event.streamId;
      return regex ? regex.test(field) : 'prefixes' in filter && filter.prefixes.some((prefix) => field.startsWith(prefix));
    };
    const subscription = { deliver: (event: Stored) => passes(event) && out.write({ event }) };
    out.unsubscribe = async () => {
      this.live.delete(subscription);
      out.end();
    };
    setImmediate(async () => {
      const from = options.fromPosition;
      const after = from === 'start' ? -1n : from === 'end' ? key(this.log.at(-1)!.position) : key(from as EsdbPosition);
      for (const event of this.log) if (key(event.position) > after) subscription.deliver(event);
      await filter.checkpointReached?.(out as never, this.log[this.checkpointAt]!.position);
      this.live.add(subscription);
      out.emit('caughtUp');
    });
    return out;
  }

  async dispose() {
    this.disposed = true;
  }
}

t.test('the adapter over a scripted client', async (t) => {
  const server = new ScriptedServer();
  const store = EsdbEventStore.over(server as unknown as EventStoreDBClient);
  const event = (type: string, data: unknown = {}) => ({ id: uuid(), type, data });

  const held = await store.append('seat-1', [event('Held')], 'no_stream');
  const pair = await store.append('seat-1', [event('Reserved'), event('Released')], 0);
  const all = await store.readAll();
  t.same(all.map((e) => e.type), ['Held', 'Reserved', 'Released'], '$all without system events');
  t.equal(held.position, all[0]!.position, 'a single-event append reports its event position');
  t.equal(pair.position, all[2]!.position, 'a multi-event append reads its last event back');
  t.equal(pair.nextExpectedRevision, 2);

  t.match(await store.append('seat-1', [event('X')], 0).catch((e: unknown) => e), new WrongExpectedVersionError('seat-1', 0, 2));
  t.match(await store.append('seat-2', [event('X')], 3).catch((e: unknown) => e), { expected: 3, actual: 'no_stream' });
  t.type(await store.append('seat-2', [event('X')], 3).catch((e: unknown) => e), WrongExpectedVersionError);
  await t.rejects(store.readStream('seat-2'), StreamNotFoundError, "the client's not-found becomes ours");
  t.same((await store.readStream('seat-1', { direction: 'backwards', fromRevision: 1 })).map((e) => e.revision), [1, 0]);
  t.same(await store.readStream('seat-1', { maxCount: 0 }), [], 'maxCount 0 reads nothing');
  t.equal((await store.append('seat-1', [], 2)).nextExpectedRevision, 2, 'an empty append checks the revision');
  await t.rejects(store.append('seat-1', [], 1), WrongExpectedVersionError);

  t.same((await store.readAll({ after: all[0]!.position })).map((e) => e.type), ['Reserved', 'Released'], 'after is exclusive');
  t.same((await store.readAll({ after: all[0]!.position, maxCount: 1 })).map((e) => e.type), ['Reserved']);
  t.same((await store.readAll({ filter: { eventTypes: ['Released'], streamPrefixes: [] } })).map((e) => e.type), ['Released'], 'an empty list constrains nothing');
  t.equal(await store.headPosition(), all[2]!.position, 'the head skips system events');

  for (let i = 0; i < 1_200; i++) await store.append(`load-${i % 3}`, [event('Load', { i })]);
  const reads = server.allReads;
  const everything = await store.readAll({ maxCount: 5_000 });
  t.equal(everything.length, 1_203, 'a read longer than one server page');
  t.ok(server.allReads - reads > 1, 'took several server reads');
  t.ok(everything.every((e, i) => i === 0 || e.position > everything[i - 1]!.position), 'no repeat at page seams');
  t.same((await store.readAll({ filter: { streamPrefixes: ['seat-'] } })).map((e) => e.type), ['Held', 'Reserved', 'Released'], 'a filter scans past pages');

  t.equal(await store.readCheckpoint('r'), null);
  await store.writeCheckpoint({ subscriber: 'r', position: 10n });
  t.same(server.metadata.get('checkpoint-r'), { maxCount: 1 }, 'the checkpoint stream keeps one event');
  await store.writeCheckpoint({ subscriber: 'r', position: 7n });
  t.equal(await store.readCheckpoint('r'), 10n, 'never backwards');
  await store.resetCheckpoint('r');
  t.equal(await store.readCheckpoint('r'), null, 'reset');
  await store.writeCheckpoint({ subscriber: 'r', position: 3n });
  t.equal(await store.readCheckpoint('r'), 3n, 'and forwards again from nothing');
  t.equal(await store.headPosition(), everything.at(-1)!.position, 'checkpoint events are not the head');
  const last = await store.append('seat-9', [event('Other')], 'any', { checkpoint: { subscriber: 'r', position: 42n } });
  t.equal(await store.readCheckpoint('r'), 42n, 'an append carries a checkpoint');

  t.test('a subscription: catch-up, checkpoints in order, the head once caught up, then live', async (t) => {
    server.checkpointAt = 3; // inside the catch-up: behind the events already delivered, so dropped
    const messages = firstValueFrom(
      store.subscribe({ from: 'start', filter: { eventTypes: ['Held', 'Released', 'Live'] } }).pipe(take(4), toArray(), timeout(5_000)),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const live = await store.append('seat-3', [event('Live')]);
    const got = await messages;
    const shape = (m: SubscriptionMessage) => (m.kind === 'event' ? m.event.type : 'checkpoint');
    t.same(got.map(shape), ['Held', 'Released', 'checkpoint', 'Live']);
    t.match(got[2], { position: last.position }, 'the checkpoint on catching up is the head read before subscribing');
    t.match(got[3], { event: { position: live.position } });
    t.equal(server.live.size, 0, 'take() ended the server subscription');
  });

  t.test('a server checkpoint past the events wins over the head', async (t) => {
    server.checkpointAt = server.log.length - 1;
    const beyond = packPosition(server.log.at(-1)!.position);
    const messages = await firstValueFrom(
      store.subscribe({ from: { after: all[0]!.position }, filter: { streamPrefixes: ['seat-1'] } }).pipe(take(3), toArray(), timeout(5_000)),
    );
    t.same(messages.map((m) => (m.kind === 'event' ? m.event.type : m.position)), ['Reserved', 'Released', beyond]);
  });

  t.test('closing the store completes its subscriptions and disposes the client', async (t) => {
    let completed = false;
    store.subscribe({ from: 'end' }).subscribe({ complete: () => (completed = true) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.close();
    t.ok(completed);
    t.ok(server.disposed);
  });
});

t.test('EventStoreDB event store: the contract', { skip }, async (t) => {
  eventStoreContract(t, () => EsdbEventStore.connect(url!));
});

t.test('EventStoreDB event store: what only this adapter can get wrong', { skip }, async (t) => {
  const store = await EsdbEventStore.connect(url!);
  t.teardown(() => store.close());
  const prefix = `esdb${uuid().replaceAll('-', '')}`;

  t.test('the position an append reports is the one $all gives its last event', async (t) => {
    const head = (await store.headPosition()) ?? undefined;
    const single = await store.append(`${prefix}-one`, [{ id: uuid(), type: 'One', data: {} }]);
    const multi = await store.append(`${prefix}-three`, [1, 2, 3].map((n) => ({ id: uuid(), type: 'Three', data: { n } })));
    const mine = (await store.readAll({ after: head, maxCount: 1_000 })).filter((e) => e.streamId.startsWith(prefix));
    t.equal(single.position, mine[0]!.position, 'a single-event append');
    t.equal(multi.position, mine[3]!.position, 'a multi-event append');
    const empty = await store.append(`${prefix}-three`, [], 2);
    t.equal(empty.nextExpectedRevision, 2, 'an empty append at the right revision answers the revision');
  });

  t.test('checkpoints are invisible to $all reads, the head and subscriptions', async (t) => {
    const head = await store.headPosition();
    await store.writeCheckpoint({ subscriber: `${prefix}-reaction`, position: 1n });
    await store.writeCheckpoint({ subscriber: `${prefix}-reaction`, position: 2n });
    t.equal(await store.headPosition(), head, 'the head did not move');
    t.same(await store.readAll({ after: head ?? undefined }), [], 'nothing new in $all');
    const seen = firstValueFrom(
      store.subscribe({ from: head === null ? 'start' : { after: head } }).pipe(onlyEvents(), take(1), toArray(), timeout(10_000)),
    );
    await store.writeCheckpoint({ subscriber: `${prefix}-reaction`, position: 3n });
    await store.append(`${prefix}-after`, [{ id: uuid(), type: 'After', data: {} }]);
    t.same((await seen).map((e) => e.type), ['After'], 'an unfiltered subscription skips the checkpoint events');
    t.equal(await store.readCheckpoint(`${prefix}-reaction`), 3n);
  });

  t.test('unsubscribing ends the server subscription; closing completes the rest', async (t) => {
    const other = await EsdbEventStore.connect(url!);
    let completed = false;
    other.subscribe({ from: 'end' }).subscribe({ complete: () => (completed = true) });
    const stopped = other.subscribe({ from: 'end' }).subscribe();
    stopped.unsubscribe();
    await other.close();
    t.ok(completed, 'a live subscription completes when the store closes');
    t.ok(stopped.closed, 'the unsubscribed one stays closed');
  });
});
