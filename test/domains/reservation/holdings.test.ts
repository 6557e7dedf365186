import t from 'tap';
import type { ClaimSeats, ReturnSeats } from '../../../domains/reservation/commands.js';
import type { HoldingsEvent } from '../../../domains/reservation/events.js';
import { holdings, holdingsStream, seatsClaimed } from '../../../domains/reservation/holdings.js';
import { fold } from '../../../bus/decider.js';
import { given } from '../../support/given.js';

const now = '2030-02-01T10:00:00.000Z';
const expiresAt = '2030-02-01T10:05:00.000Z';
const base = { scheduleId: 'sch-1', userId: 'alice' };

const claim = (reservationId: string, seatNos: number[]): ClaimSeats => ({
  type: 'ClaimSeats',
  data: { ...base, reservationId, seatNos, maxSeats: 4, now, expiresAt },
});
const claimed = (reservationId: string, seatNos: number[]): HoldingsEvent => ({
  type: 'SeatsClaimed',
  data: { ...base, reservationId, seatNos, claimedAt: now, expiresAt },
});
const giveBack = (reservationId: string, seatNos: number[]): ReturnSeats => ({
  type: 'ReturnSeats',
  data: { ...base, reservationId, seatNos, reason: 'SeatHoldExpired', now },
});
const returned = (reservationId: string, seatNo: number): HoldingsEvent => ({
  type: 'SeatReturned',
  data: { ...base, reservationId, seatNo, reason: 'SeatHoldExpired', returnedAt: now },
});

t.test('one stream per user and schedule', async (t) => {
  t.equal(holdingsStream('sch-1', 'alice'), 'holdings-sch-1_alice');
  t.equal(holdings.category, 'holdings');
});

t.test('seats are claimed up to the limit, across reservations', async (t) => {
  given(t, holdings, []).when(claim('r-1', [1, 2, 3, 4])).then([claimed('r-1', [1, 2, 3, 4])]);
  given(t, holdings, [claimed('r-1', [1, 2])]).when(claim('r-2', [3, 4])).then([claimed('r-2', [3, 4])]);
});

t.test('a claim past the limit is refused with SEAT_LIMIT', async (t) => {
  given(t, holdings, [claimed('r-1', [1, 2, 3])]).when(claim('r-2', [4, 5])).rejects('SEAT_LIMIT');
  given(t, holdings, []).when({ ...claim('r-1', [1, 2]), data: { ...claim('r-1', [1, 2]).data, maxSeats: 1 } }).rejects('SEAT_LIMIT');
});

t.test('the same reservation claimed again is a no-op, even once it has ended', async (t) => {
  given(t, holdings, [claimed('r-1', [1, 2])]).when(claim('r-1', [1, 2])).thenNothing();
  given(t, holdings, [claimed('r-1', [1]), returned('r-1', 1)]).when(claim('r-1', [1])).thenNothing();
});

t.test('returned seats count no more; each seat is returned once', async (t) => {
  given(t, holdings, [claimed('r-1', [1, 2, 3, 4])]).when(giveBack('r-1', [2, 3])).then([returned('r-1', 2), returned('r-1', 3)]);
  given(t, holdings, [claimed('r-1', [1, 2]), returned('r-1', 2)]).when(giveBack('r-1', [2])).thenNothing();
  given(t, holdings, [claimed('r-1', [1, 2, 3, 4]), returned('r-1', 4)]).when(claim('r-2', [5])).then([claimed('r-2', [5])]);
  t.equal(seatsClaimed(fold(holdings, [claimed('r-1', [1, 2, 3]), returned('r-1', 2)])), 2);
});

t.test('nothing to return for a reservation never claimed here (a hold made without a claim)', async (t) => {
  given(t, holdings, []).when(giveBack('r-9', [1])).thenNothing();
});
