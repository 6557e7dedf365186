import t from 'tap';
import { planCluster, restartDelay, RESTART_BACKOFF, workerName } from '../../infra/cluster.js';
import { ROLES } from '../../infra/runner.js';
import { SERVICE_NAMES } from '../../infra/services.js';
import { loadConfig } from '../../infra/config.js';

/** The cluster's layout and restart policy, as pure functions: no process is started here. */

t.test('CLUSTER_INSTANCES of every service and of the api, one projector, all under one SERVICE_INSTANCES', async (t) => {
  const plan = planCluster(3, { QUEUE_SECRET: 'q' });
  t.equal(plan.length, 3 * SERVICE_NAMES.length + 3 + 1);
  t.same(new Set(plan.map((w) => w.role)), new Set(ROLES), 'every role runs');
  t.same(plan.filter((w) => w.role === 'projector').map(workerName), ['projector 1/1'], 'one projector: each read model has one writer');
  for (const role of ROLES.filter((r) => r !== 'projector')) {
    const mine = plan.filter((w) => w.role === role);
    t.same(mine.map((w) => w.env.SERVICE_INSTANCE), ['1', '2', '3'], `${role}: instances 1..3`);
  }
  t.same(new Set(plan.map((w) => w.env.SERVICE_INSTANCES)), new Set(['3']), 'every worker of the layout has the same SERVICE_INSTANCES');
  t.ok(plan.every((w) => w.env.QUEUE_SECRET === 'q'), 'what the primary made up reaches every worker');
  t.equal(plan[0]!.role, 'projector', 'the projector starts first: the api and the queue wait on its models');
  t.same(new Set(plan.map(workerName)).size, plan.length, 'each worker has a name of its own (what a restart keeps)');
});

t.test('one instance: the same roles, SERVICE_INSTANCES=1 (the plain checkpoints a single process keeps)', async (t) => {
  const plan = planCluster(1);
  t.equal(plan.length, ROLES.length);
  t.ok(plan.every((w) => w.env.SERVICE_INSTANCE === '1' && w.env.SERVICE_INSTANCES === '1'));
  t.throws(() => planCluster(0), RangeError);
});

t.test('restart backoff: doubles while a worker keeps dying quickly, resets once it ran steadily', async (t) => {
  const { firstMs, maxMs, steadyMs } = RESTART_BACKOFF;
  t.equal(restartDelay(null, 5), firstMs, 'the first death waits the shortest');
  let delay = firstMs;
  const seen = [delay];
  for (let i = 0; i < 10; i++) seen.push((delay = restartDelay(delay, 100)));
  t.same(seen.slice(0, 4), [firstMs, firstMs * 2, firstMs * 4, firstMs * 8], 'each quick death doubles the wait');
  t.equal(seen.at(-1), maxMs, 'up to a cap');
  t.equal(restartDelay(maxMs, steadyMs), firstMs, 'a worker that ran steadily before dying is restarted at once again');
});

t.test('CLUSTER_INSTANCES: default 2, at most 16 (it becomes SERVICE_INSTANCES)', async (t) => {
  t.equal(loadConfig({}).clusterInstances, 2);
  t.equal(loadConfig({ CLUSTER_INSTANCES: '16' }).clusterInstances, 16);
  t.throws(() => loadConfig({ CLUSTER_INSTANCES: '17' }), /CLUSTER_INSTANCES must be at most 16/);
  t.throws(() => loadConfig({ CLUSTER_INSTANCES: '0' }), /CLUSTER_INSTANCES must be an integer ≥ 1/);
  t.same(loadConfig({ SERVICE_INSTANCE: '2', SERVICE_INSTANCES: '2' }).partition, { index: 2, count: 2 });
  t.throws(() => loadConfig({ SERVICE_INSTANCE: '3', SERVICE_INSTANCES: '2' }), /SERVICE_INSTANCE must be from 1/);
});
