import t from 'tap';
import { fold } from '../../../bus/decider.js';
import type { PaymentRef, RefundRequested } from '../../../domains/payment/events.js';
import type { ReleaseSeat } from '../../../domains/reservation/commands.js';
import type { SeatEvent } from '../../../domains/reservation/events.js';
import { seat } from '../../../domains/reservation/seat.js';
import {
  reactions,
  releaseNextSeatOnRefundReleased,
  releaseSeatOnRefundRequested,
  returnSeatOnSeatFreed,
} from '../../../domains/reservation/reactions.js';
import { given } from '../../support/given.js';
import { recorded } from '../../support/recorded.js';
import { heldAt, justBefore, later, ref, seatHeld, seatReleased, seatReserved } from './fixtures/seat.js';

const refund = (payment: PaymentRef = ref, reason = 'USER'): ReleaseSeat => ({
  type: 'ReleaseSeat',
  data: { ...payment, reason, now: later, refund: true },
});
const refundReleased: SeatEvent = { type: 'SeatReleased', data: { ...ref, reason: 'USER', releasedAt: later, refund: true } };

t.test('a refund releases the seat its completed payment reserved, marked as a refund', async (t) => {
  given(t, seat, [seatHeld, seatReserved]).when(refund()).then([refundReleased]);
  given(t, seat, [seatHeld, seatReserved])
    .when(refund(ref, 'SCHEDULE_CANCELLED'))
    .then([{ type: 'SeatReleased', data: { ...ref, reason: 'SCHEDULE_CANCELLED', releasedAt: later, refund: true } }], 'the reason says who asked');
  t.match(fold(seat, [seatHeld, seatReserved, refundReleased]), { status: 'AVAILABLE', holder: null, reservedFor: null }, 'AVAILABLE again');
});

t.test('a refund releases a seat once', async (t) => {
  given(t, seat, [seatHeld, seatReserved, refundReleased]).when(refund()).thenNothing('redelivered');
  given(t, seat, [seatHeld, seatReserved, seatReleased]).when(refund()).thenNothing('released for a failure already');
});

t.test('a refund never voids a seat: its payment confirmed every seat before it completed', async (t) => {
  const several = { ...ref, seatNos: [7, 8] };
  given(t, seat, []).when(refund(several)).thenNothing('a seat never held');
  given(t, seat, [seatHeld]).when(refund(several)).thenNothing('a seat held, not reserved');
  // The same command as a failure's release does void it: the flag is what tells them apart.
  given(t, seat, [seatHeld])
    .when({ type: 'ReleaseSeat', data: { ...several, reason: 'SCHEDULE_CANCELLED', now: later } })
    .then([{ type: 'SeatReservationVoided', data: { ...several, reason: 'SCHEDULE_CANCELLED', voidedAt: later } }]);
});

t.test("a refund leaves another payment's seat alone", async (t) => {
  given(t, seat, [seatHeld, seatReserved]).when(refund({ ...ref, paymentId: 'p-other' })).thenNothing();
});

const created = new Date('2030-02-01T10:08:00.123Z');
const now = created.toISOString();
const twoSeats: PaymentRef = { ...ref, amount: 2400, seatNos: [7, 8] };
const refundRequested = (payment: PaymentRef): RefundRequested => ({
  type: 'RefundRequested',
  data: { ...payment, reason: 'USER', requestedAt: heldAt, completedAt: justBefore, refundRequestedAt: later },
});

t.test('the reservation service releases a refund’s seats in order', async (t) => {
  t.ok(reactions.includes(releaseSeatOnRefundRequested) && reactions.includes(releaseNextSeatOnRefundReleased), 'both run');
  t.same(releaseSeatOnRefundRequested.eventTypes, ['RefundRequested']);
  t.same(releaseNextSeatOnRefundReleased.eventTypes, ['SeatReleased']);

  t.same(
    releaseSeatOnRefundRequested.react(recorded(`payment-${ref.paymentId}`, refundRequested(twoSeats), created)),
    [{ streamId: 'seat-sch-1_7', command: { type: 'ReleaseSeat', data: { ...twoSeats, reason: 'USER', refund: true, now } } }],
    'RefundRequested releases the first seat only, at the event time',
  );
  t.same(
    releaseSeatOnRefundRequested.react(recorded(`payment-${ref.paymentId}`, refundRequested(ref), created)),
    [{ streamId: 'seat-sch-1_7', command: { type: 'ReleaseSeat', data: { ...ref, reason: 'USER', refund: true, now } } }],
    'one seat: that seat',
  );

  const first: SeatEvent = { type: 'SeatReleased', data: { ...twoSeats, reason: 'USER', releasedAt: later, refund: true } };
  t.same(
    releaseNextSeatOnRefundReleased.react(recorded('seat-sch-1_7', first, created)),
    [{ streamId: 'seat-sch-1_8', command: { type: 'ReleaseSeat', data: { ...twoSeats, seatNo: 8, reason: 'USER', refund: true, now } } }],
    "the first seat's release releases the next",
  );
  const last: SeatEvent = { type: 'SeatReleased', data: { ...twoSeats, seatNo: 8, reason: 'USER', releasedAt: later, refund: true } };
  t.same(releaseNextSeatOnRefundReleased.react(recorded('seat-sch-1_8', last, created)), [], 'the last seat ends the chain');
  const failure: SeatEvent = { type: 'SeatReleased', data: { ...twoSeats, reason: 'TIMEOUT', releasedAt: later } };
  t.same(releaseNextSeatOnRefundReleased.react(recorded('seat-sch-1_7', failure, created)), [], "a failure's release is not a refund's");
});

t.test("a refund's freed seat is returned to its user's allowance", async (t) => {
  const targets = returnSeatOnSeatFreed.react(recorded('seat-sch-1_7', refundReleased, created));
  t.same(targets, [
    {
      streamId: 'holdings-sch-1_alice',
      command: { type: 'ReturnSeats', data: { reservationId: 'r-1', scheduleId: 'sch-1', userId: 'alice', seatNos: [7], reason: 'SeatReleased', now } },
    },
  ]);
});
