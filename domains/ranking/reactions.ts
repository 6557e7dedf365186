import { isEvent } from '../../bus/decider.js';
import type { Reaction } from '../../bus/reaction.js';
import type { ConcertEvent } from '../concert/events.js';
import type { PaymentEvent } from '../payment/events.js';
import { seatsOf } from '../payment/ref.js';
import type { RankingCommand } from './commands.js';
import type { RankingEvent } from './events.js';
import { rankingStream, sellout, type SelloutState } from './sellout.js';

type RankingReaction = Reaction<SelloutState, RankingCommand, RankingEvent>;

/** A schedule opens for booking: its race to sell out starts at bookingOpensAt. */
export const openRankingOnScheduleOpened: RankingReaction = {
  name: 'ranking.openRankingOnScheduleOpened',
  aggregate: sellout,
  eventTypes: ['ScheduleOpened'],
  react(event) {
    if (!isEvent<ConcertEvent, 'ScheduleOpened'>(event, 'ScheduleOpened')) return [];
    const { scheduleId, concertId, title, seatCount, bookingOpensAt } = event.data;
    return [
      { streamId: rankingStream(scheduleId), command: { type: 'Open', data: { scheduleId, concertId, title, seatCount, bookingOpensAt } } },
    ];
  },
};

/** Every paid seat counts towards the sell-out, at the moment its payment completed. */
export const countSaleOnPaymentCompleted: RankingReaction = {
  name: 'ranking.countSaleOnPaymentCompleted',
  aggregate: sellout,
  eventTypes: ['PaymentCompleted'],
  react(event) {
    if (!isEvent<PaymentEvent, 'PaymentCompleted'>(event, 'PaymentCompleted')) return [];
    const { scheduleId, paymentId, completedAt } = event.data;
    return seatsOf(event.data).map((seatNo) => ({
      streamId: rankingStream(scheduleId),
      command: { type: 'CountSale', data: { scheduleId, paymentId, seatNo, paidAt: completedAt } },
    }));
  },
};

export const reactions: readonly RankingReaction[] = [openRankingOnScheduleOpened, countSaleOnPaymentCompleted];
