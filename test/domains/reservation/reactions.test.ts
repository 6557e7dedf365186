import t from 'tap';
import type { DebitFailed, PointsDebited } from '../../../domains/point/events.js';
import type { PaymentFailed, PaymentRequested } from '../../../domains/payment/events.js';
import { confirmSeatOnPaymentRequested, reactions, releaseSeatOnFailure } from '../../../domains/reservation/reactions.js';
import { seat } from '../../../domains/reservation/seat.js';
import { holdings } from '../../../domains/reservation/holdings.js';
import { fold } from '../../../bus/decider.js';
import { recorded } from '../../support/recorded.js';
import { justBefore, ref, seatHeld } from './fixtures/seat.js';

// Recorded later than any time inside the data, so a test can tell which one a reaction used.
const created = new Date('2030-02-01T10:06:00.123Z');
const now = '2030-02-01T10:06:00.123Z';

const paymentRequested: PaymentRequested = {
  type: 'PaymentRequested',
  data: { ...ref, requestedAt: justBefore, deadlineAt: '2030-02-01T10:05:29.999Z' },
};
const paymentFailed: PaymentFailed = {
  type: 'PaymentFailed',
  data: { ...ref, reason: 'TIMEOUT', requestedAt: justBefore, failedAt: '2030-02-01T10:05:29.999Z' },
};
const debitFailed: DebitFailed = {
  type: 'DebitFailed',
  data: { ...ref, reason: 'INSUFFICIENT_BALANCE', balance: 100, failedAt: '2030-02-01T10:05:01.000Z' },
};
const pointsDebited: PointsDebited = {
  type: 'PointsDebited',
  data: { ...ref, balanceAfter: 0, debitedAt: '2030-02-01T10:05:01.000Z' },
};

t.test('the reservation service reacts on the seats, and returns freed seats to the holdings', async (t) => {
  t.same(
    reactions.map((reaction) => reaction.name),
    [
      'reservation.confirmSeatOnPaymentRequested',
      'reservation.confirmNextSeatOnSeatReserved',
      'reservation.releaseSeatOnFailure',
      'reservation.releaseSeatOnRefundRequested',
      'reservation.releaseNextSeatOnRefundReleased',
      'reservation.returnSeatOnSeatFreed',
      'reservation.withdrawSeatsOnScheduleCancelled',
    ],
  );
  t.same(
    reactions.map((reaction) => reaction.aggregate),
    [seat, seat, seat, seat, seat, holdings, seat],
  );
});

t.test('a requested payment asks its seat to confirm, judged at requestedAt, recorded at the event time', async (t) => {
  t.same(confirmSeatOnPaymentRequested.eventTypes, ['PaymentRequested']);
  const targets = confirmSeatOnPaymentRequested.react(recorded('payment-p-1', paymentRequested, created));
  t.same(targets, [
    { streamId: 'seat-sch-1_7', command: { type: 'ConfirmSeat', data: { ...ref, requestedAt: justBefore, now } } },
  ]);
  const [target] = targets;
  t.same(
    target && seat.decide(target.command, fold(seat, [seatHeld])),
    [{ type: 'SeatReserved', data: { ...ref, reservedAt: now } }],
    'and the seat reserves itself for the payment',
  );
});

t.test('the same event gives the same command however late it is handled', async (t) => {
  const event = recorded('payment-p-1', paymentRequested, created);
  t.same(confirmSeatOnPaymentRequested.react(event), confirmSeatOnPaymentRequested.react(event));
});

t.test('a failed debit or payment asks the seat to release, with the failure as the reason', async (t) => {
  t.same(releaseSeatOnFailure.eventTypes, ['DebitFailed', 'PaymentFailed']);
  t.same(releaseSeatOnFailure.react(recorded('points-alice', debitFailed, created)), [
    { streamId: 'seat-sch-1_7', command: { type: 'ReleaseSeat', data: { ...ref, reason: 'INSUFFICIENT_BALANCE', now } } },
  ]);
  t.same(releaseSeatOnFailure.react(recorded('payment-p-1', paymentFailed, created)), [
    { streamId: 'seat-sch-1_7', command: { type: 'ReleaseSeat', data: { ...ref, reason: 'TIMEOUT', now } } },
  ]);
});

t.test('unrelated events are ignored', async (t) => {
  t.same(confirmSeatOnPaymentRequested.react(recorded('payment-p-1', paymentFailed, created)), []);
  t.same(confirmSeatOnPaymentRequested.react(recorded('seat-sch-1_7', seatHeld, created)), []);
  t.same(releaseSeatOnFailure.react(recorded('points-alice', pointsDebited, created)), []);
  t.same(releaseSeatOnFailure.react(recorded('payment-p-1', paymentRequested, created)), []);
});
