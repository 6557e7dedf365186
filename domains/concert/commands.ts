/** One schedule as the admin asks for it; ids are minted by the route, so the decider stays pure. */
export interface ScheduleRequest {
  scheduleId: string;
  startsAt: string;
  bookingOpensAt: string;
  seatCount: number;
  price: number;
}

export interface RegisterConcert {
  type: 'RegisterConcert';
  data: { concertId: string; title: string; schedules: ScheduleRequest[]; now: string };
}

export type ConcertCommand = RegisterConcert;
