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

/** The admin calls a schedule off; the route reads the clock. */
export interface CancelSchedule {
  type: 'CancelSchedule';
  data: { scheduleId: string; now: string };
}

export type ConcertCommand = RegisterConcert | CancelSchedule;
