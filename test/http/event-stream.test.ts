import t from 'tap';
import { Writable } from 'node:stream';
import { EventStream, sseFrame } from '../../infra/http/event-stream.js';

/**
 * A client that reads only when told: every write waits for `take()`, and
 * with a high-water mark of one byte every write pushes back. What the
 * stream writes, and when, depends on nothing but the calls below.
 */
function slowClient() {
  const written: string[] = [];
  const waiting: Array<() => void> = [];
  const out = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      waiting.push(done);
    },
  });
  /** The client reads one frame; the drain that follows is delivered before this resolves. */
  async function take() {
    waiting.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { out, written, take, pending: () => waiting.length };
}

const frame = (n: number) => sseFrame('event', { n }, String(n));

t.test('a slow client: at most `capacity` frames wait; the rest are skipped and counted, in place, and the stream goes on', async (t) => {
  const client = slowClient();
  const stream = new EventStream(client.out, 3);
  t.ok(stream.send(frame(1)), 'the first frame goes to the socket');
  for (const n of [2, 3, 4]) t.ok(stream.send(frame(n)), `frame ${n} waits in the queue`);
  for (const n of [5, 6, 7, 8, 9]) t.notOk(stream.send(frame(n)), `frame ${n} is dropped: the queue is full`);
  t.same(client.written, [frame(1)], 'nothing more is written while the client does not read');

  while (client.pending() > 0) await client.take();
  t.same(client.written, [frame(1), frame(2), frame(3), frame(4), sseFrame('skipped', { skipped: 5 })], 'the queued frames, then where the gap is and how many');

  t.ok(stream.send(frame(10)), 'once drained, frames are taken again');
  while (client.pending() > 0) await client.take();
  t.equal(client.written.at(-1), frame(10));
});

t.test('two gaps stay two gaps, each after the frames that came before it', async (t) => {
  const client = slowClient();
  const stream = new EventStream(client.out, 1);
  stream.send(frame(1)); // written
  stream.send(frame(2)); // queued
  stream.send(frame(3)); // skipped
  await client.take(); // frame 2 is written; the gap marker waits behind it
  stream.send(frame(4)); // queued behind the marker
  stream.send(frame(5)); // skipped: frame 4 fills the queue
  stream.send(frame(6)); // skipped
  while (client.pending() > 0) await client.take();
  t.same(client.written, [frame(1), frame(2), sseFrame('skipped', { skipped: 1 }), frame(4), sseFrame('skipped', { skipped: 2 })]);
});

t.test('a client that leaves: the queue is given up, nothing more is taken, end() is harmless', async (t) => {
  const client = slowClient();
  const stream = new EventStream(client.out, 10);
  stream.send(frame(1));
  stream.send(frame(2));
  client.out.destroy();
  await new Promise((resolve) => setImmediate(resolve));
  t.ok(stream.closed);
  t.notOk(stream.send(frame(3)), 'refused after close');
  stream.end();
  t.same(client.written, [frame(1)]);
});

t.test('keepalive comments only go out on an idle stream', async (t) => {
  const client = slowClient();
  const stream = new EventStream(client.out, 10);
  stream.comment('keepalive');
  t.same(client.written, [': keepalive\n\n']);
  stream.send(frame(1));
  stream.comment('keepalive');
  while (client.pending() > 0) await client.take();
  t.same(client.written, [': keepalive\n\n', frame(1)], 'a stream that is pushing back needs no keepalive');
});
