import t from 'tap';
import { join } from 'node:path';
import { startTestSystem, assertInvariants, type TestSystem } from '../support/system.js';
import { hold, pay, type Schedule } from '../support/reservations.js';
import { seatStream } from '../../domains/reservation/seat.js';
import { holdings, holdingsStream, seatsClaimed } from '../../domains/reservation/holdings.js';
import { paymentStream } from '../../domains/payment/payment.js';
import { pointsStream } from '../../domains/point/wallet.js';
import { handleCommand, load } from '../../bus/command.js';
import { Rejection } from '../../bus/decider.js';
import { SqliteEventStore } from '../../infra/eventstore/sqlite.js';
import type { EventStore } from '../../infra/eventstore/port.js';


const claimedBy = async (system: TestSystem, schedule: Schedule, userId: string) =>
  seatsClaimed((await load(system.store, holdings, holdingsStream(schedule.scheduleId, userId))).state);

t.test('three seats paid at once: every seat reserved, the amount debited once', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(5, 100);
  await system.charge('ana', 1_000);
  const reservation = await hold(system, schedule, 'ana', [4, 2, 3]);
  t.same(reservation.seatNos, [2, 3, 4], 'ascending');
  t.equal(reservation.amount, 300);
  const { paymentId } = await pay(system, schedule, reservation);
  await system.settle();
  t.same(await system.streamTypes(paymentStream(paymentId)), ['PaymentRequested', 'PaymentCompleted']);
  for (const seatNo of [2, 3, 4]) t.same(await system.streamTypes(seatStream(schedule.scheduleId, seatNo)), ['SeatHeld', 'SeatReserved'], `seat ${seatNo}`);
  const wallet = await system.store.readStream(pointsStream('ana'));
  t.same(wallet.map((e) => e.type), ['PointsCharged', 'PointsDebited'], 'one debit');
  t.match(wallet[1]!.data, { amount: 300, balanceAfter: 700 });
  t.equal(await claimedBy(system, schedule, 'ana'), 3, 'the paid seats still count against the limit');
  await assertInvariants(t, system);
});

t.test('a request that stopped after its first seat: the payment fails on the second, both seats end free, nothing debited', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(3, 100);
  await system.charge('ana', 1_000);
  const now = system.clock.now().toISOString();
  const expiresAt = new Date(system.clock.now().getTime() + system.config.holdTtlMs).toISOString();
  const reservationId = 'r-halfway';
  const base = { reservationId, scheduleId: schedule.scheduleId, userId: 'ana' };
  // What holdSeats writes before a crash between its seat appends: the claim and the first seat only.
  await handleCommand(system.store, holdings, holdingsStream(schedule.scheduleId, 'ana'), {
    type: 'ClaimSeats',
    data: { ...base, seatNos: [1, 2], maxSeats: 4, now, expiresAt },
  });
  const { seat } = await import('../../domains/reservation/seat.js');
  await handleCommand(system.store, seat, seatStream(schedule.scheduleId, 1), {
    type: 'HoldSeat',
    data: { ...base, seatNo: 1, price: 100, now, ttlMs: system.config.holdTtlMs, seatNos: [1, 2] },
  });
  const { paymentId } = await pay(system, schedule, { reservationId, userId: 'ana', seatNos: [1, 2], amount: 200 });
  await system.settle();
  const events = await system.store.readStream(paymentStream(paymentId));
  t.match(events.map((e) => ({ type: e.type, reason: (e.data as { reason?: string }).reason })), [
    { type: 'PaymentRequested' },
    { type: 'PaymentFailed', reason: 'NOT_HOLDER' },
  ]);
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 1)), ['SeatHeld', 'SeatReserved', 'SeatReleased'], 'the first seat is given back');
  t.same(await system.streamTypes(pointsStream('ana')), ['PointsCharged', 'DebitVoided'], 'nothing debited');
  // Then the claim's expiry: the seat it never held is voided, and the user's allowance is whole again.
  system.clock.advance(system.config.holdTtlMs);
  await system.settle();
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 2)), ['SeatReservationRejected', 'SeatHoldVoided']);
  t.equal(await claimedBy(system, schedule, 'ana'), 0);
  await assertInvariants(t, system);
});

t.test('a request that stopped after its first seat and was never paid: every seat ends free at the expiry', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(3, 100);
  const now = system.clock.now().toISOString();
  const expiresAt = new Date(system.clock.now().getTime() + system.config.holdTtlMs).toISOString();
  const base = { reservationId: 'r-crash', scheduleId: schedule.scheduleId, userId: 'ana' };
  await handleCommand(system.store, holdings, holdingsStream(schedule.scheduleId, 'ana'), {
    type: 'ClaimSeats',
    data: { ...base, seatNos: [1, 2, 3], maxSeats: 4, now, expiresAt },
  });
  const { seat } = await import('../../domains/reservation/seat.js');
  await handleCommand(system.store, seat, seatStream(schedule.scheduleId, 1), {
    type: 'HoldSeat',
    data: { ...base, seatNo: 1, price: 100, now, ttlMs: system.config.holdTtlMs, seatNos: [1, 2, 3] },
  });
  await system.settle();
  system.clock.advance(system.config.holdTtlMs);
  await system.settle();
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 1)), ['SeatHeld', 'SeatHoldExpired']);
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 2)), ['SeatHoldVoided']);
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 3)), ['SeatHoldVoided']);
  t.equal(await claimedBy(system, schedule, 'ana'), 0, 'every claimed seat returned');
  await t.rejects(
    handleCommand(system.store, seat, seatStream(schedule.scheduleId, 2), {
      type: 'HoldSeat',
      data: { ...base, seatNo: 2, price: 100, now: system.clock.now().toISOString(), ttlMs: system.config.holdTtlMs, seatNos: [1, 2, 3] },
    }),
    { code: 'SEAT_UNAVAILABLE' },
    'the stopped request, resumed late, cannot take a voided seat',
  );
  await assertInvariants(t, system);
});

