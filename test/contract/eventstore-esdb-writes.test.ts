import t from 'tap';
import { v4 as uuid } from 'uuid';
import { EsdbEventStore } from '../../infra/eventstore/esdb.js';
import { ScriptedEventStoreDB } from '../support/esdb-scripted.js';

/**
 * What the EventStoreDB adapter writes, and what writing costs it, against a
 * scripted server (see test/support/esdb-scripted.ts) that counts every call.
 */

function open() {
  const server = new ScriptedEventStoreDB();
  const store = EsdbEventStore.over(server.client);
  return { server, store };
}

t.test("EventStoreDB's correlation convention: $correlationId and $causationId on the server, ours in the code", async (t) => {
  const { server, store } = open();
  t.teardown(() => store.close());
  await store.append('seat-1', [{ id: uuid(), type: 'Held', data: {}, metadata: { correlationId: 'pay-1', causationId: 'cmd-1', by: 'ana' } }]);
  t.same(server.log.find((e) => e.streamId === 'seat-1')!.metadata, { $correlationId: 'pay-1', $causationId: 'cmd-1', by: 'ana' }, 'stored as the server names them');
  const [read] = await store.readStream('seat-1');
  t.same(read!.metadata, { correlationId: 'pay-1', causationId: 'cmd-1', by: 'ana' }, 'read back as the rest of the code names them');
});
