import t from 'tap';
import { join } from 'node:path';
import { SqliteReadStore } from '../../infra/readstore/sqlite.js';
import { readStoreContract } from './readstore.contract.js';

t.test('SQLite read store: the contract', async (t) => {
  const dir = t.testdir();
  readStoreContract(t, async () => new SqliteReadStore({ file: join(dir, 'readmodels.db') }));
});

t.test('SQLite read store: names that could smuggle SQL are refused', async (t) => {
  const store = new SqliteReadStore({ file: join(t.testdir(), 'readmodels.db') });
  t.teardown(() => store.close());
  await t.rejects(store.collection({ name: 'x; DROP TABLE y' }), RangeError);
  const ok = await store.collection({ name: 'fine' });
  await t.rejects(ok.find({ where: { "a') OR 1=1 --": 1 } }), RangeError);
});
