import t, { type Test } from 'tap';
import { startTestSystem, assertInvariants, type TestSystem } from '../support/system.js';
import { seat, seatStream } from '../../domains/reservation/seat.js';
import { holdings, holdingsStream, seatsClaimed } from '../../domains/reservation/holdings.js';
import type { holdSeats } from '../../domains/reservation/hold-seat.js';
import { hold, pay } from '../support/reservations.js';
import type { EventStore } from '../../infra/eventstore/port.js';
import { cancelReservation } from '../../domains/reservation/cancel-reservation.js';
import { payment, paymentIdFor, paymentStream } from '../../domains/payment/payment.js';
import { pointsStream, wallet } from '../../domains/point/wallet.js';
import { load } from '../../bus/command.js';
import { Rejection } from '../../bus/decider.js';

type Schedule = Awaited<ReturnType<TestSystem['openSchedule']>>;
type Reservation = Awaited<ReturnType<typeof holdSeats>>;

/** openSchedule's schedule starts then. */
const STARTS_AT = Date.parse('2030-06-01T19:00:00.000Z');

async function paidReservation(system: TestSystem, schedule: Schedule, userId: string, seatNos: number[]) {
  const reservation = await hold(system, schedule, userId, seatNos);
  const { paymentId } = await pay(system, schedule, reservation);
  return { reservation, paymentId };
}

/** ana pays for these seats of a fresh 3-seat schedule at 100 each, with `points` charged to pay from, and the saga runs. */
async function anaPays(system: TestSystem, seatNos: number[], points = 1_000) {
  const schedule = await system.openSchedule(3, 100);
  if (points > 0) await system.charge('ana', points);
  const { reservation, paymentId } = await paidReservation(system, schedule, 'ana', seatNos);
  await system.settle();
  return { schedule, reservation, paymentId };
}

/**
 * The event store, except that the first read of `streamId` runs `meanwhile`
 * after it has read and before it answers: the reader then decides on what it
 * read, while the log has moved on. How a request racing another one is
 * pinned down without depending on timing.
 */
function racedAfterReading(store: EventStore, streamId: string, meanwhile: () => Promise<void>): EventStore {
  let raced = false;
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      if (key !== 'readStream') return value.bind(target);
      return async (stream: string, ...rest: unknown[]) => {
        const read = await (value as (...args: unknown[]) => Promise<unknown>).call(target, stream, ...rest).then(
          (events) => ({ events }),
          (error: unknown) => ({ error }),
        );
        if (stream === streamId && !raced) {
          raced = true;
          await meanwhile();
        }
        if ('error' in read) throw read.error;
        return read.events;
      };
    },
  });
}

/** As the route asks: cancellations close CANCELLATION_CUTOFF_MS before the schedule starts. */
const cancel = (system: TestSystem, reservation: Reservation) =>
  cancelReservation(system.store, reservation, system.clock.now(), async () => new Date(STARTS_AT - system.config.cancellationCutoffMs));

async function rejection(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Rejection) return error.code;
    throw error;
  }
  return undefined;
}

const paymentIdOf = (reservation: Reservation) => paymentIdFor(reservation.reservationId);
const types = (system: TestSystem, streamId: string) => system.streamTypes(streamId);
const balance = async (system: TestSystem, userId: string) => (await load(system.store, wallet, pointsStream(userId))).state.balance;
const claimed = async (system: TestSystem, schedule: Schedule, userId: string) =>
  seatsClaimed((await load(system.store, holdings, holdingsStream(schedule.scheduleId, userId))).state);

async function assertRefunded(t: Test, system: TestSystem, schedule: Schedule, reservation: Reservation, paymentId: string) {
  t.same(await types(system, paymentStream(paymentId)), ['PaymentRequested', 'PaymentCompleted', 'RefundRequested', 'PaymentRefunded'], 'the payment is REFUNDED');
  t.equal((await load(system.store, payment, paymentStream(paymentId))).state.status, 'REFUNDED');
  for (const seatNo of reservation.seatNos) {
    t.same(await types(system, seatStream(schedule.scheduleId, seatNo)), ['SeatHeld', 'SeatReserved', 'SeatReleased'], `seat ${seatNo} released once`);
    t.equal((await load(system.store, seat, seatStream(schedule.scheduleId, seatNo))).state.status, 'AVAILABLE', `seat ${seatNo} AVAILABLE again`);
  }
  const ledger = await system.store.readStream(pointsStream(reservation.userId));
  t.same(ledger.map((e) => e.type), ['PointsCharged', 'PointsDebited', 'PointsRefunded'], 'PointsRefunded exactly once');
  t.match(ledger[2]!.data, { paymentId, amount: reservation.amount });
  t.equal(await claimed(system, schedule, reservation.userId), 0, "the seats are back in the user's allowance");
}

