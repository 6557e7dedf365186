import t, { type Test } from 'tap';
import { join } from 'node:path';
import { SqliteEventStore } from '../../infra/eventstore/sqlite.js';
import { SqliteReadStore } from '../../infra/readstore/sqlite.js';
import type { EventStore, FollowOptions, Position, RecordedEvent, SubscriptionMessage } from '../../infra/eventstore/port.js';
import type { Doc, ReadStore } from '../../infra/readstore/port.js';
import { Consumer } from '../../bus/consumer.js';
import { Projector } from '../../bus/projector.js';
import { rebuild, type Projection } from '../../bus/projection.js';
import { seeded } from '../support/seeded.js';

/**
 * The consumer under injected faults, on the real SQLite store: the store's
 * follow() is wrapped so that a test decides when a read fails, and counts
 * how many reads are open and how many events were handed out but not yet
 * handled. Faults are drawn from a seeded generator, so every run is the same.
 */
interface Faults {
  /** Called before each batch is handed out; throwing fails the read, as a dropped connection does. */
  beforeBatch?: () => void;
}

function faulty(store: EventStore, faults: Faults) {
  const seen = { open: 0, maxOpen: 0, handedOut: 0, maxBatch: 0 };
  const follow = (options?: FollowOptions): AsyncIterable<SubscriptionMessage[]> => ({
    async *[Symbol.asyncIterator]() {
      seen.open += 1;
      seen.maxOpen = Math.max(seen.maxOpen, seen.open);
      try {
        for await (const batch of store.follow(options)) {
          faults.beforeBatch?.();
          seen.handedOut += batch.length;
          seen.maxBatch = Math.max(seen.maxBatch, batch.length);
          yield batch;
        }
      } finally {
        seen.open -= 1;
      }
    },
  });
  return { store: replacing(store, { follow }), seen };
}

