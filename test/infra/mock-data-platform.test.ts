import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { waitForOutput } from '../cli/cli.js';

/** The mock data platform's own process, as compose's opt-in `mock` profile runs it. */
const entry = fileURLToPath(new URL('../../dist/infra/mock-data-platform.js', import.meta.url));
if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);

t.test('listens where HOST and MOCK_DATA_PLATFORM_PORT say, receives a reservation and its cancellation, stops on SIGTERM', async (t) => {
  const env = { ...process.env, HOST: '127.0.0.1', MOCK_DATA_PLATFORM_PORT: '0', MOCK_DATA_PLATFORM_FAILURE_RATE: '0', MOCK_DATA_PLATFORM_LATENCY_MS: '0' };
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const line = await waitForOutput(child.stdout, (text) => text.includes('\n'));
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+) \(failure rate 0\)/.exec(line)?.[1];
  t.ok(url, `it says where it listens: ${line.trim()}`);

  const body = { paymentId: 'p1', reservationId: 'r1', userId: 'ana', concertId: 'c1', scheduleId: 's1', seatNo: 1, amount: 100, paidAt: '2030-01-01T10:00:00.000Z' };
  const posted = await fetch(`${url}/reservations`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'p1' }, body: JSON.stringify(body) });
  t.equal(posted.status, 201, 'a new reservation is accepted');
  const kept = (await (await fetch(`${url}/reservations/p1`)).json()) as Record<string, unknown>;
  t.match(kept, { ...body, idempotencyKey: 'p1', attempts: 1 }, 'and kept under its key');

  const cancellation = { paymentId: 'p1', reservationId: 'r1', userId: 'ana', scheduleId: 's1', seatNos: [1], amount: 100, refundedAt: '2030-01-01T11:00:00.000Z', reason: 'USER' };
  const cancelled = await fetch(`${url}/reservations/p1/cancellation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'cancel-p1' },
    body: JSON.stringify(cancellation),
  });
  t.equal(cancelled.status, 201, 'so is its cancellation');
  t.match(await (await fetch(`${url}/cancellations`)).json(), [{ ...cancellation, idempotencyKey: 'cancel-p1', attempts: 1, afterReservation: true }]);

  child.kill('SIGTERM');
  t.equal(await exited, 0, 'stops cleanly');
});
