import t from 'tap';
import { join } from 'node:path';
import { ManualClock } from '../../../infra/clock.js';
import { loadConfig } from '../../../infra/config.js';
import type { EventStore, Position } from '../../../infra/eventstore/port.js';
import type { ReadStore } from '../../../infra/readstore/port.js';
import { SqliteEventStore } from '../../../infra/eventstore/sqlite.js';
import { SqliteReadStore } from '../../../infra/readstore/sqlite.js';
import { serviceDefinitions } from '../../../infra/services.js';
import { RunningService } from '../../../bus/service.js';
import { Projector } from '../../../bus/projector.js';
import { checkpointReached } from '../../../bus/checkpoint-wait.js';
import { load } from '../../../bus/command.js';
import { queueTokens, type QueueTokenDoc } from '../../../projections/queue-tokens.js';
import { issueToken } from '../../../domains/queue/issue-token.js';
import { admitWaiting } from '../../../domains/queue/admit-waiting.js';
import { admissionLine, admissionStream } from '../../../domains/queue/admission-line.js';
import { assertAdmissions, walkAdmissions } from '../../support/admission-log.js';

/**
 * Two queue instances (1 of 2, 2 of 2), each on its own handles of one SQLite
 * event log and read store, as two processes would be; the line model kept by
 * one projector on a third pair of handles. Every round the clock moves, both
 * instances expire their tokens and tick at the same time (twice each), while
 * more tokens are issued, until all of them have been admitted. Then the whole
 * log is walked.
 */
const TOKENS = 2_000;
const MAX_ACTIVE = 100;
const TTL_MS = 1_000;
/** Half a TTL: a token lives two rounds, so slots free while others are still held. */
const STEP_MS = 500;
const FIRST_WAVE = 500;
const WAVE = 200;

interface Handles {
  store: EventStore;
  reads: ReadStore;
}

t.test('two admitting queue instances: never more than QUEUE_MAX_ACTIVE active, admitted in issue order', async (t) => {
  const dir = t.testdir();
  const clock = new ManualClock('2030-01-01T10:00:00.000Z');
  const open = (): Handles => ({
    // NORMAL: this test is about ordering, not power loss; FULL would spend its time in fsync.
    store: new SqliteEventStore({ file: join(dir, 'events.db'), pollMs: 5, now: () => clock.now(), synchronous: 'NORMAL' }),
    reads: new SqliteReadStore({ file: join(dir, 'readmodels.db'), synchronous: 'NORMAL' }),
  });
  const config = loadConfig({ DATA_DIR: dir, QUEUE_MAX_ACTIVE: String(MAX_ACTIVE), QUEUE_TOKEN_TTL_MS: String(TTL_MS) });
  const opened: Handles[] = [];
  const handles = () => {
    const h = open();
    opened.push(h);
    return h;
  };

  const front = handles(); // issues tokens, as the API would
  const projector = new Projector({ store: front.store, reads: front.reads }).add([queueTokens]);

  const instances = [1, 2].map((index) => {
    const own = handles();
    const lineReached = (position: Position) => checkpointReached(own.reads, queueTokens.name, position, 10_000, 5);
    const definition = serviceDefinitions({
      config,
      store: own.store,
      reads: own.reads,
      clock,
      send: () => Promise.reject(new Error('the queue never delivers')),
      lineReached,
    }).queue;
    // As startNode does: the line model is the projector's, not the queue's.
    const service = new RunningService(
      { ...definition, projections: [] },
      { store: own.store, reads: own.reads, clock, manualTime: true, partition: { index, count: 2 }, retry: { attempts: 5, baseMs: 5 } },
    );
    const admitted: string[] = [];
    /** An extra tick of this instance, the ticker's own path, counting what it admitted. */
    const tick = async () => {
      const line = await own.reads.collection<QueueTokenDoc>(queueTokens.collection);
      const tokens = await admitWaiting({ store: own.store, line, lineReached, maxActive: MAX_ACTIVE, ttlMs: TTL_MS }, clock.now());
      admitted.push(...tokens.map((token) => token.tokenId));
    };
    return { service, tick, admitted };
  });
  t.teardown(async () => {
    for (const { service } of instances) await service.stop();
    await projector.stop();
    for (const { store, reads } of opened) {
      await store.close();
      await reads.close();
    }
  });
  await projector.start();
  for (const { service } of instances) await service.start();

  let issued = 0;
  const issueWave = async (count: number) => {
    const users = Array.from({ length: Math.min(count, TOKENS - issued) }, (_, i) => `u${String(issued + i).padStart(5, '0')}`);
    issued += users.length;
    await Promise.all(users.map((user) => issueToken(front.store, user, clock.now())));
  };
  /** Everyone has handled everything: the projector, each instance's reactions and timer model. */
  const settle = async () => {
    for (;;) {
      const head = (await front.store.headPosition()) ?? 0n;
      await Promise.all([projector.reached(head), ...instances.map(({ service }) => service.reached(head))]);
      if (((await front.store.headPosition()) ?? 0n) === head) return;
    }
  };
  const admittedSoFar = async () => {
    const { state } = await load(front.store, admissionLine, admissionStream);
    return state;
  };

  await issueWave(FIRST_WAVE);
  await settle();
  let rounds = 0;
  for (;;) {
    const line = await admittedSoFar();
    if (issued === TOKENS && line.lastAdmitted !== null && (await (await front.reads.collection<QueueTokenDoc>(queueTokens.collection)).count({ status: 'WAITING' })) === 0) break;
    if (++rounds > 400) throw new Error(`not everyone was admitted in 400 rounds (${line.decisions} decisions)`);
    clock.advance(STEP_MS);
    // Both instances fire their due expiries and tick, each twice, while new
    // tokens arrive; who starts first rotates, so each wins some races.
    const work = instances.flatMap(({ service, tick }) => [() => service.advance(), tick]);
    const turn = rounds % work.length;
    await Promise.all([...work.slice(turn), ...work.slice(0, turn)].map((run) => run()).concat(issueWave(WAVE)));
    await settle();
  }
  t.comment(`${rounds} rounds`);

  assertAdmissions(t, await walkAdmissions(front.store, MAX_ACTIVE), TOKENS, MAX_ACTIVE);
  const [one, two] = instances.map(({ admitted }) => admitted.length);
  t.ok(one! > 0 && two! > 0, `both instances admitted (instance 1: ${one}, instance 2: ${two} by their extra ticks)`);
});
