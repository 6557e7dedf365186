import t from 'tap';
import { seat } from '../../../domains/reservation/seat.js';
import type { ConfirmSeat, HoldSeat, ReleaseSeat, WithdrawSeat } from '../../../domains/reservation/commands.js';
import type { SeatEvent } from '../../../domains/reservation/events.js';
import type { ScheduleCancelled } from '../../../domains/concert/events.js';
import { withdrawSeatsOnScheduleCancelled } from '../../../domains/reservation/reactions.js';
import { given } from '../../support/given.js';
import { recorded } from '../../support/recorded.js';
import { bobHold, heldAt, hold, justBefore, later, ref, seatHeld, seatReserved, ttlMs } from './fixtures/seat.js';

const withdrawnAt = '2030-02-01T10:02:00.000Z';
const withdraw: WithdrawSeat = { type: 'WithdrawSeat', data: { scheduleId: 'sch-1', seatNo: 7, now: withdrawnAt } };
const withdrawn: SeatEvent = { type: 'SeatWithdrawn', data: { scheduleId: 'sch-1', seatNo: 7, withdrawnAt } };
const withdrawnReserved: SeatEvent = { type: 'SeatWithdrawn', data: { scheduleId: 'sch-1', seatNo: 7, withdrawnAt, paymentId: 'p-1' } };
const holdReleased: SeatEvent = {
  type: 'SeatHoldReleased',
  data: { reservationId: 'r-1', scheduleId: 'sch-1', seatNo: 7, userId: 'alice', reason: 'SCHEDULE_CANCELLED', releasedAt: withdrawnAt },
};

t.test('a free seat is withdrawn', async (t) => {
  given(t, seat, []).when(withdraw).then([withdrawn]);
});

t.test("a held seat's hold is released in the same decision that withdraws it", async (t) => {
  given(t, seat, [seatHeld]).when(withdraw).then([holdReleased, withdrawn]);
});

t.test('a reserved seat stays RESERVED and names its payment, for the payment service to undo', async (t) => {
  given(t, seat, [seatHeld, seatReserved]).when(withdraw).then([withdrawnReserved]);
  const state = [seatHeld, seatReserved, withdrawnReserved].reduce(seat.evolve, seat.initialState());
  t.match(state, { status: 'RESERVED', reservedFor: 'p-1', withdrawn: true });
});

t.test('a seat is withdrawn once: the redelivered command decides nothing', async (t) => {
  given(t, seat, [withdrawn]).when(withdraw).thenNothing();
  given(t, seat, [seatHeld, holdReleased, withdrawn]).when(withdraw).thenNothing('after its hold was released');
  given(t, seat, [seatHeld, seatReserved, withdrawnReserved]).when(withdraw).thenNothing('while still RESERVED');
});

t.test('a withdrawn seat takes no hold: SCHEDULE_CANCELLED', async (t) => {
  const holdSeat = (data: typeof hold, now = later): HoldSeat => ({ type: 'HoldSeat', data: { ...data, now, ttlMs } });
  given(t, seat, [withdrawn]).when(holdSeat(bobHold)).rejects('SCHEDULE_CANCELLED');
  given(t, seat, [seatHeld, holdReleased, withdrawn]).when(holdSeat(hold, heldAt)).rejects('SCHEDULE_CANCELLED', 'not even its old holder again');
});

t.test('a payment that reaches a withdrawn seat is refused with SCHEDULE_CANCELLED, whatever else holds', async (t) => {
  const confirm: ConfirmSeat = { type: 'ConfirmSeat', data: { ...ref, requestedAt: justBefore, now: later } };
  const rejected: SeatEvent = { type: 'SeatReservationRejected', data: { ...ref, reason: 'SCHEDULE_CANCELLED' } };
  given(t, seat, [seatHeld, holdReleased, withdrawn]).when(confirm).then([rejected], 'its hold was released by the cancellation');
  given(t, seat, [withdrawn]).when(confirm).then([rejected], 'never held');
  given(t, seat, [seatHeld, holdReleased, withdrawn, rejected]).when(confirm).thenNothing('answered once');
});

t.test('the release of a withdrawn seat says so; the seat stays withdrawn', async (t) => {
  const release: ReleaseSeat = { type: 'ReleaseSeat', data: { ...ref, reason: 'SCHEDULE_CANCELLED', now: later } };
  const released: SeatEvent = { type: 'SeatReleased', data: { ...ref, reason: 'SCHEDULE_CANCELLED', releasedAt: later, withdrawn: true } };
  given(t, seat, [seatHeld, seatReserved, withdrawnReserved]).when(release).then([released]);
  const state = [seatHeld, seatReserved, withdrawnReserved, released].reduce(seat.evolve, seat.initialState());
  t.match(state, { status: 'AVAILABLE', withdrawn: true });
  given(t, seat, [seatHeld, seatReserved, withdrawnReserved, released]).when(withdraw).thenNothing('and is not withdrawn twice');
});

t.test('a cancelled schedule withdraws each of its seats, at the time of the event', async (t) => {
  t.same(withdrawSeatsOnScheduleCancelled.eventTypes, ['ScheduleCancelled']);
  const created = new Date('2030-02-01T10:02:00.500Z');
  const cancelled: ScheduleCancelled = {
    type: 'ScheduleCancelled',
    data: { concertId: 'c-1', scheduleId: 'sch-1', seatCount: 3, cancelledAt: withdrawnAt },
  };
  const now = created.toISOString();
  t.same(withdrawSeatsOnScheduleCancelled.react(recorded('concert-c-1', cancelled, created)), [1, 2, 3].map((seatNo) => ({
    streamId: `seat-sch-1_${seatNo}`,
    command: { type: 'WithdrawSeat', data: { scheduleId: 'sch-1', seatNo, now } },
  })));
});
