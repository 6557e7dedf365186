import t from 'tap';
import { startTestSystem } from '../support/system.js';
import { startTestApi } from '../support/api.js';
import { ReadSide } from '../../infra/http/read-side.js';
import { readModels } from '../../projections/index.js';

/**
 * An API that runs no read model of its own and follows the checkpoints of a
 * read side elsewhere (here a second ReadSide on the same files, as another
 * process would be): read-your-writes must still hold.
 */
t.test('read-your-writes through checkpoints, when another process runs the read models', async (t) => {
  const system = await startTestSystem(t);
  const elsewhere = new ReadSide({ store: system.store, reads: system.reads, projections: readModels });
  await elsewhere.start();
  t.teardown(() => elsewhere.stop());
  // A bound far above any real wait: a lookup that waited it out, rather than for the model, is told apart even on a loaded machine.
  const readYourWritesMs = 20_000;
  const api = await startTestApi(t, system, { projections: [], config: { readYourWritesMs } });
  t.same(api.readSide.names, [], 'this API runs no model itself');

  const concert = await api.registerConcert();
  const scheduleId = concert.schedules[0]!.scheduleId;
  const schedules = await api.inject({ method: 'GET', url: `/concerts/${concert.concertId}/schedules` });
  t.equal(schedules.statusCode, 200, 'the new concert is there at once');
  t.equal(schedules.json().length, 1);

  const token = (await api.inject({ method: 'POST', url: '/queue/tokens', payload: { userId: 'ana' } })).json().token as string;
  await system.settle();
  const headers = { 'queue-token': token };
  await api.inject({ method: 'POST', url: '/users/ana/points/charge', payload: { amount: 500 } });
  t.same((await api.inject({ method: 'GET', url: '/users/ana/points' })).json(), { userId: 'ana', balance: 500 }, 'the charge is there at once');

  // Hold, then pay at once, then read the payment at once.
  const hold = await api.inject({ method: 'POST', url: '/reservations', headers, payload: { scheduleId, seatNo: 2 } });
  t.equal(hold.statusCode, 201);
  const paid = await api.inject({ method: 'POST', url: '/payments', headers, payload: { reservationId: hold.json().reservationId } });
  t.equal(paid.statusCode, 202, 'paying right after holding finds the hold');
  const { paymentId } = paid.json();
  const read = await api.inject({ method: 'GET', url: `/payments/${paymentId}` });
  t.equal(read.statusCode, 200, 'the payment is there right after paying');

  const polled = await api.inject({ method: 'GET', url: `/payments/${paymentId}?waitMs=10000` });
  t.match(polled.json(), { status: 'COMPLETED' }, 'the long poll follows the checkpoint to the end');
  t.equal((await api.inject({ method: 'GET', url: `/payments/${paymentId}/events` })).statusCode, 200);

  const started = Date.now();
  await api.refused(t, { method: 'GET', url: '/reservations/nope' }, 404, 'RESERVATION_NOT_FOUND');
  t.ok(Date.now() - started < readYourWritesMs, 'an unknown id waits for the model to reach the head, not for READ_YOUR_WRITES_MS');
});

t.test('a read side that cannot catch up: the write answers anyway after READ_YOUR_WRITES_MS', async (t) => {
  const system = await startTestSystem(t);
  // Nobody runs the read models at all.
  const api = await startTestApi(t, system, { projections: [], config: { readYourWritesMs: 100 } });
  const started = Date.now();
  const response = await api.inject({ method: 'POST', url: '/users/ana/points/charge', payload: { amount: 5 } });
  t.equal(response.statusCode, 200);
  t.same(response.json(), { userId: 'ana', balance: 5 }, 'the balance comes from the command, not the model');
  // Timers never fire early, so the lower bound holds on any machine; had it waited for a model that never comes, the test would time out.
  t.ok(Date.now() - started >= 90, 'it waited for the model, then answered');
  const lookup = await api.inject({ method: 'GET', url: '/reservations/nope' });
  // It cannot know the id is unknown while the model is behind: a retry, not a 404.
  t.equal(lookup.statusCode, 503, 'a lookup gives up after the same bound');
  t.match(lookup.json(), { code: 'READ_MODEL_BEHIND' });
  t.equal(lookup.headers['retry-after'], '1');
});

t.test('long polls on a model another process runs: woken when its checkpoint moves, by one shared look', async (t) => {
  const system = await startTestSystem(t);
  let looks = 0;
  const reads = new Proxy(system.reads, {
    get(target, property, receiver) {
      if (property !== 'checkpoint') return Reflect.get(target, property, receiver) as unknown;
      return (name: string) => {
        looks += 1;
        return target.checkpoint(name);
      };
    },
  });
  const follower = new ReadSide({ store: system.store, reads, projections: [], pollMs: 5 });
  const waits = Array.from({ length: 20 }, () => follower.changed('payments', 'any', 60_000));
  // The first look wakes those that had seen none yet; from then on a waiter sleeps until the checkpoint moves.
  t.same(await Promise.all(waits), Array(20).fill(true), 'the first look wakes the waiters that had seen no checkpoint');
  const lookedBefore = looks;
  let woken = 0;
  const next = Array.from({ length: 20 }, () => follower.changed('payments', 'any', 60_000).then((moved) => ((woken += 1), moved)));
  const stop = new AbortController();
  const aborted = follower.changed('payments', 'any', 60_000, stop.signal);
  stop.abort();
  t.equal(await aborted, false, 'an aborted long poll ends at once, unwoken');
  // Wait, on the store's own counter and not on a clock, for three more looks with the checkpoint unchanged.
  while (looks < lookedBefore + 3) await new Promise((resolve) => setImmediate(resolve));
  t.equal(woken, 0, 'three looks at an unchanged checkpoint wake nobody');
  await system.reads.commit([{ projection: 'payments', position: 7n, changes: [] }]);
  t.same(await Promise.all(next), Array(20).fill(true), 'all twenty are woken by the move');
  t.equal(await follower.changed('payments', 'any', 1), false, 'a wait with nothing moving times out, unwoken');
});
