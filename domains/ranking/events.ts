import type { DomainEvent } from '../../bus/decider.js';

/** How fast one schedule sold out (stream `ranking-{scheduleId}`). */

export type RankingOpened = DomainEvent<
  'RankingOpened',
  { scheduleId: string; concertId: string; title: string; seatCount: number; bookingOpensAt: string }
>;

/**
 * `paidAt` goes beyond the shared convention on purpose: the stream must know
 * its latest payment time to date a sell-out decided later (see sellout.ts).
 */
export type SeatSaleCounted = DomainEvent<
  'SeatSaleCounted',
  { scheduleId: string; paymentId: string; seatNo: number; paidSeats: number; paidAt: string }
>;

export type ScheduleSoldOut = DomainEvent<
  'ScheduleSoldOut',
  { scheduleId: string; concertId: string; title: string; bookingOpenedAt: string; soldOutAt: string; durationMs: number }
>;

export type RankingEvent = RankingOpened | SeatSaleCounted | ScheduleSoldOut;

export const rankingEventTypes = [
  'RankingOpened',
  'SeatSaleCounted',
  'ScheduleSoldOut',
] as const satisfies readonly RankingEvent['type'][];
