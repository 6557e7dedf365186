import { Rejection, type Aggregate } from '../../bus/decider.js';
import type { ClaimSeats, HoldingsCommand, ReturnSeats } from './commands.js';
import type { HoldingsEvent } from './events.js';

/**
 * One user's seats of one schedule. Every hold claims its seats here first,
 * with the stream's expected revision, so two requests for different seats
 * cannot both pass the limit: the second re-reads and counts the first.
 */
export interface HoldingsState {
  /** The seats each reservation still has claimed; a reservation stays listed (perhaps empty) once seen. */
  claims: Readonly<Record<string, readonly number[]>>;
}

export function holdingsStream(scheduleId: string, userId: string): string {
  return `holdings-${scheduleId}_${userId}`;
}

/** How many seats the user holds or owns of the schedule, as far as this stream knows. */
export function seatsClaimed(state: HoldingsState): number {
  return Object.values(state.claims).reduce((sum, seats) => sum + seats.length, 0);
}

function claim({ data }: ClaimSeats, state: HoldingsState): HoldingsEvent[] {
  // The same request again (an idempotent retry): its claim stands, or has ended for good.
  if (data.reservationId in state.claims) return [];
  const have = seatsClaimed(state);
  if (have + data.seatNos.length > data.maxSeats) {
    throw new Rejection(
      'conflict',
      'SEAT_LIMIT',
      `${data.userId} has ${have} seat(s) of schedule ${data.scheduleId}; at most ${data.maxSeats} per user`,
    );
  }
  const { reservationId, scheduleId, userId, seatNos, now, expiresAt } = data;
  return [{ type: 'SeatsClaimed', data: { reservationId, scheduleId, userId, seatNos: [...seatNos], claimedAt: now, expiresAt } }];
}

function giveBack({ data }: ReturnSeats, state: HoldingsState): HoldingsEvent[] {
  const live = state.claims[data.reservationId] ?? [];
  const { reservationId, scheduleId, userId, reason, now } = data;
  return data.seatNos
    .filter((seatNo, i, all) => live.includes(seatNo) && all.indexOf(seatNo) === i)
    .map<HoldingsEvent>((seatNo) => ({ type: 'SeatReturned', data: { reservationId, scheduleId, userId, seatNo, reason, returnedAt: now } }));
}

export const holdings: Aggregate<HoldingsState, HoldingsCommand, HoldingsEvent> = {
  category: 'holdings',
  initialState: () => ({ claims: {} }),
  decide(command, state) {
    switch (command.type) {
      case 'ClaimSeats':
        return claim(command, state);
      case 'ReturnSeats':
        return giveBack(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'SeatsClaimed':
        return { claims: { ...state.claims, [event.data.reservationId]: event.data.seatNos } };
      case 'SeatReturned': {
        const live = state.claims[event.data.reservationId] ?? [];
        return { claims: { ...state.claims, [event.data.reservationId]: live.filter((n) => n !== event.data.seatNo) } };
      }
    }
  },
};