for (const seatNos of [[2], [1, 3]]) {
  t.test(`a paid reservation of ${seatNos.length} seat(s) cancelled by its user: seats free, points back, payment REFUNDED`, async (t) => {
    const system = await startTestSystem(t);
    const { schedule, reservation, paymentId } = await anaPays(system, seatNos);
    t.equal(await balance(system, 'ana'), 1_000 - 100 * seatNos.length, 'paid');

    const outcome = await cancel(system, reservation);
    t.match(outcome, { status: 'CANCELLING', paymentId });
    await system.settle();
    await assertRefunded(t, system, schedule, reservation, paymentId);
    t.equal(await balance(system, 'ana'), 1_000, 'the balance is back');
    if (seatNos.length > 1) {
      const releases = (await system.store.readAll({})).filter((e) => e.type === 'SeatReleased').map((e) => (e.data as { seatNo: number }).seatNo);
      t.same(releases, [1, 3], 'released in order');
    }
    t.match((await system.invariants()).find((result) => result.id === 7), { ok: true, counts: { refunded: 1 } }, 'invariant 7 looked at it');
    await assertInvariants(t, system);
  });
}

t.test('past the cutoff a paid reservation stays paid', async (t) => {
  // A year's cutoff: the schedule's cancellations closed before the test clock began.
  const system = await startTestSystem(t, { env: { CANCELLATION_CUTOFF_MS: String(365 * 86_400_000) } });
  const { reservation, paymentId } = await anaPays(system, [1]);
  const before = await system.store.headPosition();
  t.equal(await rejection(cancel(system, reservation)), 'CANCELLATION_CLOSED');
  await system.settle();
  t.equal(await system.store.headPosition(), before, 'nothing written');
  t.same(await types(system, paymentStream(paymentId)), ['PaymentRequested', 'PaymentCompleted']);
  t.equal(await balance(system, 'ana'), 900);
  await assertInvariants(t, system);
});

t.test('while its payment is pending a reservation cannot be cancelled; once paid it can', async (t) => {
  // The seats do not answer yet: the payment stays PENDING.
  const system = await startTestSystem(t, { without: ['reservation'] });
  const { schedule, reservation, paymentId } = await anaPays(system, [1, 2]);
  const before = await system.store.headPosition();
  t.equal(await rejection(cancel(system, reservation)), 'PAYMENT_IN_PROGRESS');
  t.equal(await system.store.headPosition(), before, 'nothing written');

  await system.start(['reservation']);
  await system.settle();
  t.same(await types(system, paymentStream(paymentId)), ['PaymentRequested', 'PaymentCompleted']);
  t.match(await cancel(system, reservation), { status: 'CANCELLING', paymentId });
  await system.settle();
  await assertRefunded(t, system, schedule, reservation, paymentId);
  await assertInvariants(t, system);
});

t.test('a failed payment has nothing to cancel', async (t) => {
  const system = await startTestSystem(t);
  const { reservation, paymentId } = await anaPays(system, [1], 0);
  t.same(await types(system, paymentStream(paymentId)), ['PaymentRequested', 'PaymentFailed'], 'no points');
  t.equal(await rejection(cancel(system, reservation)), 'NOT_CANCELLABLE');
  await assertInvariants(t, system);
});

t.test('a cancel asked again, or twice at once, asks for one refund', async (t) => {
  const system = await startTestSystem(t);
  const { schedule, reservation, paymentId } = await anaPays(system, [1, 2]);
  const both = await Promise.all([cancel(system, reservation), cancel(system, reservation)]);
  for (const outcome of both) t.match(outcome, { status: 'CANCELLING', paymentId });
  t.match(await cancel(system, reservation), { status: 'CANCELLING', paymentId, position: null }, 'while the refund runs: the same, nothing written');
  await system.settle();
  t.match(await cancel(system, reservation), { status: 'CANCELLING', paymentId, position: null }, 'once refunded: the same, nothing written');
  await system.settle();
  await assertRefunded(t, system, schedule, reservation, paymentId);
  await assertInvariants(t, system);
});

t.test('every reaction delivered again after a refund, RefundRequested among them, changes nothing', async (t) => {
  const system = await startTestSystem(t);
  const { schedule, reservation, paymentId } = await anaPays(system, [1, 2]);
  await cancel(system, reservation);
  await system.settle();
  const before = await system.store.headPosition();
  await system.redeliverEverything();
  await system.settle();
  t.equal(await system.store.headPosition(), before, 'nothing appended');
  await assertRefunded(t, system, schedule, reservation, paymentId);
  t.equal(await balance(system, 'ana'), 1_000);
  await assertInvariants(t, system);
});

