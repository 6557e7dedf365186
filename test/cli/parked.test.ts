import t from 'tap';
import { startTestSystem } from '../support/system.js';
import { cli, jsonLines } from './cli.js';
import { park, parkedStream } from '../../bus/parking.js';
import { reactionSubscriber } from '../../bus/reactions.js';
import { derivedEventId } from '../../bus/ids.js';
import { seatStream } from '../../domains/reservation/seat.js';
import { pointsStream } from '../../domains/point/wallet.js';
import { paymentStream } from '../../domains/payment/payment.js';

interface ParkedLine {
  service: string;
  parked: { eventId: string; handler: string; eventType: string; error: string; attempts: number };
}

t.test('parked events: listed, redriven as the service would have run them, then gone from the list', async (t) => {
  // The point service is down, and its debit of eve's seat was parked as if it had kept failing.
  const system = await startTestSystem(t, { without: ['point'] });
  const dataDir = system.config.dataDir;
  const schedule = await system.openSchedule(2, 100);
  await system.charge('eve', 500);
  const { paymentId } = await system.holdAndPay(schedule, 'eve', 1);
  await system.settle();
  const reserved = (await system.store.readStream(seatStream(schedule.scheduleId, 1))).find((e) => e.type === 'SeatReserved')!;
  t.ok(reserved, 'the seat was reserved; nobody debited it');
  await park(system.store, reactionSubscriber('point'), 'point.debitOnSeatReserved', reserved, new Error('wallet unreachable'), 5, system.clock.now());

  const listed = await cli(dataDir, ['parked', '--json']);
  t.equal(listed.code, 0, listed.stderr);
  t.match(jsonLines<ParkedLine>(listed.stdout), [
    { service: 'point', parked: { eventId: reserved.id, handler: 'point.debitOnSeatReserved', eventType: 'SeatReserved', error: 'Error: wallet unreachable', attempts: 5 } },
  ]);
  const human = await cli(dataDir, ['parked']);
  t.match(human.stdout, `PARKED  ${reserved.id}  point  point.debitOnSeatReserved`);
  t.match(human.stdout, 'error: Error: wallet unreachable');

  const redriven = await cli(dataDir, ['parked', 'redrive', reserved.id]);
  t.equal(redriven.code, 0, redriven.stderr);
  t.match(redriven.stdout, `handled ${reserved.id} by point.debitOnSeatReserved`);
  const points = await system.store.readStream(pointsStream('eve'));
  t.same(points.map((e) => e.type), ['PointsCharged', 'PointsDebited'], 'the debit the point service would have made');
  t.equal(points[1]!.id, derivedEventId('point.debitOnSeatReserved', `${reserved.id}/0`, 0), 'with the id it would have given it');
  t.match(points[1]!.metadata, { correlationId: paymentId, causationId: reserved.id });
  const parking = await system.store.readStream(parkedStream(reactionSubscriber('point')));
  t.match(parking.at(-1), { type: 'ParkedEventRedriven', data: { eventId: reserved.id, handler: 'point.debitOnSeatReserved', outcome: 'handled' } });

  const after = await cli(dataDir, ['parked', '--json']);
  t.equal(after.stdout, '', 'redriven: no longer listed');
  const again = await cli(dataDir, ['parked', 'redrive', reserved.id]);
  t.equal(again.code, 1);
  t.match(again.stderr, 'already redriven, or never parked');

  // The saga goes on from the redriven debit; the point service, back, finds nothing left to do.
  await system.start(['point']);
  await system.settle();
  t.same(await system.streamTypes(paymentStream(paymentId)), ['PaymentRequested', 'PaymentCompleted']);
  t.same(await system.streamTypes(pointsStream('eve')), ['PointsCharged', 'PointsDebited'], 'one debit: the same derived id made the replay a no-op');
});

t.test('a parked event whose reaction no longer exists is refused with a reason, exit 1', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(1, 100);
  const [opened] = (await system.store.readAll({ filter: { eventTypes: ['ScheduleOpened'] } })).filter((e) => e.data && (e.data as { scheduleId: string }).scheduleId === schedule.scheduleId);
  await park(system.store, reactionSubscriber('ranking'), 'ranking.renamedLongAgo', opened!, new Error('boom'), 5, system.clock.now());
  const result = await cli(system.config.dataDir, ['parked', 'redrive', '--all']);
  t.equal(result.code, 1);
  t.match(result.stderr, 'concertctl: ranking has no reaction named ranking.renamedLongAgo');
  t.notMatch(result.stderr, /\n\s+at /, 'a reason, not a stack trace');
  const needsOne = await cli(system.config.dataDir, ['parked', 'redrive']);
  t.equal(needsOne.code, 2);
});
