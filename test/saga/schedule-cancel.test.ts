import t from 'tap';
import { startTestSystem, assertInvariants, type TestSystem } from '../support/system.js';
import { hold, pay } from '../support/reservations.js';
import { cancelSchedule } from '../../domains/concert/cancel-schedule.js';
import { seat, seatStream } from '../../domains/reservation/seat.js';
import { paymentStream } from '../../domains/payment/payment.js';
import { pointsStream, wallet } from '../../domains/point/wallet.js';
import { schedules, type ScheduleDoc } from '../../projections/schedules.js';
import { project } from '../../bus/projection.js';
import { load } from '../../bus/command.js';
import { Rejection } from '../../bus/decider.js';
import type { Position, RecordedEvent } from '../../infra/eventstore/port.js';


/** The events after `after`, a page at a time: the part of the log a phase of the test wrote. */
async function eventsAfter(system: TestSystem, after?: Position): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let from = after;
  for (;;) {
    const page = await system.store.readAll({ after: from, maxCount: 5_000 });
    all.push(...page);
    if (page.length < 5_000) return all;
    from = page.at(-1)!.position;
  }
}

/** The schedules read model rebuilt from the whole log by its own projection. */
async function scheduleDoc(system: TestSystem, scheduleId: string): Promise<ScheduleDoc | undefined> {
  const changes = project(schedules, await eventsAfter(system), new Map());
  const change = changes.find((c) => c.op === 'upsert' && c.doc.id === scheduleId);
  return change?.op === 'upsert' ? (change.doc as ScheduleDoc) : undefined;
}

const lastType = async (system: TestSystem, paymentId: string) => (await system.streamTypes(paymentStream(paymentId))).at(-1);

/**
 * Seven hundred deliveries at once to the mock on a loaded machine: some time
 * out and wait for their backoff, which only the test's clock moves. Moved
 * on until each delivery has ended, as it would in real time.
 */
async function deliveriesEnded(system: TestSystem, paymentIds: readonly string[]) {
  for (let round = 0; round < 20; round++) {
    await system.settle();
    const last = await Promise.all(paymentIds.map(async (id) => (await system.streamTypes(`delivery-${id}`)).at(-1)));
    if (last.every((type) => type === 'DeliverySucceeded' || type === 'DeliveryDeadLettered')) return;
    system.clock.advance(system.config.deliveryMaxBackoffMs);
  }
  throw new Error('deliveries still under way after 20 backoffs');
}

const balanceOf = async (system: TestSystem, userId: string) => (await load(system.store, wallet, pointsStream(userId))).state.balance;

t.test('a schedule cancelled while holds and payments race it: every payment ends REFUNDED or FAILED, no seat stays taken', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(12, 100);
  for (const user of ['ana', 'ben', 'cy', 'dee', 'eve']) await system.charge(user, 1_000);
  await system.charge('poor', 50);

  // Paid and settled before the cancellation: one seat each, and a two-seat reservation.
  const paid = [await system.holdAndPay(schedule, 'ana', 1), await system.holdAndPay(schedule, 'ben', 2)];
  const pair = await hold(system, schedule, 'cy', [3, 4]);
  const pairPayment = await pay(system, schedule, pair);
  await system.settle();
  t.same(
    await Promise.all([...paid.map((p) => p.paymentId), pairPayment.paymentId].map((id) => lastType(system, id))),
    ['PaymentCompleted', 'PaymentCompleted', 'PaymentCompleted'],
    'three payments completed before the cancellation',
  );

  // In flight when the admin cancels: two payments just asked for, one that will fail anyway, a plain hold.
  const inFlight = [await system.holdAndPay(schedule, 'dee', 5), await system.holdAndPay(schedule, 'eve', 6)];
  const doomed = await system.holdAndPay(schedule, 'poor', 7);
  await hold(system, schedule, 'ana', [8]);

  // The cancellation and new holds at the same time.
  const [cancelled, ...holds] = await Promise.allSettled([
    cancelSchedule(system.store, schedule, system.clock.now()),
    hold(system, schedule, 'ben', [9, 10]),
    hold(system, schedule, 'dee', [11]),
    hold(system, schedule, 'eve', [8]),
  ]);
  t.equal(cancelled.status, 'fulfilled', 'the cancellation is recorded');
  for (const outcome of holds) {
    if (outcome.status === 'fulfilled') continue; // held before the seats were withdrawn: released by the withdrawal
    const error = outcome.reason as unknown;
    t.ok(error instanceof Rejection && ['SCHEDULE_CANCELLED', 'SEAT_UNAVAILABLE'].includes(error.code), `a racing hold refused with ${(error as Error).message}`);
  }
  await system.settle();

  const payments = [...paid.map((p) => p.paymentId), pairPayment.paymentId, ...inFlight.map((p) => p.paymentId), doomed.paymentId];
  const ends = await Promise.all(payments.map((id) => lastType(system, id)));
  t.ok(ends.every((type) => type === 'PaymentRefunded' || type === 'PaymentFailed'), `every payment ended REFUNDED or FAILED: ${ends.join(', ')}`);
  t.same(ends.slice(0, 3), ['PaymentRefunded', 'PaymentRefunded', 'PaymentRefunded'], 'the completed ones are refunded');

  for (let seatNo = 1; seatNo <= 12; seatNo++) {
    const { state } = await load(system.store, seat, seatStream(schedule.scheduleId, seatNo));
    t.match(state, { status: 'AVAILABLE', holder: null, withdrawn: true }, `seat ${seatNo} is free and withdrawn`);
  }
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 8)), ['SeatHeld', 'SeatHoldReleased', 'SeatWithdrawn'], 'the plain hold is released as its seat is withdrawn');

  for (const user of ['ana', 'ben', 'cy', 'dee', 'eve']) t.equal(await balanceOf(system, user), 1_000, `${user} has every point back`);
  t.equal(await balanceOf(system, 'poor'), 50, 'the payment that could not be paid debited nothing');

  await t.rejects(hold(system, schedule, 'ana', [12]), { code: 'SCHEDULE_CANCELLED' }, 'a hold after the cancellation is refused');
  await t.rejects(hold(system, schedule, 'ana', [1, 2]), { code: 'SCHEDULE_CANCELLED' }, 'several seats too, none of them held');
  const doc = await scheduleDoc(system, schedule.scheduleId);
  t.match(doc, { status: 'CANCELLED', refundsPending: 0, withdrawnSeats: 12, withdrawnReserved: 0, availableSeats: 0, heldSeats: 0, reservedSeats: 0 });
  await assertInvariants(t, system);
});

