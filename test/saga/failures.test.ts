import t from 'tap';
import Fastify from 'fastify';
import { startTestSystem, assertInvariants } from '../support/system.js';
import { seatStream } from '../../domains/reservation/seat.js';
import { paymentStream } from '../../domains/payment/payment.js';
import { pointsStream } from '../../domains/point/wallet.js';
import { deliveryStream } from '../../domains/dataplatform/delivery.js';
import { holdSeat } from '../../domains/reservation/hold-seat.js';
import { requestPayment } from '../../domains/payment/request-payment.js';

t.test('insufficient balance: payment FAILED, seat AVAILABLE again, balance unchanged', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(1, 100);
  await system.charge('ana', 60);
  const { paymentId } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  t.same(await system.streamTypes(paymentStream(paymentId)), ['PaymentRequested', 'PaymentFailed']);
  const [, failed] = await system.store.readStream(paymentStream(paymentId));
  t.equal((failed!.data as { reason: string }).reason, 'INSUFFICIENT_BALANCE');
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 1)), ['SeatHeld', 'SeatReserved', 'SeatReleased'], 'the seat is released');
  t.same(await system.streamTypes(pointsStream('ana')), ['PointsCharged', 'DebitFailed'], 'nothing debited');
  const again = await system.holdAndPay(schedule, 'ben', 1);
  t.ok(again.hold.reservationId, 'someone else can hold the released seat');
  await system.settle();
  await assertInvariants(t, system);
});

t.test('hold expired before the request: HOLD_EXPIRED, nothing debited', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(1, 100);
  await system.charge('ana', 500);
  const hold = await holdSeat(system.store, { scheduleId: schedule.scheduleId, seatNo: 1, userId: 'ana', price: 100 }, system.clock.now(), system.config.holdTtlMs);
  system.clock.advance(system.config.holdTtlMs + 1);
  await system.settle();
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 1)), ['SeatHeld', 'SeatHoldExpired'], 'the hold timer expired it');
  const { paymentId } = await requestPayment(
    system.store,
    { reservationId: hold.reservationId, userId: 'ana', concertId: schedule.concertId, scheduleId: schedule.scheduleId, seatNo: 1, amount: 100 },
    system.clock.now(),
    system.config.paymentDeadlineMs,
  );
  await system.settle();
  const events = await system.store.readStream(paymentStream(paymentId));
  t.same(events.map((e) => e.type), ['PaymentRequested', 'PaymentFailed']);
  t.equal((events[1]!.data as { reason: string }).reason, 'HOLD_EXPIRED');
  t.same(await system.streamTypes(pointsStream('ana')), ['PointsCharged', 'DebitVoided'], 'no debit, and none can come later');
  await assertInvariants(t, system);
});

t.test('a request after expiresAt but before the timer fired is judged by requestedAt: HOLD_EXPIRED', async (t) => {
  const system = await startTestSystem(t, { without: ['reservation'] });
  const schedule = await system.openSchedule(1, 100);
  await system.charge('ana', 500);
  const hold = await holdSeat(system.store, { scheduleId: schedule.scheduleId, seatNo: 1, userId: 'ana', price: 100 }, system.clock.now(), system.config.holdTtlMs);
  system.clock.advance(system.config.holdTtlMs);
  const { paymentId } = await requestPayment(
    system.store,
    { reservationId: hold.reservationId, userId: 'ana', concertId: schedule.concertId, scheduleId: schedule.scheduleId, seatNo: 1, amount: 100 },
    system.clock.now(),
    system.config.paymentDeadlineMs,
  );
  await system.start(['reservation']);
  await system.settle();
  const [, outcome] = await system.store.readStream(paymentStream(paymentId));
  t.match(outcome, { type: 'PaymentFailed', data: { reason: 'HOLD_EXPIRED' } });
  await assertInvariants(t, system);
});

