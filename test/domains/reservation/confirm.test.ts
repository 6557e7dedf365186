import t from 'tap';
import { seat } from '../../../domains/reservation/seat.js';
import type { PaymentRef } from '../../../domains/payment/events.js';
import type { ConfirmSeat } from '../../../domains/reservation/commands.js';
import { given } from '../../support/given.js';
import {
  bobHeld,
  bobRef,
  expiresAt,
  holdExpired,
  justBefore,
  later,
  ref,
  seatHeld,
  seatReleased,
  seatReserved,
} from './fixtures/seat.js';

const processedAt = '2030-02-01T10:08:00.000Z';

function confirmSeat(payment: PaymentRef, requestedAt: string): ConfirmSeat {
  return { type: 'ConfirmSeat', data: { ...payment, requestedAt, now: processedAt } };
}

t.test('the holder paying before the hold ends gets the seat', async (t) => {
  given(t, seat, [seatHeld])
    .when(confirmSeat(ref, justBefore))
    .then([{ type: 'SeatReserved', data: { ...ref, reservedAt: processedAt } }]);
});

t.test('the decision is taken at requestedAt, not at processing time', async (t) => {
  // Processed after expiresAt (a slow saga), but requested in time: still reserved.
  given(t, seat, [seatHeld])
    .when({ type: 'ConfirmSeat', data: { ...ref, requestedAt: justBefore, now: later } })
    .then([{ type: 'SeatReserved', data: { ...ref, reservedAt: later } }]);
});

t.test('a payment requested exactly at expiresAt is too late', async (t) => {
  given(t, seat, [seatHeld])
    .when(confirmSeat(ref, expiresAt))
    .then([{ type: 'SeatReservationRejected', data: { ...ref, reason: 'HOLD_EXPIRED' } }]);
});

t.test('a payment for a hold that has expired is HOLD_EXPIRED', async (t) => {
  given(t, seat, [seatHeld, holdExpired])
    .when(confirmSeat(ref, justBefore))
    .then([{ type: 'SeatReservationRejected', data: { ...ref, reason: 'HOLD_EXPIRED' } }]);
});

t.test('an expired hold is named as the cause even when the seat has moved on', async (t) => {
  given(t, seat, [seatHeld, holdExpired, bobHeld])
    .when(confirmSeat(ref, justBefore))
    .then([{ type: 'SeatReservationRejected', data: { ...ref, reason: 'HOLD_EXPIRED' } }]);
});

t.test("another user paying for the holder's reservation is NOT_HOLDER", async (t) => {
  const mallory = { ...ref, userId: 'mallory' };
  given(t, seat, [seatHeld])
    .when(confirmSeat(mallory, justBefore))
    .then([{ type: 'SeatReservationRejected', data: { ...mallory, reason: 'NOT_HOLDER' } }]);
});

t.test('a payment for a reservation that does not hold the seat is NOT_HOLDER', async (t) => {
  given(t, seat, [seatHeld])
    .when(confirmSeat(bobRef, justBefore))
    .then([{ type: 'SeatReservationRejected', data: { ...bobRef, reason: 'NOT_HOLDER' } }]);
  given(t, seat, [])
    .when(confirmSeat(ref, justBefore))
    .then([{ type: 'SeatReservationRejected', data: { ...ref, reason: 'NOT_HOLDER' } }], 'a seat never held');
});

t.test('a seat reserved by another payment is ALREADY_RESERVED', async (t) => {
  const twin = { ...ref, paymentId: 'p-other' };
  given(t, seat, [seatHeld, seatReserved])
    .when(confirmSeat(twin, justBefore))
    .then([{ type: 'SeatReservationRejected', data: { ...twin, reason: 'ALREADY_RESERVED' } }]);
});

t.test('a payment already confirmed is not confirmed again', async (t) => {
  given(t, seat, [seatHeld, seatReserved]).when(confirmSeat(ref, justBefore)).thenNothing();
  given(t, seat, [seatHeld, seatReserved, seatReleased])
    .when(confirmSeat(ref, justBefore))
    .thenNothing('nor after its release');
});

t.test('a payment already rejected is not answered again', async (t) => {
  given(t, seat, [seatHeld, holdExpired, { type: 'SeatReservationRejected', data: { ...ref, reason: 'HOLD_EXPIRED' } }])
    .when(confirmSeat(ref, justBefore))
    .thenNothing();
});

t.test('the reference in the answer is exactly the saga reference', async (t) => {
  const [event] = seat.decide(confirmSeat(ref, justBefore), seat.evolve(seat.initialState(), seatHeld));
  t.same(Object.keys(event?.data ?? {}).sort(), [...Object.keys(ref), 'reservedAt'].sort());
});
