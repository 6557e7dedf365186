import t from 'tap';
import { startTestSystem, assertInvariants } from '../support/system.js';
import { paymentStream } from '../../domains/payment/payment.js';
import { pointsStream } from '../../domains/point/wallet.js';
import { requestPayment } from '../../domains/payment/request-payment.js';
import { holdSeat } from '../../domains/reservation/hold-seat.js';

t.test('the same request twice: one payment, one charge', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(1, 100);
  const first = await system.charge('ana', 100, 'key-1');
  const second = await system.charge('ana', 100, 'key-1');
  t.equal(first.balance, 100);
  t.equal(second.balance, 100, 'a retried charge answers the same balance');
  const hold = await holdSeat(system.store, { scheduleId: schedule.scheduleId, seatNo: 1, userId: 'ana', price: 100 }, system.clock.now(), system.config.holdTtlMs);
  const ref = { reservationId: hold.reservationId, userId: 'ana', concertId: schedule.concertId, scheduleId: schedule.scheduleId, seatNo: 1, amount: 100 };
  const [a, b] = await Promise.all([
    requestPayment(system.store, ref, system.clock.now(), system.config.paymentDeadlineMs),
    requestPayment(system.store, ref, system.clock.now(), system.config.paymentDeadlineMs),
  ]);
  t.equal(a.paymentId, b.paymentId, 'one payment per reservation');
  t.equal([a.created, b.created].filter(Boolean).length, 1, 'only one of them created it');
  await system.settle();
  t.same(await system.streamTypes(paymentStream(a.paymentId)), ['PaymentRequested', 'PaymentCompleted']);
  t.same(await system.streamTypes(pointsStream('ana')), ['PointsCharged', 'PointsDebited'], 'charged once, debited once');
  await assertInvariants(t, system);
});

t.test('every event delivered twice (checkpoints forgotten): no new effects', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(3, 100);
  await system.charge('ana', 150);
  await system.charge('ben', 500);
  await system.holdAndPay(schedule, 'ana', 1);
  await system.holdAndPay(schedule, 'ana', 2); // fails: not enough points left
  await system.holdAndPay(schedule, 'ben', 3);
  await system.issueToken('cy');
  await system.settle();
  const before = await system.store.headPosition();
  const received = (await system.received()).length;

  await system.redeliverEverything();
  await system.settle();
  t.equal(await system.store.headPosition(), before, 'replaying every reaction appended nothing');
  t.equal((await system.received()).length, received, 'the receiver saw no new effect');
  await assertInvariants(t, system);
});

t.test('a hold or a concert retried with its idempotency key after the answer was lost: the same one back', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(2, 100);
  const request = { scheduleId: schedule.scheduleId, seatNo: 1, userId: 'ana', price: 100 };
  const first = await holdSeat(system.store, request, system.clock.now(), system.config.holdTtlMs, 'key-h');
  const retry = await holdSeat(system.store, request, system.clock.now(), system.config.holdTtlMs, 'key-h');
  t.equal(retry.reservationId, first.reservationId, 'the retry gets its own hold, not a 409');
  t.same(await system.streamTypes(`seat-${schedule.scheduleId}_1`), ['SeatHeld'], 'held once');

  const { registerConcert } = await import('../../domains/concert/register-concert.js');
  const input = { title: 'Retried', schedules: [{ startsAt: '2030-06-01T19:00:00.000Z', seatCount: 5, price: 10 }] };
  const a = await registerConcert(system.store, input, system.clock.now(), 'key-c');
  const b = await registerConcert(system.store, input, system.clock.now(), 'key-c');
  t.equal(b.concertId, a.concertId, 'the same concert');
  t.same(b.schedules.map((s) => s.scheduleId), a.schedules.map((s) => s.scheduleId), 'with the same schedules');
  t.same(await system.streamTypes(`concert-${a.concertId}`), ['ConcertRegistered', 'ScheduleOpened'], 'registered once');
});
