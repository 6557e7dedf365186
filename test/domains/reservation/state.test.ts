import t from 'tap';
import { fold } from '../../../bus/decider.js';
import { seat } from '../../../domains/reservation/seat.js';
import { bobHeld, expiresAt, holdExpired, seatHeld, seatReleased, seatReserved } from './fixtures/seat.js';

const alice = { reservationId: 'r-1', scheduleId: 'sch-1', seatNo: 7, userId: 'alice', price: 1200, expiresAt };

t.test('a new seat is available and remembers nothing', async (t) => {
  t.same(seat.initialState(), {
    status: 'AVAILABLE',
    holder: null,
    reservedFor: null,
    expired: [],
    confirmed: [],
    rejected: [],
    released: [],
    held: [],
    voided: [],
    withdrawn: false,
  });
});

t.test('the state follows a hold through reservation and release', async (t) => {
  t.match(fold(seat, [seatHeld]), { status: 'HELD', holder: alice, reservedFor: null });
  t.match(fold(seat, [seatHeld, seatReserved]), {
    status: 'RESERVED',
    holder: alice,
    reservedFor: 'p-1',
    confirmed: ['p-1'],
  });
  t.match(fold(seat, [seatHeld, seatReserved, seatReleased]), {
    status: 'AVAILABLE',
    holder: null,
    reservedFor: null,
    released: ['p-1'],
  });
});

t.test('the state remembers expired reservations after the seat moves on', async (t) => {
  t.match(fold(seat, [seatHeld, holdExpired, bobHeld]), {
    status: 'HELD',
    holder: { reservationId: 'r-2', userId: 'bob' },
    expired: ['r-1'],
  });
});
