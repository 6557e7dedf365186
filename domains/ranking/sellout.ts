import type { Aggregate } from '../../bus/decider.js';
import type { CountSale, Open, RankingCommand } from './commands.js';
import type { RankingEvent, ScheduleSoldOut } from './events.js';

export interface RankedSchedule {
  scheduleId: string;
  concertId: string;
  title: string;
  seatCount: number;
  bookingOpensAt: string;
}

/**
 * The seats counted so far, newest first. A list shared between states rather
 * than a Set copied on every event: a 1,000-seat schedule folds 1,000 events
 * for every sale, and this keeps each fold linear.
 */
export interface CountedSeats {
  seatNo: number;
  rest: CountedSeats | null;
}

export interface SelloutState {
  /** Null until RankingOpened: sales may be counted before it (see `open`). */
  schedule: RankedSchedule | null;
  counted: CountedSeats | null;
  paidSeats: number;
  /** The latest payment time counted: when the last seat goes, that is the sell-out moment. */
  lastPaidAt: string | null;
  soldOut: boolean;
}

function isCounted(counted: CountedSeats | null, seatNo: number): boolean {
  for (let seat = counted; seat !== null; seat = seat.rest) if (seat.seatNo === seatNo) return true;
  return false;
}

const later = (a: string | null, b: string) => (a !== null && Date.parse(a) > Date.parse(b) ? a : b);

function soldOut(schedule: RankedSchedule, soldOutAt: string): ScheduleSoldOut {
  return {
    type: 'ScheduleSoldOut',
    data: {
      scheduleId: schedule.scheduleId,
      concertId: schedule.concertId,
      title: schedule.title,
      bookingOpenedAt: schedule.bookingOpensAt,
      soldOutAt,
      durationMs: Date.parse(soldOutAt) - Date.parse(schedule.bookingOpensAt),
    },
  };
}

/**
 * Opens once. Sales counted before the opening (only possible if the concert
 * event reached this service after the payments, which one ordered
 * subscription rules out) are kept; if they already fill the schedule, the
 * sell-out is decided here, at the latest payment time counted.
 */
function open({ data }: Open, state: SelloutState): RankingEvent[] {
  if (state.schedule !== null) return [];
  const schedule: RankedSchedule = {
    scheduleId: data.scheduleId,
    concertId: data.concertId,
    title: data.title,
    seatCount: data.seatCount,
    bookingOpensAt: data.bookingOpensAt,
  };
  const events: RankingEvent[] = [{ type: 'RankingOpened', data: schedule }];
  if (!state.soldOut && state.lastPaidAt !== null && state.paidSeats >= schedule.seatCount) {
    events.push(soldOut(schedule, state.lastPaidAt));
  }
  return events;
}

function countSale({ data }: CountSale, state: SelloutState): RankingEvent[] {
  if (isCounted(state.counted, data.seatNo)) return [];
  const paidSeats = state.paidSeats + 1;
  const events: RankingEvent[] = [
    {
      type: 'SeatSaleCounted',
      data: { scheduleId: data.scheduleId, paymentId: data.paymentId, seatNo: data.seatNo, paidSeats, paidAt: data.paidAt },
    },
  ];
  if (state.schedule !== null && !state.soldOut && paidSeats >= state.schedule.seatCount) {
    events.push(soldOut(state.schedule, later(state.lastPaidAt, data.paidAt)));
  }
  return events;
}

/** A schedule's race to sell out (stream `ranking-{scheduleId}`): from booking open to the last seat paid. */
export const sellout: Aggregate<SelloutState, RankingCommand, RankingEvent> = {
  category: 'ranking',
  initialState: () => ({ schedule: null, counted: null, paidSeats: 0, lastPaidAt: null, soldOut: false }),
  decide(command, state) {
    switch (command.type) {
      case 'Open':
        return open(command, state);
      case 'CountSale':
        return countSale(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'RankingOpened':
        return { ...state, schedule: { ...event.data } };
      case 'SeatSaleCounted':
        return {
          ...state,
          counted: { seatNo: event.data.seatNo, rest: state.counted },
          paidSeats: event.data.paidSeats,
          lastPaidAt: later(state.lastPaidAt, event.data.paidAt),
        };
      case 'ScheduleSoldOut':
        return { ...state, soldOut: true };
    }
  },
};

export const rankingStream = (scheduleId: string) => `${sellout.category}-${scheduleId}`;
