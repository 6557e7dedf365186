import t from 'tap';
import { sagaStore } from './saga-store.js';
import { cli, jsonLines } from './cli.js';
import { openTestStores } from '../support/stores.js';
import { startTestSystem } from '../support/system.js';
import { rankingStream } from '../../domains/ranking/sellout.js';
import { queueTokens, type QueueTokenDoc } from '../../projections/queue-tokens.js';

interface Result {
  id: number;
  ok: boolean;
  counts: Record<string, number>;
  violations: string[];
}

t.test('check passes on a store the saga wrote', async (t) => {
  const saga = await sagaStore(t);
  const result = await cli(saga.dataDir, ['check']);
  t.equal(result.code, 0, result.stderr);
  for (const id of [1, 2, 3, 4, 5, 7, 8]) t.match(result.stdout, new RegExp(`^PASS  ${id}\\. `, 'm'), `invariant ${id}`);
  t.match(result.stdout, 'all 10 invariants hold');
  const json = jsonLines<Result>((await cli(saga.dataDir, ['check', '--json'])).stdout);
  t.same(json.map((r) => [r.id, r.ok]), [[1, true], [2, true], [3, true], [4, true], [5, true], [7, true], [7, true], [8, true], [9, true], [10, true]]);
  t.match(json.find((r) => r.id === 2)?.counts, { completed: 2, failed: 1 }, 'it counted what the saga did');
  t.match(json.find((r) => r.id === 5)?.counts, { delivered: 1, deadLettered: 1 });
});

t.test('check fails, exit 1, on a store where a debit drove a balance below zero', async (t) => {
  const { dir, events: store } = await openTestStores(t);
  const at = '2030-01-01T10:00:00.000Z';
  const ref = { paymentId: 'p-zed', reservationId: 'r-zed', userId: 'zed', concertId: 'c', scheduleId: 's', seatNo: 1, amount: 100 };
  await store.append('points-zed', [
    { type: 'PointsCharged', data: { userId: 'zed', chargeId: 'k1', amount: 50, balanceAfter: 50, chargedAt: at } },
    // Written by hand, past the decider that would have refused it.
    { type: 'PointsDebited', data: { ...ref, balanceAfter: -50, debitedAt: at } },
  ]);
  await store.close();

  const result = await cli(dir, ['check']);
  t.equal(result.code, 1);
  t.match(result.stdout, /^FAIL  3\. balances are never negative/m);
  t.match(result.stdout, /✗ points-zed@1: balance -50/);
  t.match(result.stdout, '1 of 10 invariants fail');
  const json = jsonLines<Result>((await cli(dir, ['check', '--json'])).stdout);
  t.match(json.find((r) => r.id === 3), { ok: false, violations: ['points-zed@1: balance -50'] });
});

t.test('check --replay: invariant 6, read only; a tampered read model fails it', async (t) => {
  const saga = await sagaStore(t);
  const head = await saga.system.store.headPosition();
  const passing = await cli(saga.dataDir, ['check', '--replay', '--json']);
  t.equal(passing.code, 0, passing.stderr);
  t.match(jsonLines<Result>(passing.stdout).find((r) => r.id === 6), { ok: true, counts: { projections: 16, reactionAppends: 0 } });
  t.equal(await saga.system.store.headPosition(), head, 'replaying every reaction appended nothing');

  const tokens = await saga.system.reads.collection<QueueTokenDoc>(queueTokens.collection);
  const doc = await tokens.get(saga.token.ticket.tokenId);
  await tokens.upsert({ ...doc!, status: 'WAITING' });
  const failing = await cli(saga.dataDir, ['check', '--replay']);
  t.equal(failing.code, 1);
  t.match(failing.stdout, /^FAIL  6\. .*\n +✗ projection queue-tokens differs after a rebuild$/m);
  t.equal((await tokens.get(saga.token.ticket.tokenId))?.status, 'WAITING', 'check only looked: the model is as it was');
});

t.test('check --replay fails when a reaction never ran: a replay would append its events', async (t) => {
  const system = await startTestSystem(t, { without: ['ranking'] });
  const schedule = await system.openSchedule(2, 100);
  await system.settle();
  const result = await cli(system.config.dataDir, ['check', '--replay']);
  t.equal(result.code, 1);
  t.match(result.stdout, /✗ replaying reactions appended 1 events/, 'the RankingOpened nobody wrote');
  t.same(await system.streamTypes(rankingStream(schedule.scheduleId)), [], 'and check wrote none of it');
});
