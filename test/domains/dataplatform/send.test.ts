import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import t, { type Test } from 'tap';
import type { CancellationPayload, DeliveryPayload, Message } from '../../../domains/dataplatform/events.js';
import { isRetryable } from '../../../domains/dataplatform/outcome.js';
import { dataPlatformSender } from '../../../domains/dataplatform/send.js';

const payload: DeliveryPayload = {
  paymentId: 'pay-1',
  reservationId: 'res-1',
  userId: 'u-1',
  concertId: 'c-1',
  scheduleId: 's-1',
  seatNo: 7,
  amount: 3000,
  paidAt: '2030-01-01T10:00:02.000Z',
};
const reservation: Message = { payload };

const cancellation: CancellationPayload = {
  paymentId: 'pay-1',
  reservationId: 'res-1',
  userId: 'u-1',
  scheduleId: 's-1',
  seatNos: [7, 8],
  amount: 6000,
  refundedAt: '2030-01-01T11:00:00.000Z',
  reason: 'USER',
};

/** A receiver that answers what the test asks for through the `answer` variable. */
async function receiver(t: Test) {
  const seen: Array<{ url: string; key: string | undefined; contentType: string | undefined; body: unknown }> = [];
  let answer: { status: number; body: string; delayMs?: number } = { status: 201, body: '{}' };
  const app = Fastify();
  app.post('/base/reservations', record);
  app.post('/base/reservations/:paymentId/cancellation', record);
  async function record(request: FastifyRequest, reply: FastifyReply) {
    seen.push({
      url: request.url,
      key: request.headers['idempotency-key'] as string | undefined,
      contentType: request.headers['content-type'],
      body: request.body,
    });
    if (answer.delayMs) await sleep(answer.delayMs);
    return reply.code(answer.status).type('text/plain').send(answer.body);
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/base`,
    seen,
    answer: (next: typeof answer) => {
      answer = next;
    },
  };
}

t.test('2xx is success; the request carries the key and the JSON body', async (t) => {
  const server = await receiver(t);
  const send = dataPlatformSender({ url: `${server.url}/` }); // a trailing slash is fine
  server.answer({ status: 201, body: '{"ok":true}' });
  t.same(await send(reservation), { ok: true, status: 201 });
  server.answer({ status: 200, body: '' });
  t.same(await send(reservation), { ok: true, status: 200 });
  t.same(server.seen[0], { url: '/base/reservations', key: 'pay-1', contentType: 'application/json', body: payload });
});

t.test('a cancellation goes to its own URL under its own key, with its own body', async (t) => {
  const server = await receiver(t);
  const send = dataPlatformSender({ url: server.url });
  server.answer({ status: 201, body: '{"ok":true}' });
  t.same(await send({ kind: 'cancellation', payload: cancellation }), { ok: true, status: 201 });
  t.same(server.seen, [
    { url: '/base/reservations/pay-1/cancellation', key: 'cancel-pay-1', contentType: 'application/json', body: cancellation },
  ]);
  server.answer({ status: 503, body: 'later' });
  t.same(await send({ kind: 'cancellation', payload: cancellation }), { ok: false, status: 503, error: 'HTTP 503: later' }, 'the same outcomes as a reservation');
});

t.test("a cancellation's paymentId is escaped in its path", async (t) => {
  const server = await receiver(t);
  await dataPlatformSender({ url: server.url })({ kind: 'cancellation', payload: { ...cancellation, paymentId: 'a/b c' } });
  t.match(server.seen[0], { url: '/base/reservations/a%2Fb%20c/cancellation', key: 'cancel-a/b c' });
});

t.test('503 is a retryable failure with the status and a bit of the body', async (t) => {
  const server = await receiver(t);
  server.answer({ status: 503, body: 'maintenance' });
  const outcome = await dataPlatformSender({ url: server.url })(reservation);
  t.same(outcome, { ok: false, status: 503, error: 'HTTP 503: maintenance' });
  t.ok(!outcome.ok && isRetryable(outcome.status));
});

t.test('a long error body is cut short', async (t) => {
  const server = await receiver(t);
  server.answer({ status: 500, body: 'x'.repeat(10_000) });
  const outcome = await dataPlatformSender({ url: server.url })(reservation);
  t.ok(!outcome.ok && outcome.error.length < 300, 'at most a couple of hundred characters');
});

t.test('400 is a failure that is not retried', async (t) => {
  const server = await receiver(t);
  server.answer({ status: 400, body: 'bad seatNo' });
  const outcome = await dataPlatformSender({ url: server.url })(reservation);
  t.same(outcome, { ok: false, status: 400, error: 'HTTP 400: bad seatNo' });
  t.notOk(!outcome.ok && isRetryable(outcome.status));
});

t.test('429 is retryable', async (t) => {
  const server = await receiver(t);
  server.answer({ status: 429, body: '' });
  const outcome = await dataPlatformSender({ url: server.url })(reservation);
  t.same(outcome, { ok: false, status: 429, error: 'HTTP 429' });
  t.ok(!outcome.ok && isRetryable(outcome.status));
});

t.test('no answer within the timeout: a network failure (status null), retryable', async (t) => {
  const server = await receiver(t);
  // The answer comes far later than the timeout, so that giving up at the timeout shows even on a loaded machine.
  server.answer({ status: 200, body: 'late', delayMs: 5_000 });
  const started = Date.now();
  const outcome = await dataPlatformSender({ url: server.url, timeoutMs: 100 })(reservation);
  t.ok(Date.now() - started < 4_000, 'gave up at the timeout, not at the answer');
  t.same(outcome, { ok: false, status: null, error: 'no answer within 100 ms' });
  t.ok(!outcome.ok && isRetryable(outcome.status));
});

t.test('connection refused: a network failure (status null) that says why', async (t) => {
  // A port that was just free: listen, note it, close.
  const app = Fastify();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  await app.close();
  const outcome = await dataPlatformSender({ url: `http://127.0.0.1:${port}` })(reservation);
  t.equal(outcome.ok, false);
  t.ok(!outcome.ok && outcome.status === null, 'no status');
  t.match(!outcome.ok && outcome.error, /ECONNREFUSED/);
});

t.test('isRetryable', async (t) => {
  const retryable = [null, 408, 429, 500, 502, 503, 504, 599].filter(isRetryable);
  t.same(retryable, [null, 408, 429, 500, 502, 503, 504, 599]);
  t.same([400, 401, 403, 404, 409, 410, 422, 302].filter(isRetryable), []);
});