t.test('one seat of several taken: refused before anything is written, naming the taken seats', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(4, 100);
  await hold(system, schedule, 'ben', [3]);
  const head = await system.store.headPosition();
  const refused = await hold(system, schedule, 'ana', [2, 3, 4]).catch((error: unknown) => error);
  t.ok(refused instanceof Rejection, 'refused');
  t.match(refused, { code: 'SEAT_UNAVAILABLE', unavailable: [3], details: { unavailable: [3] } });
  t.equal(await system.store.headPosition(), head, 'nothing appended');
  await assertInvariants(t, system);
});

t.test('a seat lost to a concurrent hold halfway: the seats held are given up, the rest voided, the claim returned', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(4, 100);
  let raced = false;
  // Ben takes seat 3 between ana's look at it and her append to it.
  const racing = new Proxy(system.store, {
    get(target, property, receiver) {
      if (property === 'append') {
        const append: EventStore['append'] = async (streamId, events, expected, options) => {
          if (streamId === seatStream(schedule.scheduleId, 3) && !raced) {
            raced = true;
            await hold(system, schedule, 'ben', [3]);
          }
          return target.append(streamId, events, expected, options);
        };
        return append;
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const refused = await hold(system, schedule, 'ana', [2, 3, 4], racing).catch((error: unknown) => error);
  t.ok(raced, 'the race happened');
  t.match(refused, { code: 'SEAT_UNAVAILABLE', unavailable: [3] });
  await system.settle();
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 2)), ['SeatHeld', 'SeatHoldReleased'], 'the seat held first is given up');
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 3)), ['SeatHeld', 'SeatHoldVoided'], "ben's hold stands");
  t.same(await system.streamTypes(seatStream(schedule.scheduleId, 4)), ['SeatHoldVoided']);
  t.equal(await claimedBy(system, schedule, 'ana'), 0);
  const again = await hold(system, schedule, 'ana', [1, 2, 4]);
  t.same(again.seatNos, [1, 2, 4], 'ana can hold the free seats at once');
  await assertInvariants(t, system);
});

t.test('five concurrent holds on different seats by one user, from two processes: four succeed, one is SEAT_LIMIT', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(10, 100);
  // A second handle on the same embedded store stands for another API process: its appends race through the stream revision.
  const onServer = Boolean(system.stores.env.EVENTSTORE_URL);
  const other = onServer ? system.store : new SqliteEventStore({ file: join(system.stores.dir, 'events.db'), now: () => system.clock.now() });
  if (other !== system.store) t.teardown(() => other.close());
  const outcomes = await Promise.all(
    [1, 2, 3, 4, 5].map((seatNo) =>
      hold(system, schedule, 'ana', [seatNo], seatNo % 2 === 0 ? other : system.store).then(
        () => 'HELD',
        (error: unknown) => (error instanceof Rejection ? error.code : String(error)),
      ),
    ),
  );
  t.same([...outcomes].sort(), ['HELD', 'HELD', 'HELD', 'HELD', 'SEAT_LIMIT']);
  await system.settle();
  t.equal(await claimedBy(system, schedule, 'ana'), 4);
  await t.rejects(hold(system, schedule, 'ana', [9, 10]), { code: 'SEAT_LIMIT' }, 'and no more later');
  t.ok(await hold(system, schedule, 'ben', [9, 10]), 'the limit is per user');
  // The holds expire: the seats return to ana's allowance.
  system.clock.advance(system.config.holdTtlMs);
  await system.settle();
  t.equal(await claimedBy(system, schedule, 'ana'), 0);
  t.ok(await hold(system, schedule, 'ana', [5, 6, 7, 8]), 'four again');
  await assertInvariants(t, system);
});

t.test('a failed several-seat payment (no points) releases every seat and returns them to the allowance', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(4, 100);
  await system.charge('ana', 150);
  const reservation = await hold(system, schedule, 'ana', [1, 2]);
  const { paymentId } = await pay(system, schedule, reservation);
  await system.settle();
  const [, failed] = await system.store.readStream(paymentStream(paymentId));
  t.match(failed, { type: 'PaymentFailed', data: { reason: 'INSUFFICIENT_BALANCE' } });
  for (const seatNo of [1, 2]) {
    t.same(await system.streamTypes(seatStream(schedule.scheduleId, seatNo)), ['SeatHeld', 'SeatReserved', 'SeatReleased'], `seat ${seatNo}`);
  }
  t.equal(await claimedBy(system, schedule, 'ana'), 0);
  await assertInvariants(t, system);
});
