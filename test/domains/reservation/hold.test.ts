import t from 'tap';
import { seat, seatStream } from '../../../domains/reservation/seat.js';
import type { HoldSeat } from '../../../domains/reservation/commands.js';
import { given } from '../../support/given.js';
import {
  bobHold,
  expiresAt,
  heldAt,
  hold,
  holdExpired,
  justBefore,
  later,
  seatHeld,
  seatReleased,
  seatReserved,
  ttlMs,
} from './fixtures/seat.js';

function holdSeat(data: Partial<HoldSeat['data']> = {}): HoldSeat {
  return { type: 'HoldSeat', data: { ...hold, now: heldAt, ttlMs, ...data } };
}

t.test('seat streams are named by schedule and seat number', async (t) => {
  t.equal(seatStream('sch-1', 7), 'seat-sch-1_7');
  t.equal(seat.category, 'seat');
});

t.test('an available seat is held until now + ttl', async (t) => {
  given(t, seat, []).when(holdSeat()).then([{ type: 'SeatHeld', data: { ...hold, heldAt, expiresAt } }]);
});

t.test('a seat freed by expiry can be held again', async (t) => {
  given(t, seat, [seatHeld, holdExpired])
    .when(holdSeat({ ...bobHold, now: later }))
    .then([{ type: 'SeatHeld', data: { ...bobHold, heldAt: later, expiresAt: '2030-02-01T10:12:00.000Z' } }]);
});

t.test('a seat freed by release can be held again', async (t) => {
  given(t, seat, [seatHeld, seatReserved, seatReleased])
    .when(holdSeat({ ...bobHold, now: later }))
    .then([{ type: 'SeatHeld', data: { ...bobHold, heldAt: later, expiresAt: '2030-02-01T10:12:00.000Z' } }]);
});

t.test('a held seat is unavailable to anyone else while the hold lasts', async (t) => {
  given(t, seat, [seatHeld]).when(holdSeat({ ...bobHold, now: justBefore })).rejects('SEAT_UNAVAILABLE');
});

t.test('a reserved seat is unavailable, even long after its hold time', async (t) => {
  given(t, seat, [seatHeld, seatReserved]).when(holdSeat({ ...bobHold, now: later })).rejects('SEAT_UNAVAILABLE');
});

t.test('a hold past its time that the timer has not expired yet is expired by the next hold, in one append', async (t) => {
  given(t, seat, [seatHeld])
    .when(holdSeat({ ...bobHold, now: expiresAt }))
    .then([
      {
        type: 'SeatHoldExpired',
        data: { reservationId: 'r-1', scheduleId: 'sch-1', seatNo: 7, userId: 'alice', expiredAt: expiresAt },
      },
      { type: 'SeatHeld', data: { ...bobHold, heldAt: expiresAt, expiresAt: '2030-02-01T10:10:00.000Z' } },
    ]);
});

t.test('the same hold decided again is a no-op, held or already reserved', async (t) => {
  given(t, seat, [seatHeld]).when(holdSeat({ now: justBefore })).thenNothing();
  given(t, seat, [seatHeld, seatReserved]).when(holdSeat({ now: later })).thenNothing();
});

t.test('an expired reservation id cannot hold again', async (t) => {
  given(t, seat, [seatHeld, holdExpired]).when(holdSeat({ now: later })).rejects('SEAT_UNAVAILABLE');
});

t.test('a hold needs a positive whole price and lifetime', async (t) => {
  given(t, seat, []).when(holdSeat({ price: 0 })).rejects('INVALID_PRICE');
  given(t, seat, []).when(holdSeat({ price: 1.5 })).rejects('INVALID_PRICE');
  given(t, seat, []).when(holdSeat({ ttlMs: 0 })).rejects('INVALID_TTL');
});
