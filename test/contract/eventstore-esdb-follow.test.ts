import t, { type Test } from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { v4 as uuid } from 'uuid';
import { EsdbEventStore, packPosition } from '../../infra/eventstore/esdb.js';
import type { EventData, FollowOptions, Position, SubscriptionMessage } from '../../infra/eventstore/port.js';
import { ScriptedEventStoreDB } from '../support/esdb-scripted.js';

/**
 * The EventStoreDB adapter's pulled subscription against a scripted server
 * (test/support/esdb-scripted.ts) that misbehaves the way real servers and
 * networks do: checkpoints ahead of delivery, a dropped connection, no word
 * about events outside the filter, a slow reader.
 */

const event = (type: string, data: unknown = {}): EventData => ({ id: uuid(), type, data });
const positionOf = (m: SubscriptionMessage): Position => (m.kind === 'event' ? m.event.position : m.position);
const shape = (m: SubscriptionMessage) => (m.kind === 'event' ? m.event.type : `checkpoint@${m.position}`);

function open() {
  const server = new ScriptedEventStoreDB();
  const store = EsdbEventStore.over(server.client);
  return { server, store };
}

/** Reads batches until `until` holds for one message, or `timeoutMs` passes; then stops following. */
async function collect(
  t: Test,
  store: EsdbEventStore,
  options: FollowOptions,
  until: (message: SubscriptionMessage, all: SubscriptionMessage[]) => boolean,
  timeoutMs = 3_000,
): Promise<{ messages: SubscriptionMessage[]; done: boolean }> {
  const halt = new AbortController();
  const timer = setTimeout(() => halt.abort(), timeoutMs);
  const messages: SubscriptionMessage[] = [];
  try {
    for await (const batch of store.follow({ ...options, signal: halt.signal })) {
      t.ok(batch.length > 0 && batch.length <= (options.maxBatch ?? 500), 'a batch is never empty nor over maxBatch');
      for (const message of batch) {
        messages.push(message);
        if (until(message, messages)) return { messages, done: true };
      }
    }
    return { messages, done: false };
  } finally {
    clearTimeout(timer);
  }
}

t.test('a slow reader: the adapter reads from the server only as fast as it is read, so its buffer stays bounded', async (t) => {
  const { server, store } = open();
  t.teardown(() => store.close());
  for (let i = 0; i < 100; i++) await store.append(`load-${i % 5}`, Array.from({ length: 30 }, (_, n) => event('Load', { i, n })));
  const maxBatch = 20;
  const halt = new AbortController();
  const batches = store.follow({ from: 'start', maxBatch, signal: halt.signal })[Symbol.asyncIterator]();
  let delivered = 0;
  let worst = 0;
  for (let round = 0; round < 10; round++) {
    const next = await batches.next();
    t.notOk(next.done);
    delivered += next.value!.length;
    // The reader is busy: meanwhile nothing should keep flowing in.
    await sleep(30);
    worst = Math.max(worst, server.subscriptionSent - delivered);
  }
  halt.abort();
  await batches.return?.(undefined);
  t.ok(server.subscriptionSent < 3_000, `the server sent ${server.subscriptionSent} of 3,000 events for ${delivered} read`);
  t.ok(worst <= 8 * maxBatch, `at most ${worst} events read ahead of the reader (bound ${8 * maxBatch})`);
  t.equal(server.openCalls, 0, 'stopping the reader ends the server subscription');
});

t.test('the end-of-log checkpoint of KurrentDB 4970 does not hide the next event, live or on resume', async (t) => {
  const { server, store } = open();
  t.teardown(() => store.close());
  await store.append('seat-1', [event('Wanted')]);
  for (let i = 0; i < 40; i++) await store.append(`other-${i}`, [event('Unwanted')]);
  server.faults.endOfLogCheckpoint = true;
  const filter = { eventTypes: ['Wanted'] };
  const end = packPosition(server.endPosition);
  const seen = collect(t, store, { from: 'start', filter }, (m, all) => m.kind === 'event' && all.filter((x) => x.kind === 'event').length === 2);
  await sleep(100);
  const late = await store.append('seat-2', [event('Wanted')]);
  t.equal(late.position, end, 'the next event lands exactly on the checkpoint the server sent');
  const { messages, done } = await seen;
  t.ok(done, `the event after the bogus checkpoint is delivered: ${messages.map(shape).join(', ')}`);
  const index = messages.findIndex((m) => m.kind === 'event' && m.event.position === late.position);
  t.ok(
    messages.slice(0, index).every((m) => positionOf(m) < late.position),
    'nothing before it claims its position: a consumer recording checkpoints resumes before it',
  );
  // On resume from the last checkpoint delivered before the event, the event comes again.
  const lastCheckpoint = messages.slice(0, index).filter((m) => m.kind === 'checkpoint').at(-1);
  t.ok(lastCheckpoint, 'a checkpoint was delivered before it');
  const resumed = await collect(t, store, { from: { after: positionOf(lastCheckpoint!) }, filter }, (m) => m.kind === 'event');
  t.match(resumed.messages.find((m) => m.kind === 'event'), { event: { position: late.position } }, 'resuming from it delivers the event');
});

