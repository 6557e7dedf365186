import t from 'tap';
import { seat } from '../../../domains/reservation/seat.js';
import type { PaymentRef } from '../../../domains/payment/events.js';
import type { ReleaseSeat } from '../../../domains/reservation/commands.js';
import { given } from '../../support/given.js';
import { bobRef, holdExpired, later, ref, seatHeld, seatReleased, seatReserved } from './fixtures/seat.js';

function releaseSeat(payment: PaymentRef, reason = 'INSUFFICIENT_BALANCE'): ReleaseSeat {
  return { type: 'ReleaseSeat', data: { ...payment, reason, now: later } };
}

t.test('a seat reserved for a failed payment is released, with the failure as the reason', async (t) => {
  given(t, seat, [seatHeld, seatReserved]).when(releaseSeat(ref)).then([seatReleased]);
  given(t, seat, [seatHeld, seatReserved])
    .when(releaseSeat(ref, 'TIMEOUT'))
    .then([{ type: 'SeatReleased', data: { ...ref, reason: 'TIMEOUT', releasedAt: later } }]);
});

t.test('a seat is released once per payment', async (t) => {
  given(t, seat, [seatHeld, seatReserved, seatReleased]).when(releaseSeat(ref, 'TIMEOUT')).thenNothing();
});

t.test('a seat reserved for another payment is not released', async (t) => {
  given(t, seat, [seatHeld, seatReserved]).when(releaseSeat(bobRef)).thenNothing();
});

t.test('a seat the payment never reserved is left alone', async (t) => {
  given(t, seat, [seatHeld]).when(releaseSeat(ref)).thenNothing('still held');
  given(t, seat, [seatHeld, holdExpired]).when(releaseSeat(ref)).thenNothing('expired');
  given(t, seat, []).when(releaseSeat(ref)).thenNothing('never held');
});
