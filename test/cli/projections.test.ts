import t from 'tap';
import { sagaStore } from './saga-store.js';
import { cli, jsonLines } from './cli.js';
import { allProjections } from '../../projections/index.js';
import { queueTokens, type QueueTokenDoc } from '../../projections/queue-tokens.js';

interface Listed {
  name: string;
  checkpoint: string | null;
  head: string;
  lag: string;
  behind: number;
}

interface Rebuilt {
  projection: string;
  events: number;
  identical: boolean;
  differences: Array<{ id: string; kind: string }>;
}

t.test('projections', async (t) => {
  const saga = await sagaStore(t);
  const { dataDir, system } = saga;

  t.test('lists every read model and every service timer model, with checkpoint and lag', async (t) => {
    const result = await cli(dataDir, ['projections', '--json']);
    t.equal(result.code, 0, result.stderr);
    const rows = jsonLines<Listed>(result.stdout);
    const names = rows.map((r) => r.name);
    for (const projection of allProjections) t.ok(names.includes(projection.name), projection.name);
    for (const timers of ['timers-reservation', 'timers-payment', 'timers-queue', 'timers-dataplatform']) t.ok(names.includes(timers), timers);
    t.equal(new Set(names).size, names.length, 'each once');
    const head = String(await system.store.headPosition());
    const row = (name: string) => rows.find((r) => r.name === name)!;
    t.match(row('queue-tokens'), { head, behind: 0 }, 'the queue runs its line: nothing of it is unread');
    t.match(row('payments'), { checkpoint: null, lag: head, behind: 6 }, 'no API runs here: the payments model has read nothing of 3 payments');
    const human = await cli(dataDir, ['projections']);
    t.match(human.stdout, /queue-tokens +\d+ +\d+ +up to date/);
    t.match(human.stdout, /payments +— +\d+ +6\n/);
  });

  t.test('rebuild all: every model rebuilt from 0 equals the live one', async (t) => {
    const result = await cli(dataDir, ['projections', 'rebuild', 'all']);
    t.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    t.equal(lines.length, allProjections.length + 4);
    for (const line of lines) t.match(line, /^[\w-]+: \d+ events in [\d.]+ s \(\d+ events\/s\) — IDENTICAL$/);
    const json = await cli(dataDir, ['projections', 'rebuild', queueTokens.name, '--json']);
    t.match(jsonLines<Rebuilt>(json.stdout), [{ projection: 'queue-tokens', events: 4, identical: true, differences: [] }]);
  });

  t.test('a live model that a rebuild would change is reported, by id, with exit 1', async (t) => {
    const tokens = await system.reads.collection<QueueTokenDoc>(queueTokens.collection);
    const tokenId = saga.token.ticket.tokenId;
    const doc = await tokens.get(tokenId);
    t.equal(doc?.status, 'EXPIRED', 'ana paid: her token is spent');
    await tokens.upsert({ ...doc!, status: 'ACTIVE' });
    const result = await cli(dataDir, ['projections', 'rebuild', 'queue-tokens']);
    t.equal(result.code, 1);
    t.match(result.stdout, 'queue-tokens: 4 events'); // issued, admitted, activated, expired
    t.match(result.stdout, /DIFFERENT in 1 documents\n +changed +([\w-]+)/);
    t.match(result.stdout, tokenId);
    t.equal((await tokens.get(tokenId))?.status, 'EXPIRED', 'and the rebuild has put it right');
  });

  t.test('an unknown name lists the known ones, exit 1', async (t) => {
    const result = await cli(dataDir, ['projections', 'rebuild', 'nope']);
    t.equal(result.code, 1);
    t.match(result.stderr, /no projection named nope; there are: all, concerts, .*queue-tokens.*timers-payment/);
  });
});
