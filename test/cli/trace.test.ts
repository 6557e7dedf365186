import t from 'tap';
import { sagaStore } from './saga-store.js';
import { cli, jsonLines } from './cli.js';

interface TraceLine {
  type?: string;
  streamId?: string;
  service?: string;
  depth?: number;
  causedBy?: string;
  viaTimer?: boolean;
  id?: string;
  outcome?: { status: string; reason?: string; compensations: string[]; delivery?: string };
}

t.test('trace', async (t) => {
  const saga = await sagaStore(t);
  const { dataDir } = saga;

  t.test('a compensated payment: how it failed and what undid it, as a causation tree', async (t) => {
    const result = await cli(dataDir, ['trace', saga.poor.paymentId]);
    t.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    t.match(lines[0], `${saga.poor.paymentId}: FAILED (INSUFFICIENT_BALANCE)`);
    t.match(lines[1], 'userId=carl');
    t.match(result.stdout, /compensated by: SeatReleased/);
    const tree = lines.filter((line) => /[├└]─/.test(line));
    const at = (type: string) => tree.find((line) => line.includes(` ${type} `)) ?? '';
    // Depth is the indent before the branch: each step sits under its cause.
    const depth = (type: string) => at(type).search(/[├└]─/) / 3;
    t.match(at('SeatHeld'), /\[request\] SeatHeld +reservation/, 'the hold starts it, from outside');
    t.equal(depth('PaymentRequested'), 0);
    t.equal(depth('SeatReserved'), 1, 'under PaymentRequested');
    t.equal(depth('DebitFailed'), 2, 'under SeatReserved');
    t.equal(depth('PaymentFailed'), 3, 'under DebitFailed');
    t.equal(depth('SeatReleased'), 3, 'the release under DebitFailed too');
    t.match(at('DebitFailed'), /point +points-carl@1 +#\d+ +\+\d+ms +reason=INSUFFICIENT_BALANCE balance=50/);
  });

  t.test('--json: every event with its cause and depth, then the outcome', async (t) => {
    const result = await cli(dataDir, ['trace', saga.poor.paymentId, '--json']);
    t.equal(result.code, 0, result.stderr);
    const lines = jsonLines<TraceLine>(result.stdout);
    const outcome = lines.at(-1)!.outcome;
    t.match(outcome, { status: 'FAILED', reason: 'INSUFFICIENT_BALANCE' });
    t.ok(outcome?.compensations.includes('SeatReleased'));
    const events = lines.slice(0, -1);
    const byType = new Map(events.map((e) => [e.type, e]));
    t.equal(byType.get('DebitFailed')?.causedBy, byType.get('SeatReserved')?.id, 'DebitFailed was caused by SeatReserved');
    t.equal(byType.get('PaymentFailed')?.causedBy, byType.get('DebitFailed')?.id);
    t.equal(byType.get('SeatReleased')?.service, 'reservation');
    t.notOk(events.some((e) => e.streamId?.startsWith('points-ana')), 'nothing of another saga');
  });

  t.test('a happy payment, traced by its reservation id: the same saga, completed and delivered', async (t) => {
    const result = await cli(dataDir, ['trace', saga.happy.hold.reservationId, '--json']);
    t.equal(result.code, 0, result.stderr);
    const lines = jsonLines<TraceLine>(result.stdout);
    t.match(lines.at(-1)!.outcome, { status: 'COMPLETED', delivery: 'SUCCEEDED', compensations: [] });
    const types = lines.slice(0, -1).map((l) => l.type);
    for (const type of ['SeatHeld', 'PaymentRequested', 'SeatReserved', 'PointsDebited', 'PaymentCompleted', 'QueueTokenExpired', 'SeatSaleCounted', 'DeliveryScheduled', 'DeliverySucceeded']) {
      t.ok(types.includes(type), `includes ${type}`);
    }
    const delivered = lines.find((l) => l.type === 'DeliverySucceeded');
    t.equal(delivered?.viaTimer, true, 'the delivery attempt was fired by a timer');
    t.equal(delivered?.causedBy, lines.find((l) => l.type === 'DeliveryScheduled')?.id, 'and hangs under the event that set it');
  });

  t.test('--format mermaid: a sequence diagram with the services as participants', async (t) => {
    const result = await cli(dataDir, ['trace', saga.poor.paymentId, '--format', 'mermaid']);
    t.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    t.equal(lines[0], 'sequenceDiagram');
    for (const participant of ['client', 'reservation', 'payment', 'point']) t.ok(lines.includes(`    participant ${participant}`), participant);
    t.ok(lines.includes('    client->>payment: PaymentRequested'), 'the request comes from outside');
    t.ok(lines.includes('    payment->>reservation: SeatReserved'), 'PaymentRequested (payment) made reservation record SeatReserved');
    t.ok(lines.includes('    reservation->>point: DebitFailed (INSUFFICIENT_BALANCE)'));
    t.ok(lines.includes('    point->>payment: PaymentFailed (INSUFFICIENT_BALANCE)'));
    t.ok(lines.includes('    point->>reservation: SeatReleased (INSUFFICIENT_BALANCE)'), 'the compensation');
    t.equal(lines.at(-1), '    Note over payment: FAILED: INSUFFICIENT_BALANCE');
  });

  t.test('an id with no events: exit 1 and says so', async (t) => {
    const result = await cli(dataDir, ['trace', 'no-such-payment']);
    t.equal(result.code, 1);
    t.equal(result.stdout, '');
    t.match(result.stderr, 'no events for no-such-payment');
  });
});
