import t from 'tap';
import { join } from 'node:path';
import { SqliteEventStore } from '../../infra/eventstore/sqlite.js';
import { ManualClock } from '../../infra/clock.js';
import { reactionRunner, reactionSubscriber } from '../../bus/reactions.js';
import { MAX_PARTITIONS, owns, partitioned, startOf, streamHash, type Partition } from '../../bus/partition.js';
import type { Aggregate, DomainEvent } from '../../bus/decider.js';
import type { Reaction } from '../../bus/reaction.js';
import type { RecordedEvent } from '../../infra/eventstore/port.js';
import { RunningService } from '../../bus/service.js';
import { serviceDefinitions } from '../../infra/services.js';
import { loadConfig } from '../../infra/config.js';
import { requestPayment } from '../../domains/payment/request-payment.js';
import { paymentStream } from '../../domains/payment/payment.js';
import { openTestStores } from '../support/stores.js';

const layout = (count: number): Partition[] => Array.from({ length: count }, (_, i) => ({ index: i + 1, count }));
const streams = Array.from({ length: 2_000 }, (_, i) => `seat-${i.toString(16).padStart(8, '0')}_${i % 50}`);

t.test('every stream has exactly one owner in every layout, and the shares are even', async (t) => {
  for (let count = 1; count <= MAX_PARTITIONS; count++) {
    const shares = layout(count).map((partition) => streams.filter((id) => owns(partition, id)).length);
    t.equal(shares.reduce((a, b) => a + b, 0), streams.length, `${count} instance(s): no stream twice, none left out`);
    const fair = streams.length / count;
    t.ok(shares.every((share) => share > fair * 0.7 && share < fair * 1.3), `${count} instance(s): shares ${shares.join(', ')} are within 30% of ${fair}`);
  }
});

t.test('the hash is FNV-1a: the same on every process, machine and Node version', async (t) => {
  // Published FNV-1a 32-bit test vectors: a changed hash would move every stream to another instance.
  t.equal(streamHash(''), 0x811c9dc5);
  t.equal(streamHash('a'), 0xe40c292c);
  t.equal(streamHash('foobar'), 0xbf9cf968);
});

t.test('a new layout starts from the lowest checkpoint an earlier layout left, its own once it has one', async (t) => {
  const store = new SqliteEventStore({ file: join(t.testdir(), 'events.db') });
  t.teardown(() => store.close());
  const read = (name: string) => store.readCheckpoint(name);
  const two = layout(2);
  t.equal(await startOf(read, 'reactions-payment', two[0]!), null, 'nothing ran before: from the start');

  await store.writeCheckpoint({ subscriber: 'reactions-payment', position: 40n });
  t.equal(await startOf(read, 'reactions-payment', two[1]!), 40n, 'one instance ran before: from where it stopped');

  await store.writeCheckpoint({ subscriber: partitioned('reactions-payment', two[0]!), position: 90n });
  await store.writeCheckpoint({ subscriber: partitioned('reactions-payment', two[1]!), position: 70n });
  t.equal(await startOf(read, 'reactions-payment', two[0]!), 90n, 'its own checkpoint');
  const three = layout(3);
  t.equal(await startOf(read, 'reactions-payment', three[2]!), 40n, 'three instances: from the lowest of every earlier layout, so nothing is skipped');
  t.equal(await startOf(read, 'reactions-payment', { index: 1, count: 1 }), 40n, 'back to one: its own checkpoint, replaying what two handled since');
  t.equal(await startOf(read, 'reactions-point', three[0]!), null, 'another subscriber sees none of it');
});

// A ledger per account: each Move of a transfer is one command to one account stream.
type Moved = DomainEvent<'Moved', { transfer: string; amount: number }>;
type Move = { type: 'Move'; data: { transfer: string; amount: number } };
const ledger: Aggregate<{ transfers: string[] }, Move, Moved> = {
  category: 'ledger',
  initialState: () => ({ transfers: [] }),
  decide: (command, state) => (state.transfers.includes(command.data.transfer) ? [] : [{ type: 'Moved', data: command.data }]),
  evolve: (state, event) => ({ transfers: [...state.transfers, event.data.transfer] }),
};
const postTransfer: Reaction<{ transfers: string[] }, Move, Moved> = {
  name: 'ledger.postTransfer',
  aggregate: ledger,
  eventTypes: ['TransferAsked'],
  react(event) {
    const { from, to, amount } = event.data as { from: string; to: string; amount: number };
    return [
      { streamId: `ledger-${from}`, command: { type: 'Move', data: { transfer: event.id, amount: -amount } } },
      { streamId: `ledger-${to}`, command: { type: 'Move', data: { transfer: event.id, amount } } },
    ];
  },
};

