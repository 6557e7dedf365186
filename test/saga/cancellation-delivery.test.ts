import t from 'tap';
import { startTestSystem, assertInvariants, type TestSystem } from '../support/system.js';
import { buildMockDataPlatform } from '../../domains/dataplatform/mock-server.js';
import { deliveryStream } from '../../domains/dataplatform/delivery.js';
import { paymentStream } from '../../domains/payment/payment.js';
import { holdSeats } from '../../domains/reservation/hold-seat.js';
import { requestPayment } from '../../domains/payment/request-payment.js';
import { redriveDelivery } from '../../infra/inspect/dead-letters.js';

// Each refund is asked with system.refundPayment; the refund saga ends it in PaymentRefunded, which the dataplatform service takes from there.

/** The mock data platform, with every POST noted in order and the reservations answered `reservations` until told otherwise. */
function platformAnswering(reservations: 503 | 400) {
  const platform = buildMockDataPlatform();
  const state = { refusing: true, posts: [] as string[] };
  platform.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    state.posts.push(request.url);
    if (state.refusing && request.url === '/reservations') {
      return reply.code(reservations).send({ statusCode: reservations, error: 'Refused', message: 'not now' });
    }
  });
  return { platform, state };
}

/** The delivery stream as `type` or `type/kind`. */
async function deliveryLog(system: TestSystem, paymentId: string) {
  return (await system.store.readStream(deliveryStream(paymentId))).map((e) => {
    const kind = (e.data as { kind?: string }).kind;
    return kind ? `${e.type}/${kind}` : e.type;
  });
}

t.test('refunded while its reservation is being retried: the cancellation waits, then goes once, after the reservation, duplicates and all', async (t) => {
  const { platform, state } = platformAnswering(503);
  const system = await startTestSystem(t, { dataPlatform: platform });
  const schedule = await system.openSchedule(3, 100);
  await system.charge('ana', 300);
  const hold = await holdSeats(system.store, { scheduleId: schedule.scheduleId, seatNos: [3, 1], userId: 'ana', price: 100 }, system.clock.now(), {
    ttlMs: system.config.holdTtlMs,
    maxSeats: system.config.maxSeatsPerUser,
  });
  const { paymentId } = await requestPayment(
    system.store,
    { reservationId: hold.reservationId, userId: 'ana', concertId: schedule.concertId, scheduleId: schedule.scheduleId, seatNo: 1, seatNos: [1, 3], amount: 200 },
    system.clock.now(),
    system.config.paymentDeadlineMs,
  );
  await system.settle();
  t.same(await system.streamTypes(paymentStream(paymentId)), ['PaymentRequested', 'PaymentCompleted']);
  t.same(await deliveryLog(system, paymentId), ['DeliveryScheduled', 'DeliveryAttemptFailed'], 'the reservation is being retried');

  await system.refundPayment(paymentId);
  const refundedAt = system.clock.now().toISOString();
  await system.settle();
  t.same(await deliveryLog(system, paymentId), ['DeliveryScheduled', 'DeliveryAttemptFailed', 'CancellationDeferred'], 'the cancellation waits');

  system.clock.advance(system.config.deliveryBackoffMs);
  await system.settle();
  t.same(
    await deliveryLog(system, paymentId),
    ['DeliveryScheduled', 'DeliveryAttemptFailed', 'CancellationDeferred', 'DeliveryAttemptFailed'],
    'the reservation failed again; the cancellation still waits',
  );

  await system.redeliverEverything();
  await system.settle();
  t.equal((await deliveryLog(system, paymentId)).length, 4, 'PaymentCompleted and PaymentRefunded delivered again: nothing new');
  t.same(await system.receivedCancellations(), [], 'nothing sent yet');

  state.refusing = false;
  system.clock.advance(system.config.deliveryMaxBackoffMs);
  await system.settle();
  t.same(await deliveryLog(system, paymentId), [
    'DeliveryScheduled',
    'DeliveryAttemptFailed',
    'CancellationDeferred',
    'DeliveryAttemptFailed',
    'DeliverySucceeded',
    'DeliveryScheduled/cancellation',
    'DeliverySucceeded/cancellation',
  ], 'the reservation succeeded, which made the cancellation due; then it was sent');
  const cancellationPath = `/reservations/${paymentId}/cancellation`;
  t.same(state.posts, ['/reservations', '/reservations', '/reservations', cancellationPath], 'every reservation attempt before the one cancellation');
  t.match(await system.receivedCancellations(), [
    {
      paymentId,
      reservationId: hold.reservationId,
      userId: 'ana',
      scheduleId: schedule.scheduleId,
      seatNos: [1, 3],
      amount: 200,
      refundedAt,
      reason: 'USER',
      idempotencyKey: `cancel-${paymentId}`,
      attempts: 1,
      afterReservation: true,
    },
  ]);

  await system.redeliverEverything();
  await system.settle();
  system.clock.advance(system.config.deliveryMaxBackoffMs);
  await system.settle();
  t.equal((await deliveryLog(system, paymentId)).length, 7, 'delivered again once it all ended: still nothing new');
  t.equal(state.posts.length, 4, 'and no request more');
  t.equal((await system.receivedCancellations())?.length, 1);
  t.match((await system.invariants()).find((r) => r.id === 7 && r.name.includes('data platform')), { ok: true, counts: { refunded: 1, cancelled: 1, deadLettered: 0 } }, 'invariant 7 saw it');
  await assertInvariants(t, system);
});

t.test('refunded after its reservation was delivered: the cancellation is due at once', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(1, 100);
  await system.charge('ana', 100);
  const { paymentId } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  await system.refundPayment(paymentId, 'SCHEDULE_CANCELLED');
  await system.settle();
  t.same(await deliveryLog(system, paymentId), ['DeliveryScheduled', 'DeliverySucceeded', 'DeliveryScheduled/cancellation', 'DeliverySucceeded/cancellation']);
  t.match(await system.receivedCancellations(), [{ paymentId, seatNos: [1], reason: 'SCHEDULE_CANCELLED', afterReservation: true }]);
  t.match(await system.received(), [{ paymentId }], 'the reservation itself once');
  await assertInvariants(t, system);
});

t.test('refunded after its reservation was dead-lettered: the cancellation still goes, and the reservation can no longer be redriven', async (t) => {
  const { platform, state } = platformAnswering(400);
  const system = await startTestSystem(t, { dataPlatform: platform });
  const schedule = await system.openSchedule(1, 100);
  await system.charge('ana', 100);
  const { paymentId } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  t.same(await deliveryLog(system, paymentId), ['DeliveryScheduled', 'DeliveryDeadLettered']);
  await system.refundPayment(paymentId);
  await system.settle();
  t.same(await deliveryLog(system, paymentId), ['DeliveryScheduled', 'DeliveryDeadLettered', 'DeliveryScheduled/cancellation', 'DeliverySucceeded/cancellation']);
  t.match(await system.receivedCancellations(), [{ paymentId, afterReservation: false }], 'the platform never got the reservation');

  state.refusing = false;
  await t.rejects(redriveDelivery(system.store, paymentId, system.clock.now(), 'test'), { code: 'CANCELLATION_SENT' }, 'a redrive would send the reservation after its cancellation');
  await system.settle();
  t.equal((await deliveryLog(system, paymentId)).length, 4, 'nothing appended');
  t.same(await system.received(), [], 'and nothing sent');
  await assertInvariants(t, system);
});
