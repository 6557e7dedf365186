import t from 'tap';
import { startTestSystem, assertInvariants } from '../support/system.js';
import { seatStream } from '../../domains/reservation/seat.js';
import { paymentStream } from '../../domains/payment/payment.js';
import { pointsStream } from '../../domains/point/wallet.js';
import { holdSeat } from '../../domains/reservation/hold-seat.js';
import { requestPayment } from '../../domains/payment/request-payment.js';
import { Rejection } from '../../bus/decider.js';

t.test('50 concurrent holds on one seat: exactly one HELD, 49 SEAT_UNAVAILABLE', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(1, 100);
  const outcomes = await Promise.allSettled(
    Array.from({ length: 50 }, (_, i) =>
      holdSeat(system.store, { scheduleId: schedule.scheduleId, seatNo: 1, userId: `u${i}`, price: 100 }, system.clock.now(), system.config.holdTtlMs),
    ),
  );
  const won = outcomes.filter((o) => o.status === 'fulfilled');
  const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  t.equal(won.length, 1, 'one hold wins');
  t.ok(lost.every((o) => o.reason instanceof Rejection && o.reason.code === 'SEAT_UNAVAILABLE'), 'every other gets SEAT_UNAVAILABLE');
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 1)), ['SeatHeld'], 'one event in the seat stream');
});

t.test('50 concurrent payments and charges on one wallet: never negative, every point accounted for', async (t) => {
  // One user with fifty seats is what contends for one wallet; the seat limit is not what this test is about.
  const system = await startTestSystem(t, { env: { MAX_SEATS_PER_USER: '50' } });
  const schedule = await system.openSchedule(50, 100);
  const holds = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      holdSeat(system.store, { scheduleId: schedule.scheduleId, seatNo: i + 1, userId: 'ana', price: 100 }, system.clock.now(), system.config.holdTtlMs),
    ),
  );
  // 30 charges of 100 race 50 payments of 100: at most 30 can be paid.
  const payments = await Promise.all([
    ...Array.from({ length: 30 }, (_, i) => system.charge('ana', 100, `charge-${i}`).then(() => null)),
    ...holds.map((hold) =>
      requestPayment(
        system.store,
        { reservationId: hold.reservationId, userId: 'ana', concertId: schedule.concertId, scheduleId: schedule.scheduleId, seatNo: hold.seatNo, amount: 100 },
        system.clock.now(),
        system.config.paymentDeadlineMs,
      ),
    ),
  ]);
  await system.settle();
  const outcomes = await Promise.all(
    payments.flatMap((p) => (p ? [system.streamTypes(paymentStream(p.paymentId))] : [])),
  );
  const completed = outcomes.filter((types) => types.includes('PaymentCompleted')).length;
  const failed = outcomes.filter((types) => types.includes('PaymentFailed')).length;
  t.equal(completed + failed, 50, 'every payment ended');
  t.ok(completed <= 30, `no more paid than charged (${completed} completed)`);
  const wallet = await system.store.readStream(pointsStream('ana'));
  const charged = wallet.filter((e) => e.type === 'PointsCharged').length;
  t.equal(charged, 30, 'every charge landed once');
  t.ok(wallet.every((e) => ((e.data as { balanceAfter?: number }).balanceAfter ?? 0) >= 0), 'never negative');
  const lastBalance = [...wallet].reverse().find((e) => typeof (e.data as { balanceAfter?: number }).balanceAfter === 'number');
  t.equal((lastBalance!.data as { balanceAfter: number }).balanceAfter, 3_000 - completed * 100, 'balance = charged − debited + refunded');
  await assertInvariants(t, system);
});

t.test('hold expiry racing a payment: one consistent outcome either way', async (t) => {
  for (let round = 0; round < 10; round++) {
    await t.test(`round ${round}`, async (t) => {
      const system = await startTestSystem(t);
      const schedule = await system.openSchedule(1, 100);
      await system.charge('ana', 100);
      const hold = await holdSeat(system.store, { scheduleId: schedule.scheduleId, seatNo: 1, userId: 'ana', price: 100 }, system.clock.now(), system.config.holdTtlMs);
      system.clock.advance(system.config.holdTtlMs - 1);
      const request = requestPayment(
        system.store,
        { reservationId: hold.reservationId, userId: 'ana', concertId: schedule.concertId, scheduleId: schedule.scheduleId, seatNo: 1, amount: 100 },
        system.clock.now(),
        system.config.paymentDeadlineMs,
      );
      system.clock.advance(2);
      // The hold timer and the payment's confirmation contend for the seat stream.
      const [{ paymentId }] = await Promise.all([request, system.services().get('reservation')!.advance()]);
      await system.settle();
      const seat = await system.streamTypes(seatStream(schedule.scheduleId, 1));
      const payment = await system.streamTypes(paymentStream(paymentId));
      if (payment.includes('PaymentCompleted')) {
        t.same(seat, ['SeatHeld', 'SeatReserved'], 'paid: the seat is reserved and did not expire');
      } else {
        t.same(payment, ['PaymentRequested', 'PaymentFailed'], 'failed');
        t.notOk(seat.at(-1) === 'SeatReserved', 'failed: the seat is not left reserved');
      }
      await assertInvariants(t, system);
    });
  }
});
