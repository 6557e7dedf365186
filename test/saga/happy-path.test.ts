import t from 'tap';
import { startTestSystem, assertInvariants } from '../support/system.js';
import { seatStream } from '../../domains/reservation/seat.js';
import { paymentStream } from '../../domains/payment/payment.js';
import { pointsStream } from '../../domains/point/wallet.js';
import { rankingStream } from '../../domains/ranking/sellout.js';
import { deliveryStream } from '../../domains/dataplatform/delivery.js';
import { queueStream } from '../../domains/queue/ticket.js';

t.test('charge, queue, admit, hold, pay: COMPLETED, seat RESERVED, balance debited, delivered, ranked at sell-out', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(2, 100);
  const token = await system.issueToken('ana');
  t.equal(token.ticket.status, 'WAITING', 'the token waits first');
  await system.settle();
  t.same(await system.streamTypes(queueStream('ana')), ['QueueTokenIssued', 'QueueTokenActivated'], 'the admission tick activates it');

  await system.charge('ana', 500);
  const { paymentId } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();

  t.same(await system.streamTypes(paymentStream(paymentId)), ['PaymentRequested', 'PaymentCompleted']);
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 1)), ['SeatHeld', 'SeatReserved']);
  t.same(await system.streamTypes(pointsStream('ana')), ['PointsCharged', 'PointsDebited']);
  const [, debited] = await system.store.readStream(pointsStream('ana'));
  t.match(debited!.data, { balanceAfter: 400, paymentId });
  t.same(await system.streamTypes(deliveryStream(paymentId)), ['DeliveryScheduled', 'DeliverySucceeded']);
  t.same((await system.received()).map((r) => r.paymentId), [paymentId], 'the receiver has it once');
  t.same(
    await system.streamTypes(queueStream('ana')),
    ['QueueTokenIssued', 'QueueTokenActivated', 'QueueTokenExpired'],
    'the paid user leaves the line',
  );
  t.same(await system.streamTypes(rankingStream(schedule.scheduleId)), ['RankingOpened', 'SeatSaleCounted'], 'one of two seats sold: not sold out');

  await system.charge('ben', 100);
  const other = await system.holdAndPay(schedule, 'ben', 2);
  await system.settle();
  t.same(await system.streamTypes(paymentStream(other.paymentId)), ['PaymentRequested', 'PaymentCompleted'], 'the last seat is paid');
  const ranking = await system.store.readStream(rankingStream(schedule.scheduleId));
  const soldOut = ranking.find((e) => e.type === 'ScheduleSoldOut');
  t.ok(soldOut, 'the last seat sold: ScheduleSoldOut');
  t.match(soldOut!.data, { scheduleId: schedule.scheduleId, bookingOpenedAt: '2030-01-01T09:00:00.000Z', durationMs: 3_600_000 });
  await assertInvariants(t, system);
});