t.test('a schedule of 1,000 sold seats cancelled, stopped twice halfway through the refunds and every event delivered again: every refund exactly once', async (t) => {
  const started = Date.now();
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(1_000, 100);
  // 600 single-seat payments and 100 of four seats: 700 payments, every seat sold, each buyer charged what they pay.
  const buyers = [
    ...Array.from({ length: 600 }, (_, i) => ({ userId: `solo-${i}`, seatNos: [i + 1] })),
    ...Array.from({ length: 100 }, (_, i) => ({ userId: `group-${i}`, seatNos: [601 + 4 * i, 602 + 4 * i, 603 + 4 * i, 604 + 4 * i] })),
  ];
  const paymentIds: string[] = [];
  for (let i = 0; i < buyers.length; i += 50) {
    const batch = buyers.slice(i, i + 50);
    paymentIds.push(
      ...(await Promise.all(
        batch.map(async ({ userId, seatNos }) => {
          await system.charge(userId, 100 * seatNos.length);
          return (await pay(system, schedule, await hold(system, schedule, userId, seatNos))).paymentId;
        }),
      )),
    );
  }
  await system.settle();
  const sold = await system.store.headPosition();
  t.equal((await Promise.all(paymentIds.map((id) => lastType(system, id)))).filter((type) => type === 'PaymentCompleted').length, 700, 'sold out: 700 payments completed');
  await deliveriesEnded(system, paymentIds);
  t.equal((await system.received()).length, 700, 'each delivered to the data platform');
  t.comment(`1,000 seats sold in ${Date.now() - started} ms`);

  const cancelling = Date.now();
  // The points service is down when the admin cancels: the seats are withdrawn and released, the refunds asked for, and there the saga waits.
  await system.stop(['point']);
  await cancelSchedule(system.store, schedule, system.clock.now());
  await system.settle();
  const waiting = await eventsAfter(system, sold!);
  t.same(
    ['SeatWithdrawn', 'RefundRequested', 'SeatReleased', 'PointsRefunded'].map((type) => waiting.filter((e) => e.type === type).length),
    [1_000, 700, 1_000, 0],
    'halfway: every seat withdrawn and released, every refund asked for, no points back yet',
  );
  // The points service comes back while the payment service is down: every refund's points come back, no payment is REFUNDED yet.
  await system.stop(['payment']);
  await system.start(['point']);
  await system.settle();
  const pointsBack = await eventsAfter(system, sold!);
  t.same(
    ['PointsRefunded', 'PaymentRefunded'].map((type) => pointsBack.filter((e) => e.type === type).length),
    [700, 0],
    'stopped again: every point back, no payment REFUNDED yet',
  );
  await system.stop();

  // Back on the same store with every checkpoint forgotten: each event, the cancellation and the refunds done included, is delivered again.
  await system.redeliverEverything();
  await system.settle();
  t.comment(`cancelled and refunded in ${Date.now() - cancelling} ms`);

  const after = await eventsAfter(system, sold!);
  const perPayment = (type: string) => {
    const byPayment = new Map<string, number>();
    for (const e of after) {
      if (e.type !== type) continue;
      const { paymentId } = e.data as { paymentId: string };
      byPayment.set(paymentId, (byPayment.get(paymentId) ?? 0) + 1);
    }
    return byPayment;
  };
  for (const type of ['RefundRequested', 'PointsRefunded', 'PaymentRefunded']) {
    const byPayment = perPayment(type);
    t.equal(byPayment.size, 700, `${type} for every payment`);
    t.ok([...byPayment.values()].every((n) => n === 1), `${type} exactly once per payment`);
  }
  t.equal(after.filter((e) => e.type === 'SeatWithdrawn').length, 1_000, 'every seat withdrawn once');
  t.equal(after.filter((e) => e.type === 'SeatReleased').length, 1_000, 'every seat released once');
  const balances = await Promise.all(buyers.map(({ userId }) => balanceOf(system, userId)));
  t.ok(balances.every((balance, i) => balance === 100 * buyers[i]!.seatNos.length), 'every buyer has their points back');
  t.match(await scheduleDoc(system, schedule.scheduleId), { status: 'CANCELLED', refundsPending: 0, withdrawnSeats: 1_000, withdrawnReserved: 0, reservedSeats: 0 });
  await deliveriesEnded(system, paymentIds);
  await assertInvariants(t, system);
  t.comment(`the whole test took ${Date.now() - started} ms`);
});