/** The same object with some methods replaced; every other call goes to the real one, with its own `this`. */
function replacing<T extends object>(real: T, replaced: Partial<T>): T {
  return new Proxy(real, {
    get(target, property) {
      if (property in replaced) return replaced[property as keyof T];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function withStore(t: Test) {
  const store = new SqliteEventStore({ file: join(t.testdir(), 'events.db'), pollMs: 5 });
  t.teardown(() => store.close());
  return store;
}

/** Appends `count` Tick events over `streams` streams, in appends of `perAppend`. */
async function ticks(store: EventStore, count: number, streams = 10, perAppend = 1): Promise<Position> {
  let last: Position = 0n;
  for (let i = 0; i < count; i += perAppend) {
    const n = Math.min(perAppend, count - i);
    const result = await store.append(`tick-${i % streams}`, Array.from({ length: n }, (_, k) => ({ type: 'Tick', data: { n: i + k } })));
    last = result.position;
  }
  return last;
}

/** A handler's record: which positions it handled, in what order. */
function recorder() {
  const handled: Position[] = [];
  return {
    handled,
    inOrderOnce(t: Test, expected: number) {
      t.equal(handled.length, expected, `every event handled once (${handled.length} of ${expected})`);
      t.ok(handled.every((p, i) => i === 0 || p > handled[i - 1]!), 'in global order, never a repeat');
    },
  };
}

t.test('a read that fails while a batch is in flight, and that batch failing too: one reader, each event once, in order', async (t) => {
  const base = await withStore(t);
  let failNextRead = false;
  const { store, seen } = faulty(base, {
    beforeBatch: () => {
      if (failNextRead) {
        failNextRead = false;
        throw new Error('connection dropped');
      }
    },
  });
  const { handled, inOrderOnce } = recorder();
  let failHandler = true;
  const errors: unknown[] = [];
  let consumer: Consumer | undefined = undefined;
  consumer = new Consumer({
    name: 'faults',
    store,
    filter: {},
    checkpoints: { read: async () => null, write: async () => undefined },
    retryDelayMs: 1,
    maxBatch: 7,
    onError: (error) => errors.push(error),
    handleBatch: async (events) => {
      t.equal(consumer!.liveReads, 1, 'exactly one read is open while a batch is handled');
      if (failHandler) {
        // The read fails underneath while this batch is in flight, and then the batch fails too.
        failNextRead = true;
        failHandler = false;
        throw new Error('handler failed with its store');
      }
      handled.push(...events.map((e) => e.position));
      return 'handled';
    },
  });
  const last = await ticks(base, 30);
  await consumer.start();
  await consumer.reached(last);
  inOrderOnce(t, 30);
  t.equal(errors.length, 2, "the batch's failure and the read's failure, each reported once, each followed by one new read");
  t.equal(seen.maxOpen, 1, 'never two reads open at once');

  failHandler = true;
  const more = await ticks(base, 10);
  await consumer.reached(more);
  inOrderOnce(t, 40);
  t.equal(errors.length, 4, 'live too: the batch failed, then the read failed when pulled; each reported once');
  t.equal(seen.maxOpen, 1, 'still never two reads at once');
  await consumer.stop();
  t.equal(seen.open, 0, 'stop() leaves no read open');
  t.equal(consumer.liveReads, 0);
});

t.test('error storms on reads and handlers: every event handled once, in order, and the projection equals a rebuild', async (t) => {
  const dir = t.testdir();
  const base = new SqliteEventStore({ file: join(dir, 'events.db'), pollMs: 5 });
  const reads = new SqliteReadStore({ file: join(dir, 'readmodels.db') });
  t.teardown(async () => {
    await base.close();
    await reads.close();
  });
  const random = seeded(42);
  let readFaults = 0;
  const { store, seen } = faulty(base, {
    beforeBatch: () => {
      if (random() < 0.3) {
        readFaults += 1;
        throw new Error('connection dropped');
      }
    },
  });
  // The read store fails too: before a commit (nothing written) or after it (written, the answer lost).
  let commitFaults = 0;
  const failing: ReadStore = replacing<ReadStore>(reads, {
    commit: async (commits) => {
    const roll = random();
    if (roll < 0.15) {
      commitFaults += 1;
      throw new Error('commit failed before writing');
    }
    await reads.commit(commits);
    if (roll > 0.85) {
      commitFaults += 1;
      throw new Error('commit written, answer lost');
    }
    },
  });
  // Pauses between retries are not what is tested here: short ones keep sixty failures from taking a minute.
  const projector = new Projector({ store, reads: failing, maxBatch: 13, retryDelayMs: 5 });
  projector.add([tally]);

  await ticks(base, 400, 17);
  await projector.start();
  const last = await ticks(base, 400, 17, 3);
  t.ok(await projector.reached(last, 120_000), 'the projector got through the storm');
  await projector.stop();
  t.ok(readFaults > 10 && commitFaults > 10, `the storm happened (${readFaults} failed reads, ${commitFaults} failed commits)`);
  t.equal(seen.maxOpen, 1, 'never two reads open at once');
  t.equal(seen.open, 0, 'none left open after stop()');

  const live = await (await reads.collection<TallyDoc>(tally.collection)).find({ sort: [['count', 'asc']] });
  const rebuilt = new SqliteReadStore({ file: join(dir, 'rebuilt.db') });
  t.teardown(() => rebuilt.close());
  await rebuild(base, rebuilt, tally);
  const fresh = await (await rebuilt.collection<TallyDoc>(tally.collection)).find({ sort: [['count', 'asc']] });
  t.same(live, fresh, 'the live model equals a rebuild: no event counted twice or lost');
  t.equal(
    live.reduce((sum, doc) => sum + doc.count, 0),
    800,
    'and every one of the 800 events is counted',
  );
});

t.test('a slow handler during a 200,000-event catch-up: nothing piles up beyond one batch', async (t) => {
  const base = await withStore(t);
  const { store, seen } = faulty(base, {});
  const last = await ticks(base, 200_000, 50, 1_000);
  let handledCount = 0;
  let maxAhead = 0;
  const consumer = new Consumer({
    name: 'slow',
    store,
    filter: {},
    maxBatch: 500,
    checkpoints: { read: async () => null, write: async () => undefined },
    handleBatch: async (events) => {
      maxAhead = Math.max(maxAhead, seen.handedOut - handledCount);
      // Slow: a turn of the event loop for every 50 events, as a handler doing I/O would yield.
      for (let i = 0; i < events.length; i += 50) await new Promise((resolve) => setImmediate(resolve));
      handledCount += events.length;
      return 'handled';
    },
  });
  await consumer.start();
  t.ok(await consumer.reached(last, 170_000), 'caught up');
  await consumer.stop();
  t.equal(handledCount, 200_000);
  t.ok(seen.maxBatch <= 500, `no batch over the bound (largest ${seen.maxBatch})`);
  t.ok(maxAhead <= 500, `read ahead of the handler by at most one batch (${maxAhead} events)`);
});

t.test('stop() in every state leaves nothing running and handles nothing after it', async (t) => {
  const base = await withStore(t);

  t.test('while a batch is in flight: the batch finishes, its checkpoint lands, no read stays open', async (t) => {
    const { store, seen } = faulty(base, {});
    let release!: () => void;
    const inFlight = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const entering = new Promise<void>((resolve) => (entered = resolve));
    const checkpoints: Position[] = [];
    const handled: RecordedEvent[] = [];
    const consumer = new Consumer({
      name: 'stop-in-flight',
      store,
      filter: { streamPrefixes: ['flight-'] },
      checkpoints: { read: async () => null, write: async (p) => void checkpoints.push(p) },
      handleBatch: async (events) => {
        entered();
        await inFlight;
        handled.push(...events);
        return 'handled';
      },
    });
    const first = await base.append('flight-1', [{ type: 'Tick', data: {} }]);
    await consumer.start();
    await entering;
    const stopping = consumer.stop();
    release();
    await stopping;
    t.same(handled.map((e) => e.position), [first.position], 'the batch in hand was finished');
    t.ok(checkpoints.at(-1)! >= first.position, 'and its checkpoint written');
    t.equal(seen.open, 0, 'no read open');
    await base.append('flight-1', [{ type: 'Tick', data: {} }]);
    await base.append('flight-2', [{ type: 'Tick', data: {} }]);
    t.equal(seen.open, 0, 'appends after stop() open no read');
    t.equal(handled.length, 1, 'and nothing after stop() is handled');
  });

  t.test('while pausing after a failure: the retry never happens', async (t) => {
    const { store, seen } = faulty(base, {
      beforeBatch: () => {
        throw new Error('always down');
      },
    });
    let failed!: () => void;
    const failure = new Promise<void>((resolve) => (failed = resolve));
    const consumer = new Consumer({
      name: 'stop-in-pause',
      store,
      filter: {},
      retryDelayMs: 60_000,
      checkpoints: { read: async () => null, write: async () => undefined },
      onError: () => failed(),
      handleBatch: async () => (t.fail('nothing can be handled while reads fail'), 'handled' as const),
    });
    await base.append('pause-1', [{ type: 'Tick', data: {} }]);
    await consumer.start();
    await failure;
    await consumer.stop();
    t.equal(seen.open, 0, 'the failed read is closed and no retry is armed (stop() did not wait the 60 s pause)');
    t.equal(consumer.liveReads, 0);
  });

  t.test('while waiting at the head of the log: the wait ends at once', async (t) => {
    const { store, seen } = faulty(base, {});
    const consumer = new Consumer({
      name: 'stop-at-head',
      store,
      filter: { streamPrefixes: ['head-'] },
      checkpoints: { read: async () => null, write: async () => undefined },
      handleBatch: async () => 'handled' as const,
    });
    const last = await base.append('head-1', [{ type: 'Tick', data: {} }]);
    await consumer.start();
    await consumer.reached(last.position);
    t.equal(seen.open, 1, 'one read, waiting for the next commit');
    await consumer.stop();
    t.equal(seen.open, 0, 'stopped: the waiting read ended');
  });
});

t.test('read-your-writes waiters that time out are forgotten, not piled up', async (t) => {
  const base = await withStore(t);
  const consumer = new Consumer({
    name: 'waiters',
    store: base,
    filter: { streamPrefixes: ['never-'] },
    checkpoints: { read: async () => null, write: async () => undefined },
    handleBatch: async () => 'handled' as const,
  });
  await consumer.start();
  t.teardown(() => consumer.stop());
  const answers = await Promise.all(Array.from({ length: 100 }, () => consumer.reached(1_000_000n, 1)));
  t.ok(answers.every((reached) => reached === false), 'each waiter was told it ran out of time');
  t.equal(consumer.pendingWaiters, 0, 'and none is kept');
});

t.test("batches that were none of this consumer's work (another instance's streams) move the checkpoint lazily, not one write each", async (t) => {
  const base = await withStore(t);
  const writes: Position[] = [];
  let batches = 0;
  const consumer = new Consumer({
    name: 'idle',
    store: base,
    filter: { eventTypes: ['Tick'] },
    maxBatch: 5,
    // Longer than the test: the lazy save can only come from stop().
    idleCheckpointMs: 600_000,
    checkpoints: { read: async () => null, write: async (position) => void writes.push(position) },
    handleBatch: async () => ((batches += 1), 'idle' as const),
  });
  const last = await ticks(base, 40);
  await consumer.start();
  t.ok(await consumer.reached(last, 60_000), 'it read everything');
  t.ok(batches >= 8, `in several batches (${batches})`);
  t.same(writes, [], 'and wrote no checkpoint for them');
  await consumer.stop();
  t.same(writes, [last], 'stop() saves the position once');
});

interface TallyDoc extends Doc {
  count: number;
  lastN: number;
}

/** Counts the events of each stream: a counting model, the kind that a double application corrupts. */
const tally: Projection<TallyDoc> = {
  name: 'tally',
  collection: { name: 'tally', indexes: ['count'] },
  eventTypes: ['Tick'],
  ids: (event) => [event.streamId],
  evolve: (doc, event, id) => ({ id, count: (doc?.count ?? 0) + 1, lastN: (event.data as { n: number }).n }),
};
