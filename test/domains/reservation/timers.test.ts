import t from 'tap';
import { fold } from '../../../bus/decider.js';
import type { SeatEvent } from '../../../domains/reservation/events.js';
import { seat } from '../../../domains/reservation/seat.js';
import { holdExpiry, timers } from '../../../domains/reservation/timers.js';
import { recorded } from '../../support/recorded.js';
import { expiresAt, holdExpired, later, ref, seatHeld, seatReleased, seatReserved } from './fixtures/seat.js';

const stream = 'seat-sch-1_7';

t.test('the reservation service keeps one timer, on the seat', async (t) => {
  t.same(timers, [holdExpiry]);
  t.equal(holdExpiry.aggregate, seat);
  t.same(holdExpiry.eventTypes, ['SeatsClaimed', 'SeatHeld', 'SeatReserved', 'SeatHoldExpired', 'SeatHoldReleased', 'SeatHoldVoided']);
});

t.test('a hold sets its expiry timer, keyed by reservation, on its seat', async (t) => {
  t.same(holdExpiry.schedule(recorded(stream, seatHeld)), [{ op: 'set', key: 'r-1', dueAt: expiresAt, streamId: stream }]);
});

t.test('a reservation or an expiry cancels the timer', async (t) => {
  t.same(holdExpiry.schedule(recorded(stream, seatReserved)), [{ op: 'cancel', key: 'r-1' }]);
  t.same(holdExpiry.schedule(recorded(stream, holdExpired)), [
    { op: 'cancel', key: 'r-1' },
    { op: 'cancel', key: 'r-1/7' },
  ], 'under either key: the expiry does not say how many seats its reservation has');
});

t.test('other seat events leave timers alone', async (t) => {
  const rejected: SeatEvent = { type: 'SeatReservationRejected', data: { ...ref, reason: 'HOLD_EXPIRED' } };
  t.same(holdExpiry.schedule(recorded(stream, rejected)), []);
  t.same(holdExpiry.schedule(recorded(stream, seatReleased)), []);
});

t.test('firing expires the hold at the firing time', async (t) => {
  const targets = await holdExpiry.fire({ key: 'r-1', dueAt: expiresAt, streamId: stream, payload: {} }, new Date(later));
  t.same(targets, [{ streamId: stream, command: { type: 'ExpireHold', data: { reservationId: 'r-1', now: later } } }]);
  const [target] = targets;
  t.same(target && seat.decide(target.command, fold(seat, [seatHeld])), [holdExpired], 'and the seat frees itself');
});