t.test('not the holder: NOT_HOLDER, the holder keeps the seat', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(1, 100);
  await system.charge('ben', 500);
  const hold = await holdSeat(system.store, { scheduleId: schedule.scheduleId, seatNo: 1, userId: 'ana', price: 100 }, system.clock.now(), system.config.holdTtlMs);
  const { paymentId } = await requestPayment(
    system.store,
    { reservationId: hold.reservationId, userId: 'ben', concertId: schedule.concertId, scheduleId: schedule.scheduleId, seatNo: 1, amount: 100 },
    system.clock.now(),
    system.config.paymentDeadlineMs,
  );
  await system.settle();
  const [, outcome] = await system.store.readStream(paymentStream(paymentId));
  t.match(outcome, { type: 'PaymentFailed', data: { reason: 'NOT_HOLDER' } });
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 1)), ['SeatHeld', 'SeatReservationRejected'], 'ana still holds it');
  t.same(await system.streamTypes(pointsStream('ben')), ['PointsCharged', 'DebitVoided'], 'ben is not charged');
  await assertInvariants(t, system);
});

t.test('deadline passed while the point service was down: TIMEOUT, the late debit is refunded, the seat released', async (t) => {
  const system = await startTestSystem(t, { without: ['point'] });
  const schedule = await system.openSchedule(1, 100);
  await system.charge('ana', 300);
  const { paymentId } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 1)), ['SeatHeld', 'SeatReserved'], 'the seat is reserved, the debit is late');
  system.clock.advance(system.config.paymentDeadlineMs);
  await system.settle();
  const [, failed] = await system.store.readStream(paymentStream(paymentId));
  t.match(failed, { type: 'PaymentFailed', data: { reason: 'TIMEOUT' } });
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 1)), ['SeatHeld', 'SeatReserved', 'SeatReleased'], 'the seat is given back');

  await system.start(['point']);
  await system.settle();
  t.same(await system.streamTypes(pointsStream('ana')), ['PointsCharged', 'PointsDebited', 'PointsRefunded'], 'the late debit is refunded');
  const last = (await system.store.readStream(pointsStream('ana'))).at(-1)!;
  t.equal((last.data as { balanceAfter: number }).balanceAfter, 300, 'the balance is whole again');
  t.same(await system.streamTypes(paymentStream(paymentId)), ['PaymentRequested', 'PaymentFailed'], 'the payment ignores the late success');
  await assertInvariants(t, system);
});

t.test('data platform down, then up: retried with backoff and delivered once', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(1, 100);
  await system.charge('ana', 100);
  await system.platformDown();
  const { paymentId } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  t.same(await system.streamTypes(deliveryStream(paymentId)), ['DeliveryScheduled', 'DeliveryAttemptFailed'], 'the first attempt fails');
  const [, failed] = await system.store.readStream(deliveryStream(paymentId));
  t.match(failed!.data, { attempt: 1, status: null });
  await system.platformUp();
  system.clock.advance(system.config.deliveryBackoffMs);
  await system.settle();
  t.same(await system.streamTypes(deliveryStream(paymentId)), ['DeliveryScheduled', 'DeliveryAttemptFailed', 'DeliverySucceeded']);
  t.same((await system.received()).map((r) => r.paymentId), [paymentId], 'the receiver kept it once');
  await assertInvariants(t, system);
});

t.test('data platform answers 400: dead-lettered, not retried', async (t) => {
  const refusing = Fastify();
  let calls = 0;
  refusing.post('/reservations', async (_request, reply) => {
    calls++;
    return reply.code(400).send({ message: 'schema mismatch' });
  });
  refusing.get('/reservations', async () => []);
  const system = await startTestSystem(t, { dataPlatform: refusing });
  const schedule = await system.openSchedule(1, 100);
  await system.charge('ana', 100);
  const { paymentId } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  system.clock.advance(system.config.deliveryMaxBackoffMs * 2);
  await system.settle();
  t.same(await system.streamTypes(deliveryStream(paymentId)), ['DeliveryScheduled', 'DeliveryDeadLettered']);
  t.equal(calls, 1, 'one request: a 400 will not change by asking again');
  t.same(await system.streamTypes(paymentStream(paymentId)), ['PaymentRequested', 'PaymentCompleted'], 'the payment itself stands');
  await assertInvariants(t, system);
});
