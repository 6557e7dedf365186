import type { DomainEvent } from '../../bus/decider.js';

/** The catalogue (stream `concert-{concertId}`): a concert and its schedules, registered together. */

export type ConcertRegistered = DomainEvent<'ConcertRegistered', { concertId: string; title: string; registeredAt: string }>;

/** One per schedule; carries the title and seat count so that readers (ranking, seat maps) need no other stream. */
export type ScheduleOpened = DomainEvent<
  'ScheduleOpened',
  {
    concertId: string;
    title: string;
    scheduleId: string;
    startsAt: string;
    bookingOpensAt: string;
    seatCount: number;
    price: number;
  }
>;

/**
 * The admin called the schedule off. It carries the seat count so that the
 * reservation service can withdraw every seat without reading the catalogue.
 */
export type ScheduleCancelled = DomainEvent<'ScheduleCancelled', { concertId: string; scheduleId: string; seatCount: number; cancelledAt: string }>;

export type ConcertEvent = ConcertRegistered | ScheduleOpened | ScheduleCancelled;

export const concertEventTypes = ['ConcertRegistered', 'ScheduleOpened', 'ScheduleCancelled'] as const satisfies readonly ConcertEvent['type'][];