t.test('a hold cancelled before any payment (twice at once) is released at once, every seat of it, once', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(3, 100);
  const reservation = await hold(system, schedule, 'ana', [1, 2]);
  const both = await Promise.all([cancel(system, reservation), cancel(system, reservation)]);
  for (const outcome of both) t.match(outcome, { status: 'RELEASED' }, 'twice at once: both released');
  for (const seatNo of [1, 2]) {
    t.same(await types(system, seatStream(schedule.scheduleId, seatNo)), ['SeatHeld', 'SeatHoldReleased'], `seat ${seatNo}`);
  }
  t.equal(await claimed(system, schedule, 'ana'), 0, 'returned at once');
  await system.settle();
  const before = await system.store.headPosition();
  t.match(await cancel(system, reservation), { status: 'RELEASED', position: null }, 'asked again: the same, nothing written');
  t.equal(await system.store.headPosition(), before);
  // Its hold timer fires later and finds nothing to expire.
  system.clock.advance(system.config.holdTtlMs);
  await system.settle();
  t.same(await types(system, seatStream(schedule.scheduleId, 1)), ['SeatHeld', 'SeatHoldReleased']);
  await assertInvariants(t, system);
});

t.test('a hold that expired cannot be cancelled', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(3, 100);
  const reservation = await hold(system, schedule, 'ana', [1]);
  system.clock.advance(system.config.holdTtlMs);
  await system.settle();
  t.equal(await rejection(cancel(system, reservation)), 'NOT_CANCELLABLE');
  await assertInvariants(t, system);
});

t.test('a payment that lands while its hold is being cancelled: whichever reaches the seats first decides, and both end consistent', async (t) => {
  await t.test('paid in between: the seats stay reserved and the cancel says the payment is in progress', async (t) => {
    const system = await startTestSystem(t);
    const schedule = await system.openSchedule(3, 100);
    await system.charge('ana', 1_000);
    const reservation = await hold(system, schedule, 'ana', [1, 2]);
    let paymentId = '';
    // The cancel found no payment; before it reaches the seats, the payment is asked for and completes.
    const raced = racedAfterReading(system.store, paymentStream(paymentIdOf(reservation)), async () => {
      paymentId = (await pay(system, schedule, reservation)).paymentId;
      await system.settle();
    });
    const code = await rejection(cancelReservation(raced, reservation, system.clock.now(), async () => new Date(STARTS_AT - system.config.cancellationCutoffMs)));
    t.equal(code, 'PAYMENT_IN_PROGRESS');
    await system.settle();
    t.equal((await load(system.store, payment, paymentStream(paymentId))).state.status, 'COMPLETED', 'the payment stands');
    for (const seatNo of [1, 2]) {
      t.same(await types(system, seatStream(schedule.scheduleId, seatNo)), ['SeatHeld', 'SeatReserved'], `seat ${seatNo}: reserved, not released`);
    }
    t.equal(await claimed(system, schedule, 'ana'), 2, 'both seats still counted as hers');
    t.match(await cancel(system, reservation), { status: 'CANCELLING', paymentId }, 'asked again, it is a refund');
    await system.settle();
    await assertRefunded(t, system, schedule, reservation, paymentId);
    await assertInvariants(t, system);
  });

  await t.test('asked for in between, confirmed after: the seats are released first and the payment fails, nothing debited', async (t) => {
    // The seats answer the payment only once the cancel has released them.
    const system = await startTestSystem(t, { without: ['reservation'] });
    const schedule = await system.openSchedule(3, 100);
    await system.charge('ana', 1_000);
    const reservation = await hold(system, schedule, 'ana', [1, 2]);
    let paymentId = '';
    const raced = racedAfterReading(system.store, paymentStream(paymentIdOf(reservation)), async () => {
      paymentId = (await pay(system, schedule, reservation)).paymentId;
    });
    t.match(
      await cancelReservation(raced, reservation, system.clock.now(), async () => new Date(STARTS_AT - system.config.cancellationCutoffMs)),
      { status: 'RELEASED' },
    );
    await system.start(['reservation']);
    await system.settle();
    t.match((await load(system.store, payment, paymentStream(paymentId))).state, { status: 'FAILED', reason: 'NOT_HOLDER' });
    t.equal(await balance(system, 'ana'), 1_000, 'nothing debited');
    for (const seatNo of [1, 2]) {
      t.same((await load(system.store, seat, seatStream(schedule.scheduleId, seatNo))).state.status, 'AVAILABLE', `seat ${seatNo} free`);
    }
    t.equal(await claimed(system, schedule, 'ana'), 0);
    await assertInvariants(t, system);
  });
});
