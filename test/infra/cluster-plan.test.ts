import t from 'tap';
import { clusterGroups, planCluster, restartDelay, RESTART_BACKOFF, workerName } from '../../infra/cluster.js';
import { ROLES } from '../../infra/runner.js';
import { SERVICE_NAMES } from '../../infra/services.js';
import { loadConfig } from '../../infra/config.js';

/** The cluster's layout and restart policy, as pure functions: no process is started here. */

t.test('CLUSTER_INSTANCES of every service and of the api, one projector, all under one SERVICE_INSTANCES', async (t) => {
  const plan = planCluster(3, { QUEUE_SECRET: 'q' });
  t.equal(plan.length, 3 * SERVICE_NAMES.length + 3 + 1);
  t.ok(plan.every((w) => w.roles.length === 1), 'each role in a process of its own');
  t.same(new Set(plan.flatMap((w) => w.roles)), new Set(ROLES), 'every role runs');
  t.same(plan.filter((w) => w.roles.includes('projector')).map(workerName), ['projector 1/1'], 'one projector: each read model has one writer');
  for (const role of ROLES.filter((r) => r !== 'projector')) {
    const mine = plan.filter((w) => w.roles.includes(role));
    t.same(mine.map((w) => w.env.SERVICE_INSTANCE), ['1', '2', '3'], `${role}: instances 1..3`);
  }
  t.same(new Set(plan.map((w) => w.env.SERVICE_INSTANCES)), new Set(['3']), 'every worker of the layout has the same SERVICE_INSTANCES');
  t.ok(plan.every((w) => w.env.QUEUE_SECRET === 'q'), 'what the primary made up reaches every worker');
  t.same(plan[0]!.roles, ['projector'], 'the projector starts first: the api and the queue wait on its models');
  t.same(new Set(plan.map(workerName)).size, plan.length, 'each worker has a name of its own (what a restart keeps)');
});

t.test('one instance: the same roles, SERVICE_INSTANCES=1 (the plain checkpoints a single process keeps)', async (t) => {
  const plan = planCluster(1);
  t.equal(plan.length, ROLES.length);
  t.ok(plan.every((w) => w.env.SERVICE_INSTANCE === '1' && w.env.SERVICE_INSTANCES === '1'));
  t.throws(() => planCluster(0), RangeError);
});

t.test('CLUSTER_GROUPS: roles that share a process', async (t) => {
  const groups = clusterGroups('api+projector, services', 1);
  t.same(groups, [['api', 'projector'], [...SERVICE_NAMES]], '`services` stands for the seven');
  const plan = planCluster(1, {}, groups);
  t.same(plan.map(workerName), ['api+projector 1/1', `${SERVICE_NAMES.join('+')} 1/1`], 'two processes, the projector’s first');

  const two = planCluster(2, {}, clusterGroups('projector+api,services', 2));
  t.same(two.map(workerName), ['projector+api 1/1', `${SERVICE_NAMES.join('+')} 1/2`, `${SERVICE_NAMES.join('+')} 2/2`], 'the services’ group twice, partitioned; the projector’s once');
  t.same(new Set(two.map((w) => w.env.SERVICE_INSTANCES)), new Set(['2']));

  t.same(clusterGroups(undefined, 2), ROLES.map((role) => [role]), 'unset: each role alone');
  t.throws(() => clusterGroups('api+projector', 1), /must name every role once: missing: concert/, 'a role left out');
  t.throws(() => clusterGroups('api+projector,services,payment', 1), /twice: payment/, 'a role twice');
  t.throws(() => clusterGroups('api+projector,services,billing', 1), /unknown role "billing"/);
  t.throws(() => clusterGroups('projector+payment,api,concert+reservation+point+queue+ranking+dataplatform', 2), /runs once, so with CLUSTER_INSTANCES=2 it can share it with the api only/, 'a service in the projector’s process would lose its other partitions');
  t.ok(clusterGroups('projector+payment,api,concert+reservation+point+queue+ranking+dataplatform', 1), 'which is fine with one instance of everything');
  t.equal(loadConfig({ CLUSTER_GROUPS: 'api+projector,services' }).clusterGroups, 'api+projector,services', 'read from the environment');
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
