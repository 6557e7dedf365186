import t from 'tap';
import { seat } from '../../../domains/reservation/seat.js';
import type { ExpireHold } from '../../../domains/reservation/commands.js';
import { given } from '../../support/given.js';
import { bobHeld, expiresAt, holdExpired, justBefore, later, seatHeld, seatReserved } from './fixtures/seat.js';

function expireHold(reservationId: string, now: string): ExpireHold {
  return { type: 'ExpireHold', data: { reservationId, now } };
}

t.test('a hold still standing at its expiry time expires', async (t) => {
  given(t, seat, [seatHeld])
    .when(expireHold('r-1', expiresAt))
    .then([
      {
        type: 'SeatHoldExpired',
        data: { reservationId: 'r-1', scheduleId: 'sch-1', seatNo: 7, userId: 'alice', expiredAt: expiresAt },
      },
    ]);
});

t.test('a timer that fires late expires the hold at its firing time', async (t) => {
  given(t, seat, [seatHeld]).when(expireHold('r-1', later)).then([holdExpired]);
});

t.test('a timer that fires early leaves the hold alone', async (t) => {
  given(t, seat, [seatHeld]).when(expireHold('r-1', justBefore)).thenNothing();
});

t.test('a reserved seat does not expire', async (t) => {
  given(t, seat, [seatHeld, seatReserved]).when(expireHold('r-1', later)).thenNothing();
});

t.test('an expired hold expires once', async (t) => {
  given(t, seat, [seatHeld, holdExpired]).when(expireHold('r-1', later)).thenNothing();
});

t.test("an old reservation's timer does not expire the next holder", async (t) => {
  given(t, seat, [seatHeld, holdExpired, bobHeld]).when(expireHold('r-1', later)).thenNothing();
});

t.test('nothing to expire on a seat never held', async (t) => {
  given(t, seat, []).when(expireHold('r-1', later)).thenNothing();
});