t.test('two instances share the reactions: each command runs once, in its stream by the owner, in log order', async (t) => {
  const store = new SqliteEventStore({ file: join(t.testdir(), 'events.db') });
  t.teardown(() => store.close());
  const handledBy = new Map<string, Partition[]>();
  const runners = layout(2).map((partition) =>
    reactionRunner({
      service: 'ledger',
      store,
      reactions: [postTransfer],
      clock: new ManualClock(),
      partition,
      onHandled: (_reaction, event, appended) => {
        if (appended.length === 0) return;
        handledBy.set(event.id, [...(handledBy.get(event.id) ?? []), partition]);
      },
    }),
  );
  for (const runner of runners) await runner.start();
  t.teardown(() => Promise.all(runners.map((runner) => runner.stop())));

  const accounts = Array.from({ length: 12 }, (_, i) => `acct${i}`);
  const asked: RecordedEvent[] = [];
  let last = 0n;
  for (let i = 0; i < 120; i++) {
    const from = accounts[i % accounts.length]!;
    const to = accounts[(i * 7 + 3) % accounts.length]!;
    if (from === to) continue;
    last = (await store.append(`transfer-${i}`, [{ type: 'TransferAsked', data: { from, to, amount: i + 1 } }])).position;
  }
  for (const runner of runners) await runner.reached(last);
  asked.push(...(await store.readAll()).filter((event) => event.type === 'TransferAsked'));

  for (const account of accounts) {
    const moved = await store.readStream(`ledger-${account}`);
    const expected = asked.filter((event) => {
      const { from, to } = event.data as { from: string; to: string };
      return from === account || to === account;
    });
    t.same(
      moved.map((event) => (event.data as { transfer: string }).transfer),
      expected.map((event) => event.id),
      `ledger-${account}: every transfer once, in the order they were asked`,
    );
  }
  const split = [...handledBy.values()];
  t.ok(split.every((owners) => owners.length === 2), 'each transfer was posted by two commands');
  t.ok(split.some((owners) => owners[0]!.index !== owners[1]!.index), 'some transfers were posted by both instances, one side each');
  for (const [index, runner] of runners.entries()) {
    t.equal(runner.status().name, partitioned(reactionSubscriber('ledger'), layout(2)[index]!), 'each instance keeps its own checkpoint');
    // A batch of only the other instance's work moves the saved checkpoint lazily; stop() saves it.
    await runner.stop();
    t.ok((await store.readCheckpoint(runner.status().name))! >= last, 'and moved it past the last transfer');
  }
});

t.test('two instances split the timers: each payment deadline fires once, in the instance that owns its stream', async (t) => {
  const stores = await openTestStores(t);
  const clock = new ManualClock('2030-01-01T10:00:00.000Z');
  const { payment: definition } = serviceDefinitions({
    config: loadConfig({}),
    store: stores.events,
    reads: stores.reads,
    clock,
    send: () => Promise.reject(new Error('payments send nothing')),
  });
  const instances = layout(2).map(
    (partition) => new RunningService({ ...definition, reactions: [] }, { store: stores.events, reads: stores.reads, clock, manualTime: true, partition }),
  );
  for (const instance of instances) await instance.start();
  t.teardown(() => Promise.all(instances.map((instance) => instance.stop())));

  const paymentIds: string[] = [];
  let last = 0n;
  for (let i = 0; i < 40; i++) {
    const ref = { reservationId: `r${i}`, userId: `u${i}`, concertId: 'c', scheduleId: 's', seatNo: i + 1, amount: 100 };
    const requested = await requestPayment(stores.events, ref, clock.now(), 30_000);
    paymentIds.push(requested.paymentId);
    last = requested.position!;
  }
  for (const instance of instances) await instance.reached(last);
  clock.advance(31_000);
  const fired = await Promise.all(instances.map((instance) => instance.scheduler!.runDue()));
  t.equal(fired[0]! + fired[1]!, 40, 'forty deadlines fired between them');
  t.ok(fired.every((count) => count > 0), `both instances fired some (${fired.join(' and ')})`);
  for (const [i, instance] of instances.entries()) {
    t.equal(await instance.scheduler!.runDue(), 0, `instance ${i + 1} has nothing left to fire`);
  }
  for (const paymentId of paymentIds) {
    const types = (await stores.events.readStream(paymentStream(paymentId))).map((event) => event.type);
    t.same(types, ['PaymentRequested', 'PaymentFailed'], `payment ${paymentId.slice(0, 8)} timed out once`);
  }
});
