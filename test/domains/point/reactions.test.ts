import t from 'tap';
import type { PaymentCompleted, PaymentFailed, PaymentRef } from '../../../domains/payment/events.js';
import { debitOnSeatReserved, reactions, refundOnPaymentFailed, refundOnRefundReleased } from '../../../domains/point/reactions.js';
import { wallet } from '../../../domains/point/wallet.js';
import type { SeatReleased, SeatReserved } from '../../../domains/reservation/events.js';
import { fold } from '../../../bus/decider.js';
import type { PointEvent } from '../../../domains/point/events.js';
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

t.test('exports the reactions on the wallet', async (t) => {
  t.same(
    reactions.map((r) => r.name),
    [debitOnSeatReserved.name, refundOnPaymentFailed.name, refundOnRefundReleased.name],
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

t.test("refundOnRefundReleased: the last seat of a refund gives the payment's points back", async (t) => {
  t.same(refundOnRefundReleased.eventTypes, ['SeatReleased']);
  const two = { ...ref, amount: 6000, seatNos: [7, 8] };
  const released = (seatNo: number, refund?: true): SeatReleased => ({
    type: 'SeatReleased',
    data: { ...two, seatNo, reason: 'USER', releasedAt: '2030-01-01T10:00:01.000Z', ...(refund ? { refund } : {}) },
  });
  t.same(refundOnRefundReleased.react(recorded('seat-s-1_7', released(7, true), created)), [], 'not on the first seat: the next is still reserved');
  const targets = refundOnRefundReleased.react(recorded('seat-s-1_8', released(8, true), created));
  t.same(targets, [
    { streamId: 'points-user-1', command: { type: 'Refund', data: { ...two, seatNo: 8, now: '2030-01-01T10:00:01.234Z' } } },
  ], 'on the last, at the time it was recorded');
  t.same(refundOnRefundReleased.react(recorded('seat-s-1_8', released(8), created)), [], "a failure's release is refunded by the failure");
  const one: SeatReleased = { type: 'SeatReleased', data: { ...ref, reason: 'SCHEDULE_CANCELLED', releasedAt: 'x', refund: true } };
  t.equal(refundOnRefundReleased.react(recorded('seat-s-1_7', one, created)).length, 1, 'one seat: it is the last');

  // The wallet gives the debit back once, however often the release is delivered.
  const debited: PointEvent[] = [
    { type: 'PointsCharged', data: { userId: 'user-1', chargeId: 'k', amount: 6000, balanceAfter: 6000, chargedAt: 'x' } },
    { type: 'PointsDebited', data: { ...two, seatNo: 8, balanceAfter: 0, debitedAt: 'x' } },
  ];
  const command = targets[0]!.command;
  const [refunded] = wallet.decide(command, fold(wallet, debited));
  t.match(refunded, { type: 'PointsRefunded', data: { paymentId: 'pay-1', amount: 6000, balanceAfter: 6000 } });
  t.same(wallet.decide(command, fold(wallet, [...debited, refunded!])), [], 'refunded once');
});
