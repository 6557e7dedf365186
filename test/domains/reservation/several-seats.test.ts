import t from 'tap';
import { fold } from '../../../bus/decider.js';
import type { PaymentRef, PaymentFailed, PaymentRequested } from '../../../domains/payment/events.js';
import type { ConfirmSeat, ExpireHold, HoldSeat, ReleaseHold, ReleaseSeat } from '../../../domains/reservation/commands.js';
import type { SeatEvent } from '../../../domains/reservation/events.js';
import { seat } from '../../../domains/reservation/seat.js';
import {
  confirmNextSeatOnSeatReserved,
  confirmSeatOnPaymentRequested,
  releaseSeatOnFailure,
  returnSeatOnSeatFreed,
} from '../../../domains/reservation/reactions.js';
import { holdExpiry } from '../../../domains/reservation/timers.js';
import { debitOnSeatReserved } from '../../../domains/point/reactions.js';
import { countSaleOnPaymentCompleted } from '../../../domains/ranking/reactions.js';
import { given } from '../../support/given.js';
import { recorded } from '../../support/recorded.js';
import { expiresAt, heldAt, justBefore, later, ttlMs } from './fixtures/seat.js';

/** Alice's reservation r-1 of seats 7 and 8; these tests look at seat 8 unless they say otherwise. */
const seatNos = [7, 8];
const hold8 = { reservationId: 'r-1', scheduleId: 'sch-1', seatNo: 8, userId: 'alice', price: 1200 };
const held8: SeatEvent = { type: 'SeatHeld', data: { ...hold8, heldAt, expiresAt, seatNos } };
const ref: PaymentRef = { paymentId: 'p-1', reservationId: 'r-1', userId: 'alice', concertId: 'c-1', scheduleId: 'sch-1', seatNo: 7, amount: 2400, seatNos };
const claimed8 = { scheduleId: 'sch-1', seatNo: 8, userId: 'alice', expiresAt };
const created = new Date('2030-02-01T10:06:00.123Z');
const now = created.toISOString();

const holdSeat = (data: Partial<HoldSeat['data']> = {}): HoldSeat => ({ type: 'HoldSeat', data: { ...hold8, now: heldAt, ttlMs, seatNos, ...data } });
const releaseHold = (reservationId = 'r-1'): ReleaseHold => ({
  type: 'ReleaseHold',
  data: { reservationId, scheduleId: 'sch-1', seatNo: 8, userId: 'alice', reason: 'ABANDONED', now: justBefore },
});
const expireClaim = (at: string): ExpireHold => ({ type: 'ExpireHold', data: { reservationId: 'r-1', now: at, claimed: claimed8 } });
const confirm8: ConfirmSeat = { type: 'ConfirmSeat', data: { ...ref, seatNo: 8, requestedAt: justBefore, now: justBefore } };
const release8: ReleaseSeat = { type: 'ReleaseSeat', data: { ...ref, seatNo: 8, reason: 'TIMEOUT', now: later } };
const voided8: SeatEvent = { type: 'SeatHoldVoided', data: { reservationId: 'r-1', scheduleId: 'sch-1', seatNo: 8, userId: 'alice', voidedAt: justBefore } };
const released8: SeatEvent = {
  type: 'SeatHoldReleased',
  data: { reservationId: 'r-1', scheduleId: 'sch-1', seatNo: 8, userId: 'alice', reason: 'ABANDONED', releasedAt: justBefore },
};

t.test('a seat held for a several-seat reservation names all of its seats', async (t) => {
  given(t, seat, []).when(holdSeat()).then([held8]);
});

t.test('a hold given up is released, and the reservation cannot hold the seat again', async (t) => {
  given(t, seat, [held8]).when(releaseHold()).then([released8]);
  given(t, seat, [held8, released8]).when(releaseHold()).thenNothing('released once');
  given(t, seat, [held8, released8]).when(holdSeat({ now: justBefore })).rejects('SEAT_UNAVAILABLE');
  t.match(fold(seat, [held8, released8]), { status: 'AVAILABLE', holder: null }, 'the seat is free for others');
});

t.test('a seat the reservation never held is voided for it, so a request still under way cannot take it later', async (t) => {
  given(t, seat, []).when(releaseHold()).then([voided8]);
  given(t, seat, [voided8]).when(releaseHold()).thenNothing('voided once');
  given(t, seat, [voided8]).when(holdSeat({ now: justBefore })).rejects('SEAT_UNAVAILABLE');
});

t.test("giving up leaves another holder's hold alone", async (t) => {
  const bob: SeatEvent = { type: 'SeatHeld', data: { ...hold8, reservationId: 'r-2', userId: 'bob', heldAt, expiresAt } };
  given(t, seat, [bob])
    .when(releaseHold())
    .then([voided8]);
  t.match(fold(seat, [bob, voided8]), { status: 'HELD', holder: { reservationId: 'r-2' } });
});

t.test('a reserved seat is not given up by a release of its hold (only its payment gives it back)', async (t) => {
  const reserved: SeatEvent = { type: 'SeatReserved', data: { ...ref, seatNo: 8, reservedAt: justBefore, requestedAt: justBefore } };
  given(t, seat, [held8, reserved]).when(releaseHold()).thenNothing();
});

t.test("the claim's timer voids a seat never held, at the claim's expiry and not before", async (t) => {
  given(t, seat, []).when(expireClaim(expiresAt)).then([{ ...voided8, data: { ...voided8.data, voidedAt: expiresAt } }]);
  given(t, seat, []).when(expireClaim(justBefore)).thenNothing('an early timer waits');
  given(t, seat, [held8]).when(expireClaim(expiresAt)).then([
    { type: 'SeatHoldExpired', data: { reservationId: 'r-1', scheduleId: 'sch-1', seatNo: 8, userId: 'alice', expiredAt: expiresAt } },
  ]);
});

