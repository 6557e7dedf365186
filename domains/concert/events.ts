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

export type ConcertEvent = ConcertRegistered | ScheduleOpened;

export const concertEventTypes = ['ConcertRegistered', 'ScheduleOpened'] as const satisfies readonly ConcertEvent['type'][];
