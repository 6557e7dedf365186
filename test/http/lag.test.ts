import t from 'tap';
import { join } from 'node:path';
import { lagOf } from '../../infra/http/lag.js';
import { positions, type Subscriber } from '../../infra/http/subscribers.js';
import { SqliteReadStore } from '../../infra/readstore/sqlite.js';
import type { EventStore, Position } from '../../infra/eventstore/port.js';

/** EventStoreDB's packing: the commit position in the high 64 bits, the prepare position in the low. */
const packed = (commit: bigint, prepare: bigint) => (commit << 64n) | prepare;
const wide = 1n << 64n;

t.test('SQLite: the lag is the events between, exact past 2^64', async (t) => {
  t.same(lagOf('sqlite', wide + 10n, wide + 3n), { behind: true, lag: 7, unit: 'events' });
  t.not(Number(wide + 10n) - Number(wide + 3n), 7, 'where a difference of Numbers is not');
  t.same(lagOf('sqlite', wide + 10n, wide + 10n), { behind: false, lag: 0, unit: 'events' }, 'caught up');
  t.same(lagOf('sqlite', 10n, 12n), { behind: false, lag: 0, unit: 'events' }, 'a live position ahead of a head read a moment earlier');
  t.same(lagOf('sqlite', 42n, null), { behind: true, lag: 42, unit: 'events' }, 'never ran: the whole log');
  t.same(lagOf('sqlite', 0n, null), { behind: false, lag: 0, unit: 'events' }, 'an empty log is no lag');
});

t.test('EventStoreDB: the lag is bytes of transaction log, never a difference of packed positions', async (t) => {
  const head = packed(5_000n, 4_990n);
  t.same(lagOf('eventstoredb', head, packed(4_000n, 3_990n)), { behind: true, lag: 1_000, unit: 'bytes' });
  t.ok(Number(head - packed(4_000n, 3_990n)) > 1e22, 'the packed difference would read as ~10^22 positions');
  t.same(lagOf('eventstoredb', head, packed(5_000n, 4_800n)), { behind: true, lag: 0, unit: 'bytes' }, 'behind within one transaction: 0 bytes, yet behind');
  t.same(lagOf('eventstoredb', head, head), { behind: false, lag: 0, unit: 'bytes' });
  t.same(lagOf('eventstoredb', head, null), { behind: true, lag: 5_000, unit: 'bytes' }, 'never ran: the whole log');
});

t.test('positions: checkpoints past 2^64 reported exactly, from the read store and the event store', async (t) => {
  const reads = new SqliteReadStore({ file: join(t.testdir(), 'readmodels.db') });
  t.teardown(() => reads.close());
  await reads.commit([{ projection: 'seats', position: wide + 1n, changes: [] }]);
  await reads.commit([{ projection: 'payments', position: wide + 5n, changes: [] }]);
  const head = wide + 5n;
  const checkpoints = new Map<string, Position>([['reactions-point', wide + 4n]]);
  const events: Pick<EventStore, 'kind' | 'headPosition' | 'readCheckpoint'> = {
    kind: 'sqlite',
    headPosition: async () => head,
    readCheckpoint: async (name) => checkpoints.get(name) ?? null,
  };
  const list: Subscriber[] = [
    { name: 'seats', kind: 'read-model', store: 'reads' },
    { name: 'payments', kind: 'read-model', store: 'reads' },
    { name: 'reactions-point', kind: 'reactions', store: 'events' },
    { name: 'timers-point', kind: 'timers', store: 'reads' },
  ];
  const found = await positions(events, reads, list, (name) => (name === 'seats' ? wide + 2n : null));
  t.same(found, [
    { name: 'seats', kind: 'read-model', position: (wide + 2n).toString(), head: head.toString(), behind: true, lag: 3, lagUnit: 'events' },
    { name: 'payments', kind: 'read-model', position: (wide + 5n).toString(), head: head.toString(), behind: false, lag: 0, lagUnit: 'events' },
    { name: 'reactions-point', kind: 'reactions', position: (wide + 4n).toString(), head: head.toString(), behind: true, lag: 1, lagUnit: 'events' },
    { name: 'timers-point', kind: 'timers', position: null, head: head.toString(), behind: true, lag: Number(head), lagUnit: 'events' },
  ]);
});
