import t from 'tap';
import { sagaStore } from './saga-store.js';
import { cli, finished, jsonLines, startCli, waitForOutput } from './cli.js';
import { paymentStream } from '../../domains/payment/payment.js';

interface EventLine {
  position: string;
  streamId: string;
  revision: number;
  type: string;
  created: string;
  data: Record<string, unknown>;
  metadata: { correlationId?: string };
}

t.test('tail', async (t) => {
  const saga = await sagaStore(t);
  const { system, dataDir } = saga;

  t.test('--from end --json shows an event appended after it started, then stops at --limit', async (t) => {
    const child = startCli(dataDir, ['tail', '--from', 'end', '--json', '--limit', '1']);
    const done = finished(child);
    await waitForOutput(child.stderr, (text) => text.includes('following'));
    const charged = await system.charge('erin', 70);
    const result = await done;
    t.equal(result.code, 0, result.stderr);
    const [line, ...rest] = jsonLines<EventLine>(result.stdout);
    t.same(rest, [], 'one event, as --limit says');
    t.match(line, { streamId: 'points-erin', revision: 0, type: 'PointsCharged', data: { userId: 'erin', amount: 70 } });
    t.equal(line!.position, String(charged.position), 'the position is the one the append got, as a string');
  });

  t.test('--from start --category payment lists the payments in global order', async (t) => {
    const result = await cli(dataDir, ['tail', '--from', 'start', '--category', 'payment', '--json', '--limit', '6']);
    t.equal(result.code, 0, result.stderr);
    const lines = jsonLines<EventLine>(result.stdout);
    t.same(
      lines.map((l) => `${l.streamId}:${l.type}`),
      [
        `${paymentStream(saga.happy.paymentId)}:PaymentRequested`,
        `${paymentStream(saga.happy.paymentId)}:PaymentCompleted`,
        `${paymentStream(saga.poor.paymentId)}:PaymentRequested`,
        `${paymentStream(saga.poor.paymentId)}:PaymentFailed`,
        `${paymentStream(saga.refused.paymentId)}:PaymentRequested`,
        `${paymentStream(saga.refused.paymentId)}:PaymentCompleted`,
      ],
    );
    const positions = lines.map((l) => BigInt(l.position));
    t.ok(positions.every((p, i) => i === 0 || p > positions[i - 1]!), 'positions rise');
  });

  t.test('--correlation and --type narrow it to one saga', async (t) => {
    const result = await cli(dataDir, ['tail', '--from', 'start', '--correlation', saga.poor.paymentId, '--type', 'DebitFailed', 'SeatReleased', '--json', '--limit', '2']);
    t.equal(result.code, 0, result.stderr);
    const lines = jsonLines<EventLine>(result.stdout);
    t.same(lines.map((l) => l.type), ['DebitFailed', 'SeatReleased']);
    t.ok(lines.every((l) => l.metadata.correlationId === saga.poor.paymentId));
  });

  t.test('--from <position> is inclusive, and the human line shows stream@revision, type and data', async (t) => {
    // As the CLI's process reads it: the test clock's time on the embedded store, the server's own on EventStoreDB.
    const [first] = await system.stores.stored.readStream(paymentStream(saga.poor.paymentId));
    const result = await cli(dataDir, ['tail', '--from', String(first!.position), '--limit', '1']);
    t.equal(result.code, 0, result.stderr);
    const line = result.stdout.trim();
    t.match(line, new RegExp(`^\\s*${first!.position}  ${paymentStream(saga.poor.paymentId)}@0  PaymentRequested  ${first!.created.toISOString()}  `));
    t.match(line, `userId=carl`);
    t.notMatch(line, /\u001b\[/, 'no colour codes under NO_COLOR');
  });

  t.test('runs until SIGTERM, then exits 0', async (t) => {
    const child = startCli(dataDir, ['tail']);
    const done = finished(child);
    await waitForOutput(child.stderr, (text) => text.includes('following'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    t.equal(child.exitCode, null, 'still following before the signal: nothing else ends it');
    child.kill('SIGTERM');
    const result = await done;
    t.equal(result.signal, null, 'it handled the signal rather than dying of it');
    t.equal(result.code, 0);
  });

  t.test('service names given as categories: exit 2 at once, naming the categories, instead of waiting forever', async (t) => {
    const result = await cli(dataDir, ['tail', '--category', 'reservation', 'point']);
    t.equal(result.code, 2);
    t.equal(result.stdout, '', 'nothing followed');
    t.match(result.stderr, /--category reservation: no such stream category \(reservation is a service; its streams are seat-…\)/);
    t.match(result.stderr, /the categories are: concert, seat, holdings, payment, points, queue, admission, ranking, delivery, parked/);
  });

  t.test('an unknown event type: exit 2, naming the types', async (t) => {
    const result = await cli(dataDir, ['tail', '--type', 'PaymentFailed', 'PaymentFaild']);
    t.equal(result.code, 2);
    t.match(result.stderr, /--type PaymentFaild: no such event type; the types are: .*PaymentFailed/);
  });

  t.test('a stream outside the categories asked for: exit 2, they cannot combine', async (t) => {
    const result = await cli(dataDir, ['tail', '--stream', paymentStream(saga.poor.paymentId), '--category', 'seat']);
    t.equal(result.code, 2);
    t.match(result.stderr, /is in category payment, not in --category seat: together they match nothing/);
    const unknown = await cli(dataDir, ['tail', '--stream', 'carl']);
    t.equal(unknown.code, 2, 'nor a stream of no category');
    t.match(unknown.stderr, /--stream carl: not a stream of any category/);
  });

  t.test('stream AND category AND type AND correlation: every filter applies', async (t) => {
    const stream = paymentStream(saga.poor.paymentId);
    const filters = ['--stream', stream, '--category', 'payment', 'seat', '--type', 'PaymentFailed', 'SeatReleased', '--correlation', saga.poor.paymentId];
    const result = await cli(dataDir, ['tail', '--from', 'start', ...filters, '--json', '--limit', '1']);
    t.equal(result.code, 0, result.stderr);
    t.same(jsonLines<EventLine>(result.stdout).map((l) => `${l.streamId}:${l.type}`), [`${stream}:PaymentFailed`], 'the stream did not override the rest: no SeatReleased');
  });

  t.test('a bad --from is a usage error', async (t) => {
    const result = await cli(dataDir, ['tail', '--from', 'yesterday']);
    t.not(result.code, 0);
    t.match(result.stderr, /--from.*expected start, end or a position/s);
  });
});
