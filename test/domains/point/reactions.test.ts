import t from 'tap';
import type { PaymentCompleted, PaymentFailed, PaymentRef } from '../../../domains/payment/events.js';
import { debitOnSeatReserved, reactions, refundOnPaymentFailed } from '../../../domains/point/reactions.js';
import { wallet } from '../../../domains/point/wallet.js';
import type { SeatReserved } from '../../../domains/reservation/events.js';
import { recorded } from '../../support/recorded.js';

const ref: PaymentRef = {
  paymentId: 'pay-1',
  reservationId: 'res-1',
  userId: 'user-1',
  concertId: 'c-1',
  scheduleId: 's-1',
  seatNo: 7,
  amount: 3000,
};
const created = new Date('2030-01-01T10:00:01.234Z');

t.test('exports both reactions on the wallet', async (t) => {
  t.same(
    reactions.map((r) => r.name),
    [debitOnSeatReserved.name, refundOnPaymentFailed.name],
  );
  t.equal(new Set(reactions.map((r) => r.name)).size, reactions.length, 'names are unique (they seed event ids)');
  for (const r of reactions) t.equal(r.aggregate, wallet);
});

t.test('debitOnSeatReserved', async (t) => {
  t.same(debitOnSeatReserved.eventTypes, ['SeatReserved']);
  const event: SeatReserved = { type: 'SeatReserved', data: { ...ref, reservedAt: '2030-01-01T10:00:01.000Z' } };
  t.same(debitOnSeatReserved.react(recorded('seat-s-1_7', event, created)), [
    { streamId: 'points-user-1', command: { type: 'Debit', data: { ...ref, now: '2030-01-01T10:00:01.234Z' } } },
  ], 'debits the user, at the time the seat event was recorded');

  const other: PaymentCompleted = { type: 'PaymentCompleted', data: { ...ref, requestedAt: 'x', completedAt: 'y' } };
  t.same(debitOnSeatReserved.react(recorded('payment-pay-1', other, created)), [], 'ignores other types');
});

t.test('refundOnPaymentFailed', async (t) => {
  t.same(refundOnPaymentFailed.eventTypes, ['PaymentFailed']);
  const event: PaymentFailed = {
    type: 'PaymentFailed',
    data: { ...ref, reason: 'TIMEOUT', requestedAt: '2030-01-01T09:59:30.000Z', failedAt: '2030-01-01T10:00:00.000Z' },
  };
  t.same(refundOnPaymentFailed.react(recorded('payment-pay-1', event, created)), [
    { streamId: 'points-user-1', command: { type: 'Refund', data: { ...ref, now: '2030-01-01T10:00:01.234Z' } } },
  ]);
  const reserved: SeatReserved = { type: 'SeatReserved', data: { ...ref, reservedAt: 'x' } };
  t.same(refundOnPaymentFailed.react(recorded('seat-s-1_7', reserved, created)), [], 'ignores other types');
});