t.test('a checkpoint sent just ahead of the event at its position never goes out before that event', async (t) => {
  const { server, store } = open();
  t.teardown(() => store.close());
  for (let i = 0; i < 5; i++) await store.append(`seat-${i}`, [event('Wanted'), event('Unwanted')]);
  server.faults.checkpointAtNextEvent = true;
  const { messages } = await collect(t, store, { from: 'start', filter: { eventTypes: ['Wanted'] } }, (_m, all) => all.filter((x) => x.kind === 'event').length === 5);
  t.equal(messages.filter((m) => m.kind === 'event').length, 5, 'every event delivered');
  let reached = -1n;
  for (const message of messages) {
    const position = positionOf(message);
    t.ok(position > reached, `${shape(message)} moves forward`);
    reached = position;
  }
});

t.test('read-your-writes: a live, filtered reader learns within a moment that an event outside its filter was passed', async (t) => {
  const { store } = open();
  t.teardown(() => store.close());
  await store.append('seat-1', [event('Wanted')]);
  const waiting = collect(t, store, { from: 'start', filter: { eventTypes: ['Wanted'] } }, (m) => m.kind === 'checkpoint' && m.position >= outside, 1_500);
  let outside = 1n << 127n;
  await sleep(200);
  const started = Date.now();
  outside = (await store.append('other-1', [event('Unwanted')])).position;
  const { done } = await waiting;
  t.ok(done, 'a checkpoint at or past the unwanted event arrived');
  t.ok(Date.now() - started < 1_000, `within ${Date.now() - started} ms, far below the read-your-writes timeout`);
});

t.test('a dropped connection fails the reader, which resumes from its last position with no gap and no repeat', async (t) => {
  const { server, store } = open();
  t.teardown(() => store.close());
  for (let i = 0; i < 200; i++) await store.append(`seat-${i}`, [event('N', { i })]);
  const got: number[] = [];
  let last: Position | undefined;
  const halt = new AbortController();
  let failure: unknown;
  try {
    for await (const batch of store.follow({ from: 'start', maxBatch: 10, signal: halt.signal })) {
      for (const m of batch) {
        if (m.kind === 'event') got.push((m.event.data as { i: number }).i);
        last = positionOf(m);
      }
      if (got.length >= 20) server.dropConnection();
    }
  } catch (error) {
    failure = error;
  }
  t.match(failure, { type: 'unavailable' }, 'the reader sees the failure instead of waiting forever');
  t.equal(server.openCalls, 0, 'nothing left open');
  const rest = await collect(t, store, { from: { after: last! } }, (_m, all) => all.filter((x) => x.kind === 'event').length + got.length === 200);
  for (const m of rest.messages) if (m.kind === 'event') got.push((m.event.data as { i: number }).i);
  t.ok(rest.done, `the rest arrived (${got.length} events)`);
  t.same(got, Array.from({ length: 200 }, (_, i) => i), 'every event once, in order');
});


t.test("a quiet reader does not chase the server's own records, so reaction checkpoints cannot keep each other busy", async (t) => {
  const { store } = open();
  t.teardown(() => store.close());
  await store.append('seat-1', [event('Wanted')]);
  const halt = new AbortController();
  const messages: SubscriptionMessage[] = [];
  const reading = (async () => {
    for await (const batch of store.follow({ from: 'start', filter: { eventTypes: ['Wanted'] }, signal: halt.signal })) messages.push(...batch);
  })();
  await sleep(100);
  const settled = messages.length;
  // Other reactions record how far they got: records of the server's own kind only.
  for (let n = 1; n <= 5; n++) {
    await store.writeCheckpoint({ subscriber: `reactions-${n}`, position: BigInt(n) });
    await sleep(60);
  }
  t.same(messages.slice(settled), [], 'no checkpoint for records no reader waits for');
  const outside = await store.append('other-1', [event('Unwanted')]);
  for (let wait = 0; messages.length === settled && wait < 100; wait++) await sleep(10);
  await sleep(100);
  t.match(messages.slice(settled), [{ kind: 'checkpoint', position: outside.position }], 'an application event outside the filter: one checkpoint, at it');
  halt.abort();
  await reading;
});

t.test('aborting ends a reader that is waiting for events, and its server subscription', async (t) => {
  const { server, store } = open();
  t.teardown(() => store.close());
  await store.append('seat-1', [event('Wanted')]);
  const halt = new AbortController();
  const batches = store.follow({ from: 'end', signal: halt.signal })[Symbol.asyncIterator]();
  const waiting = batches.next();
  await sleep(50);
  const started = Date.now();
  halt.abort();
  t.same(await waiting, { done: true, value: undefined }, 'the iteration ends');
  t.ok(Date.now() - started < 100, `at once (${Date.now() - started} ms)`);
  for (let wait = 0; server.openCalls > 0 && wait < 50; wait++) await sleep(10);
  t.equal(server.openCalls, 0, 'the server subscription ended');
});
