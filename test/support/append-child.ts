/**
 * A second process on the same SQLite file, for the contract suite:
 *   append-child <file> once <streamId> <type>   append one event, report it, exit
 *   append-child <file> load <writers>           append forever from concurrent writers,
 *                                                reporting each acknowledged append, until killed
 */
import { v4 as uuid } from 'uuid';
import { SqliteEventStore } from '../../infra/eventstore/sqlite.js';

const [file, mode, ...rest] = process.argv.slice(2);
const store = new SqliteEventStore({ file: file! });
const report = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

if (mode === 'once') {
  const [streamId, type] = rest;
  const result = await store.append(streamId!, [{ id: uuid(), type: type!, data: { pid: process.pid } }]);
  await report({ acked: { streamId, position: String(result.position), at: Date.now() } });
  await store.close();
  process.exit(0);
} else {
  const writers = Number(rest[0] ?? 16);
  await report({ ready: true });
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let revision = 0; ; revision++) {
        const id = uuid();
        await store.append(`load-${process.pid}-${w}`, [{ id, type: 'Load', data: { w, revision } }], revision === 0 ? 'no_stream' : revision - 1);
        process.send!({ acked: { streamId: `load-${process.pid}-${w}`, revision, id } });
      }
    }),
  );
}
