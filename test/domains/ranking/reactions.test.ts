import t from 'tap';
import type { ScheduleOpened } from '../../../domains/concert/events.js';
import type { PaymentCompleted } from '../../../domains/payment/events.js';
import { countSaleOnPaymentCompleted, openRankingOnScheduleOpened, reactions } from '../../../domains/ranking/reactions.js';
import { sellout } from '../../../domains/ranking/sellout.js';
import { timers } from '../../../domains/ranking/timers.js';
import { recorded } from '../../support/recorded.js';

t.test('exports', async (t) => {
  t.same(reactions, [openRankingOnScheduleOpened, countSaleOnPaymentCompleted]);
  for (const r of reactions) t.equal(r.aggregate, sellout);
  t.same(timers, [], 'no deadlines');
});

t.test('openRankingOnScheduleOpened', async (t) => {
  t.same(openRankingOnScheduleOpened.eventTypes, ['ScheduleOpened']);
  const event: ScheduleOpened = {
    type: 'ScheduleOpened',
    data: {
      concertId: 'c-1',
      title: 'Night Show',
      scheduleId: 's-1',
      startsAt: '2030-02-01T19:00:00.000Z',
      bookingOpensAt: '2030-01-01T10:00:00.000Z',
      seatCount: 50,
      price: 1000,
    },
  };
  t.same(openRankingOnScheduleOpened.react(recorded('concert-c-1', event)), [
    {
      streamId: 'ranking-s-1',
      command: {
        type: 'Open',
        data: { scheduleId: 's-1', concertId: 'c-1', title: 'Night Show', seatCount: 50, bookingOpensAt: '2030-01-01T10:00:00.000Z' },
      },
    },
  ]);
  t.same(openRankingOnScheduleOpened.react(recorded('concert-c-1', { type: 'ConcertRegistered', data: {} })), []);
});

t.test('countSaleOnPaymentCompleted', async (t) => {
  t.same(countSaleOnPaymentCompleted.eventTypes, ['PaymentCompleted']);
  const event: PaymentCompleted = {
    type: 'PaymentCompleted',
    data: {
      paymentId: 'pay-1',
      reservationId: 'res-1',
      userId: 'u-1',
      concertId: 'c-1',
      scheduleId: 's-1',
      seatNo: 7,
      amount: 1000,
      requestedAt: '2030-01-01T10:00:01.000Z',
      completedAt: '2030-01-01T10:00:02.000Z',
    },
  };
  t.same(countSaleOnPaymentCompleted.react(recorded('payment-pay-1', event, new Date('2030-01-01T10:00:03.000Z'))), [
    {
      streamId: 'ranking-s-1',
      command: { type: 'CountSale', data: { scheduleId: 's-1', paymentId: 'pay-1', seatNo: 7, paidAt: '2030-01-01T10:00:02.000Z' } },
    },
  ], 'paid at the completion time the payment recorded');
  t.same(countSaleOnPaymentCompleted.react(recorded('payment-pay-1', { type: 'PaymentFailed', data: event.data })), []);
});