t.test("a several-seat confirmation carries requestedAt, by which the next seat is judged", async (t) => {
  given(t, seat, [held8]).when(confirm8).then([{ type: 'SeatReserved', data: { ...ref, seatNo: 8, reservedAt: justBefore, requestedAt: justBefore } }]);
});

t.test('a several-seat payment that failed before its confirmation reached a seat voids it there', async (t) => {
  const voided: SeatEvent = { type: 'SeatReservationVoided', data: { ...ref, seatNo: 8, reason: 'TIMEOUT', voidedAt: later } };
  given(t, seat, [held8]).when(release8).then([voided]);
  given(t, seat, [held8, voided]).when(confirm8).thenNothing('the late confirmation reserves nothing');
  given(t, seat, [held8, voided]).when(release8).thenNothing('voided once');
});

t.test('a payment confirms its first seat, then each next one in order; the last one ends the chain', async (t) => {
  const requested: PaymentRequested = { type: 'PaymentRequested', data: { ...ref, requestedAt: justBefore, deadlineAt: later } };
  t.same(confirmSeatOnPaymentRequested.react(recorded('payment-p-1', requested, created)), [
    { streamId: 'seat-sch-1_7', command: { type: 'ConfirmSeat', data: { ...ref, seatNo: 7, requestedAt: justBefore, now } } },
  ]);
  const reserved7: SeatEvent = { type: 'SeatReserved', data: { ...ref, seatNo: 7, reservedAt: justBefore, requestedAt: justBefore } };
  t.same(confirmNextSeatOnSeatReserved.react(recorded('seat-sch-1_7', reserved7, created)), [
    { streamId: 'seat-sch-1_8', command: { type: 'ConfirmSeat', data: { ...ref, seatNo: 8, requestedAt: justBefore, now } } },
  ]);
  const reserved8: SeatEvent = { type: 'SeatReserved', data: { ...ref, seatNo: 8, reservedAt: justBefore, requestedAt: justBefore } };
  t.same(confirmNextSeatOnSeatReserved.react(recorded('seat-sch-1_8', reserved8, created)), [], 'nothing after the last seat');
  t.same(debitOnSeatReserved.react(recorded('seat-sch-1_7', reserved7, created)), [], 'no debit before every seat is reserved');
  t.match(debitOnSeatReserved.react(recorded('seat-sch-1_8', reserved8, created)), [
    { streamId: 'points-alice', command: { type: 'Debit', data: { paymentId: 'p-1', amount: 2400 } } },
  ], 'the whole amount, once, on the last seat');
});

t.test('a failed several-seat payment releases every seat of it', async (t) => {
  const failed: PaymentFailed = { type: 'PaymentFailed', data: { ...ref, reason: 'NOT_HOLDER', requestedAt: justBefore, failedAt: later } };
  t.same(
    releaseSeatOnFailure.react(recorded('payment-p-1', failed, created)).map((target) => target.streamId),
    ['seat-sch-1_7', 'seat-sch-1_8'],
  );
});

t.test('a freed seat goes back to its user’s holdings for the schedule', async (t) => {
  for (const event of [released8, voided8]) {
    t.same(returnSeatOnSeatFreed.react(recorded('seat-sch-1_8', event, created)), [
      {
        streamId: 'holdings-sch-1_alice',
        command: { type: 'ReturnSeats', data: { reservationId: 'r-1', scheduleId: 'sch-1', userId: 'alice', seatNos: [8], reason: event.type, now } },
      },
    ]);
  }
  t.same(returnSeatOnSeatFreed.react(recorded('seat-sch-1_8', held8, created)), [], 'a hold frees nothing');
});

t.test('every seat of a completed payment counts towards the sell-out', async (t) => {
  const completed = { type: 'PaymentCompleted', data: { ...ref, requestedAt: justBefore, completedAt: later } };
  t.same(
    countSaleOnPaymentCompleted.react(recorded('payment-p-1', completed, created)).map((target) => target.command.data),
    [7, 8].map((seatNo) => ({ scheduleId: 'sch-1', paymentId: 'p-1', seatNo, paidAt: later })),
  );
});

t.test('claiming seats sets a hold timer on every seat, which voids the ones never held', async (t) => {
  const claimed = {
    type: 'SeatsClaimed',
    data: { reservationId: 'r-1', scheduleId: 'sch-1', userId: 'alice', seatNos, claimedAt: heldAt, expiresAt },
  };
  const changes = holdExpiry.schedule(recorded('holdings-sch-1_alice', claimed));
  t.same(changes, [7, 8].map((seatNo) => ({
    op: 'set',
    key: `r-1/${seatNo}`,
    dueAt: expiresAt,
    streamId: `seat-sch-1_${seatNo}`,
    payload: { reservationId: 'r-1', claimed: { scheduleId: 'sch-1', seatNo, userId: 'alice', expiresAt } },
  })));
  t.same(holdExpiry.schedule(recorded('seat-sch-1_8', held8)), [changes[1]], 'the hold keeps the same timer');
  const second = changes[1]!;
  if (second.op !== 'set') throw new Error('a set');
  const [target] = await holdExpiry.fire({ key: second.key, dueAt: second.dueAt, streamId: second.streamId, payload: second.payload ?? {} }, new Date(expiresAt));
  t.same(target?.command, expireClaim(expiresAt));
});
