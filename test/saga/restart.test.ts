import t from 'tap';
import { startTestSystem, assertInvariants } from '../support/system.js';
import { paymentStream } from '../../domains/payment/payment.js';

t.test('stopped in the middle of many sagas and started again: every saga settles', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(40, 100);
  await Promise.all(Array.from({ length: 40 }, (_, i) => system.charge(`user-${i}`, i % 4 === 0 ? 50 : 100)));
  const sagas = [];
  for (let i = 0; i < 40; i++) {
    sagas.push(await system.holdAndPay(schedule, `user-${i}`, i + 1));
    // The services run live meanwhile; stop them halfway through the requests.
    if (i === 20) await system.stop();
  }
  const midway = await Promise.all(sagas.map((s) => system.streamTypes(paymentStream(s.paymentId))));
  const pendingAtStop = midway.filter((types) => types.length === 1).length;
  t.ok(pendingAtStop >= 19, `${pendingAtStop} of 40 payments were pending when the services stopped`);

  // Half a saga: seats get reserved while point and payment are still down…
  await system.start(['reservation']);
  await system.settle();
  await system.stop();
  // …then everything comes back and picks up from its checkpoints.
  await system.start();
  await system.settle();
  const outcomes = await Promise.all(sagas.map((s) => system.streamTypes(paymentStream(s.paymentId))));
  t.ok(outcomes.every((types) => types.length === 2 && types[0] === 'PaymentRequested'), 'every payment ended exactly once');
  t.equal(outcomes.filter((types) => types[1] === 'PaymentCompleted').length, 30, 'those with enough points paid');
  t.equal(outcomes.filter((types) => types[1] === 'PaymentFailed').length, 10, 'the others failed');
  await assertInvariants(t, system);
});

t.test('timers survive a restart: a hold expires and a payment times out after the services came back', async (t) => {
  const system = await startTestSystem(t, { without: ['point'] });
  const schedule = await system.openSchedule(2, 100);
  const paid = await system.holdAndPay(schedule, 'ana', 1);
  const { holdSeat } = await import('../../domains/reservation/hold-seat.js');
  await holdSeat(system.store, { scheduleId: schedule.scheduleId, seatNo: 2, userId: 'ben', price: 100 }, system.clock.now(), system.config.holdTtlMs);
  await system.settle();
  await system.stop();
  system.clock.advance(system.config.holdTtlMs + 1);
  await system.start(['reservation', 'payment']);
  await system.settle();
  t.same(await system.streamTypes(paymentStream(paid.paymentId)), ['PaymentRequested', 'PaymentFailed'], 'the payment deadline fired after the restart');
  const seat2 = await system.streamTypes(`seat-${schedule.scheduleId}_2`);
  t.same(seat2, ['SeatHeld', 'SeatHoldExpired'], 'the hold timer fired after the restart');
});
