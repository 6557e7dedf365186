import { Rejection, type Aggregate } from '../../bus/decider.js';
import type { ConcertCommand, ScheduleRequest } from './commands.js';
import type { ConcertEvent } from './events.js';

export interface ScheduleState {
  scheduleId: string;
  startsAt: string;
  bookingOpensAt: string;
  seatCount: number;
  price: number;
  /** When the admin cancelled it; null while it sells. */
  cancelledAt: string | null;
}

export interface ConcertState {
  /** null until the concert is registered: a concert stream is written once. */
  concertId: string | null;
  title: string;
  registeredAt: string | null;
  schedules: readonly ScheduleState[];
}

export function concertStream(concertId: string): string {
  return `concert-${concertId}`;
}

export function initialState(): ConcertState {
  return { concertId: null, title: '', registeredAt: null, schedules: [] };
}

/**
 * The HTTP schema checks shapes first; these are the invariants the catalogue
 * must hold whatever the caller, because seat maps, holds and the sold-out
 * ranking all trust a schedule's seat count and price.
 */
function assertSchedule(schedule: ScheduleRequest): void {
  const { scheduleId, seatCount, price, startsAt, bookingOpensAt } = schedule;
  if (!Number.isInteger(seatCount) || seatCount < 1) {
    throw new Rejection('invalid', 'INVALID_SEAT_COUNT', `schedule ${scheduleId}: seatCount must be an integer of at least 1`);
  }
  if (!Number.isInteger(price) || price < 1) {
    throw new Rejection('invalid', 'INVALID_PRICE', `schedule ${scheduleId}: price must be an integer of at least 1`);
  }
  const starts = Date.parse(startsAt);
  const opens = Date.parse(bookingOpensAt);
  if (Number.isNaN(starts) || Number.isNaN(opens)) {
    throw new Rejection('invalid', 'INVALID_DATE', `schedule ${scheduleId}: startsAt and bookingOpensAt must be ISO-8601 times`);
  }
  if (opens > starts) {
    throw new Rejection('invalid', 'BOOKING_OPENS_AFTER_START', `schedule ${scheduleId}: booking cannot open after the show starts`);
  }
}

function decide(command: ConcertCommand, state: ConcertState): ConcertEvent[] {
  switch (command.type) {
    case 'RegisterConcert': {
      const { concertId, title, schedules, now } = command.data;
      if (state.concertId !== null) {
        throw new Rejection('conflict', 'CONCERT_EXISTS', `concert ${concertId} is already registered`);
      }
      if (title.trim() === '') {
        throw new Rejection('invalid', 'INVALID_TITLE', 'a concert needs a title');
      }
      if (schedules.length === 0) {
        throw new Rejection('invalid', 'NO_SCHEDULES', 'a concert needs at least one schedule');
      }
      // Schedule ids name seat streams and ranking streams: two schedules sharing one would share seats.
      if (new Set(schedules.map((schedule) => schedule.scheduleId)).size !== schedules.length) {
        throw new Rejection('invalid', 'DUPLICATE_SCHEDULE', 'schedule ids must be unique within a concert');
      }
      schedules.forEach(assertSchedule);
      return [
        { type: 'ConcertRegistered', data: { concertId, title, registeredAt: now } },
        ...schedules.map(
          (schedule): ConcertEvent => ({
            type: 'ScheduleOpened',
            data: {
              concertId,
              title,
              scheduleId: schedule.scheduleId,
              startsAt: schedule.startsAt,
              bookingOpensAt: schedule.bookingOpensAt,
              seatCount: schedule.seatCount,
              price: schedule.price,
            },
          }),
        ),
      ];
    }
    case 'CancelSchedule': {
      const { scheduleId, now } = command.data;
      const schedule = state.schedules.find((s) => s.scheduleId === scheduleId);
      if (state.concertId === null || !schedule) {
        throw new Rejection('not_found', 'SCHEDULE_NOT_FOUND', `no schedule ${scheduleId}`);
      }
      // Cancelled once: a repeat (the admin's retry, or two admins) changes nothing.
      if (schedule.cancelledAt !== null) return [];
      return [{ type: 'ScheduleCancelled', data: { concertId: state.concertId, scheduleId, seatCount: schedule.seatCount, cancelledAt: now } }];
    }
  }
}

function evolve(state: ConcertState, event: ConcertEvent): ConcertState {
  switch (event.type) {
    case 'ConcertRegistered':
      return { ...state, concertId: event.data.concertId, title: event.data.title, registeredAt: event.data.registeredAt };
    case 'ScheduleOpened': {
      const { scheduleId, startsAt, bookingOpensAt, seatCount, price } = event.data;
      return { ...state, schedules: [...state.schedules, { scheduleId, startsAt, bookingOpensAt, seatCount, price, cancelledAt: null }] };
    }
    case 'ScheduleCancelled': {
      const { scheduleId, cancelledAt } = event.data;
      return { ...state, schedules: state.schedules.map((s) => (s.scheduleId === scheduleId ? { ...s, cancelledAt } : s)) };
    }
  }
}

export const concert: Aggregate<ConcertState, ConcertCommand, ConcertEvent> = {
  category: 'concert',
  initialState,
  decide,
  evolve,
};
