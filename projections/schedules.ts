import type { Doc } from '../infra/readstore/port.js';
import { isEvent } from '../bus/decider.js';
import type { Projection } from '../bus/projection.js';
import type { ConcertEvent } from '../domains/concert/events.js';
import type { SeatEvent } from '../domains/reservation/events.js';
import type { RankingEvent } from '../domains/ranking/events.js';

export interface ScheduleDoc extends Doc {
  scheduleId: string;
  concertId: string;
  title: string;
  startsAt: string;
  bookingOpensAt: string;
  totalSeats: number;
  price: number;
  heldSeats: number;
  reservedSeats: number;
  /** totalSeats − held − reserved: what a newcomer can still hold. */
  availableSeats: number;
  /** Every seat paid for (the ranking's ScheduleSoldOut): final, unlike availableSeats = 0. */
  soldOut: boolean;
  soldOutAt: string | null;
}

const SEAT_TYPES = ['SeatHeld', 'SeatHoldExpired', 'SeatHoldReleased', 'SeatReserved', 'SeatReleased'] as const;

function counted(doc: ScheduleDoc, held: number, reserved: number): ScheduleDoc {
  const heldSeats = Math.max(0, doc.heldSeats + held);
  const reservedSeats = Math.max(0, doc.reservedSeats + reserved);
  return { ...doc, heldSeats, reservedSeats, availableSeats: Math.max(0, doc.totalSeats - heldSeats - reservedSeats) };
}

/**
 * Schedules with their seat counts: GET /concerts/:id/schedules, and the
 * schedule lookups of the seat map and of holds. Counters move with the seat
 * events; the read store applies each event once (checkpoint in the same commit).
 */
export const schedules: Projection<ScheduleDoc> = {
  name: 'schedules',
  collection: { name: 'schedules', indexes: ['concertId', 'startsAt'] },
  eventTypes: ['ScheduleOpened', ...SEAT_TYPES, 'ScheduleSoldOut'],
  ids: (event) => [(event.data as { scheduleId: string }).scheduleId],
  evolve(doc, event) {
    if (isEvent<ConcertEvent, 'ScheduleOpened'>(event, 'ScheduleOpened')) {
      if (doc) return doc;
      const { scheduleId, concertId, title, startsAt, bookingOpensAt, seatCount, price } = event.data;
      return {
        id: scheduleId,
        scheduleId,
        concertId,
        title,
        startsAt,
        bookingOpensAt,
        totalSeats: seatCount,
        price,
        heldSeats: 0,
        reservedSeats: 0,
        availableSeats: seatCount,
        soldOut: false,
        soldOutAt: null,
      };
    }
    if (!doc) return null;
    if (isEvent<SeatEvent, 'SeatHeld'>(event, 'SeatHeld')) return counted(doc, +1, 0);
    if (isEvent<SeatEvent, 'SeatHoldExpired'>(event, 'SeatHoldExpired')) return counted(doc, -1, 0);
    if (isEvent<SeatEvent, 'SeatHoldReleased'>(event, 'SeatHoldReleased')) return counted(doc, -1, 0);
    if (isEvent<SeatEvent, 'SeatReserved'>(event, 'SeatReserved')) return counted(doc, -1, +1);
    if (isEvent<SeatEvent, 'SeatReleased'>(event, 'SeatReleased')) return counted(doc, 0, -1);
    if (isEvent<RankingEvent, 'ScheduleSoldOut'>(event, 'ScheduleSoldOut')) {
      return { ...doc, soldOut: true, soldOutAt: event.data.soldOutAt };
    }
    return doc;
  },
};
