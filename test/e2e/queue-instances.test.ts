import t from 'tap';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { RoleProcesses } from '../../bench/support/role-processes.js';
import { issueToken } from '../../domains/queue/issue-token.js';
import { openTestStores } from '../support/stores.js';
import { until } from '../support/until.js';
import { assertAdmissions, walkAdmissions } from '../support/admission-log.js';

/**
 * Queue admission with two queue instances as real processes (SERVICE_INSTANCE
 * 1 and 2 of 2) and the projector keeping the line, all on one SQLite file;
 * the tokens are issued by this test, as an API process would. Both instances
 * tick on their own wall clocks, so they race for each admission; one of them
 * is SIGKILLed and started again while the line is long, so its share of the
 * expiry timers waits for it. Then the whole log is walked: never more than
 * QUEUE_MAX_ACTIVE active at any position, admitted in issue order, once each.
 * (test/domains/queue/admission-instances.test.ts runs the same rules in one
 * process with a manual clock, where the interleavings are chosen.)
 */
const entry = fileURLToPath(new URL('../../dist/infra/main.js', import.meta.url));
const TOKENS = 2_000;
const MAX_ACTIVE = 100;
const WAVE = 500;

t.test('two queue processes admit a 2,000-token line: at most QUEUE_MAX_ACTIVE active, in issue order', { skip: !existsSync(entry) && 'run `npm run build` first (npm test does)' }, async (t) => {
  const stores = await openTestStores(t);
  const processes = new RoleProcesses({
    entry,
    readyTimeoutMs: 300_000,
    env: {
      ...process.env,
      ...stores.env,
      QUEUE_SECRET: 'queue-secret',
      QUEUE_MAX_ACTIVE: String(MAX_ACTIVE),
      // Short lives and frequent ticks, so the line turns over twenty times in seconds.
      QUEUE_TOKEN_TTL_MS: '300',
      QUEUE_ADMIT_INTERVAL_MS: '50',
      TIMER_POLL_MS: '20',
      SERVICE_INSTANCES: '2',
      LOG_LEVEL: 'info',
    },
  });
  t.teardown(() => processes.stopAll());
  const startQueue = (index: number) => processes.start(`queue#${index}`, ['queue'], { SERVICE_INSTANCE: String(index) });
  await Promise.all([processes.start('projector', ['projector']), startQueue(1), startQueue(2)]);

  const activated = async () => (await walkAdmissions(stores.stored, MAX_ACTIVE)).activatedAt.size;
  let issued = 0;
  const issueWave = async () => {
    const users = Array.from({ length: WAVE }, (_, i) => `u${String(issued + i).padStart(5, '0')}`);
    issued += users.length;
    await Promise.all(users.map((user) => issueToken(stores.events, user, new Date())));
  };

  // A wave is issued once the line has moved into the one before it, so new tokens keep arriving while both instances admit.
  for (let wave = 0; wave < TOKENS / WAVE; wave++) {
    await issueWave();
    const moved = issued - WAVE + MAX_ACTIVE;
    await until(`${moved} tokens activated`, async () => ((await activated()) >= moved ? true : undefined), 240_000, 200);
    if (wave === 1) {
      // Instance 1 dies with tokens of its partition active: their expiries wait for its restart, and instance 2 keeps deciding meanwhile.
      await processes.signal('queue#1', 'SIGKILL');
      await startQueue(1);
    }
  }
  await until('every token activated', async () => ((await activated()) === TOKENS ? true : undefined), 240_000, 500);
  await processes.stopAll();

  assertAdmissions(t, await walkAdmissions(stores.stored, MAX_ACTIVE), TOKENS, MAX_ACTIVE);
  t.same(processes.unexpectedExits, [], 'no process died but the one killed on purpose');
});
