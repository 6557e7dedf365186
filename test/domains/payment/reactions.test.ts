import t from 'tap';
import { fold } from '../../../bus/decider.js';
import type { PaymentCommand } from '../../../domains/payment/commands.js';
import { payment } from '../../../domains/payment/payment.js';
import { completeRefundOnPointsRefunded, reactions, refundPaymentOnSeatWithdrawn, settlePaymentOnOutcome } from '../../../domains/payment/reactions.js';
import type { DebitFailed, PointsCharged, PointsDebited, PointsRefunded } from '../../../domains/point/events.js';
import type { SeatReleased, SeatReservationRejected, SeatReserved, SeatWithdrawn } from '../../../domains/reservation/events.js';
import { given } from '../../support/given.js';
import { recorded } from '../../support/recorded.js';
import { completed, failedTimeout, ref, requested, requestedAt, settledAt } from './fixtures/payment.js';
import type { PaymentEvent } from '../../../domains/payment/events.js';

// Recorded later than any time inside the data, so a test can tell which one a reaction used.
const created = new Date('2030-02-01T10:01:05.678Z');
const now = '2030-02-01T10:01:05.678Z';
const stream = `payment-${ref.paymentId}`;

const pointsDebited: PointsDebited = {
  type: 'PointsDebited',
  data: { ...ref, balanceAfter: 800, debitedAt: '2030-02-01T10:01:01.000Z' },
};
const debitFailed: DebitFailed = {
  type: 'DebitFailed',
  data: { ...ref, reason: 'INSUFFICIENT_BALANCE', balance: 100, failedAt: '2030-02-01T10:01:01.000Z' },
};

function settle(event: Parameters<typeof settlePaymentOnOutcome.react>[0]): PaymentCommand[] {
  return settlePaymentOnOutcome.react(event).map((target) => target.command);
}

t.test('the payment service settles payments, ends their refunds, and undoes those of withdrawn seats', async (t) => {
  t.same(reactions, [settlePaymentOnOutcome, completeRefundOnPointsRefunded, refundPaymentOnSeatWithdrawn]);
  t.equal(settlePaymentOnOutcome.name, 'payment.settlePaymentOnOutcome');
  t.equal(settlePaymentOnOutcome.aggregate, payment);
  t.same(settlePaymentOnOutcome.eventTypes, ['SeatReservationRejected', 'DebitFailed', 'PointsDebited']);
});

t.test('a refused seat fails the payment with the seat’s reason', async (t) => {
  for (const reason of ['HOLD_EXPIRED', 'NOT_HOLDER', 'ALREADY_RESERVED'] as const) {
    const rejected: SeatReservationRejected = { type: 'SeatReservationRejected', data: { ...ref, reason } };
    t.same(
      settlePaymentOnOutcome.react(recorded('seat-sch-1_7', rejected, created)),
      [{ streamId: stream, command: { type: 'FailPayment', data: { reason, now } } }],
      reason,
    );
  }
});

t.test('a failed debit fails the payment for lack of points', async (t) => {
  t.same(settlePaymentOnOutcome.react(recorded('points-alice', debitFailed, created)), [
    { streamId: stream, command: { type: 'FailPayment', data: { reason: 'INSUFFICIENT_BALANCE', now } } },
  ]);
});

t.test('a debit completes the payment, at the time the debit was recorded', async (t) => {
  const targets = settlePaymentOnOutcome.react(recorded('points-alice', pointsDebited, created));
  t.same(targets, [{ streamId: stream, command: { type: 'CompletePayment', data: { now } } }]);
  const [target] = targets;
  t.same(
    target && payment.decide(target.command, fold(payment, [requested])),
    [{ type: 'PaymentCompleted', data: { ...ref, requestedAt, completedAt: now } }],
    'and the payment completes',
  );
});

t.test('unrelated events are ignored', async (t) => {
  const reserved: SeatReserved = { type: 'SeatReserved', data: { ...ref, reservedAt: now } };
  const released: SeatReleased = { type: 'SeatReleased', data: { ...ref, reason: 'TIMEOUT', releasedAt: now } };
  const charged: PointsCharged = {
    type: 'PointsCharged',
    data: { userId: 'alice', chargeId: 'ch-1', amount: 5000, balanceAfter: 5000, chargedAt: now },
  };
  t.same(settle(recorded('seat-sch-1_7', reserved, created)), []);
  t.same(settle(recorded('seat-sch-1_7', released, created)), []);
  t.same(settle(recorded('points-alice', charged, created)), []);
  t.same(settle(recorded(stream, requested, created)), []);
});

t.test('points refunded end a refund under way, and nothing else', async (t) => {
  t.equal(completeRefundOnPointsRefunded.name, 'payment.completeRefundOnPointsRefunded');
  t.same(completeRefundOnPointsRefunded.eventTypes, ['PointsRefunded']);
  const pointsRefunded: PointsRefunded = { type: 'PointsRefunded', data: { ...ref, balanceAfter: 2000, refundedAt: '2030-02-01T10:01:04.000Z' } };
  const targets = completeRefundOnPointsRefunded.react(recorded('points-alice', pointsRefunded, created));
  t.same(targets, [{ streamId: stream, command: { type: 'CompleteRefund', data: { now } } }], 'at the time the refund was recorded');
  const command = targets[0]!.command;
  const refundRequested: PaymentEvent = {
    type: 'RefundRequested',
    data: { ...ref, reason: 'USER', requestedAt, completedAt: settledAt, refundRequestedAt: '2030-02-01T10:01:03.000Z' },
  };
  const refunded: PaymentEvent = { type: 'PaymentRefunded', data: { ...ref, reason: 'USER', requestedAt, completedAt: settledAt, refundedAt: now } };
  t.same(payment.decide(command, fold(payment, [requested, completed, refundRequested])), [refunded], 'REFUNDING: the payment is REFUNDED');
  t.same(payment.decide(command, fold(payment, [requested, completed, refundRequested, refunded])), [], 'once');
  t.same(payment.decide(command, fold(payment, [requested, failedTimeout])), [], "a failed payment's points coming back change nothing");
  t.same(payment.decide(command, fold(payment, [requested, completed])), [], 'a completed payment nobody cancelled stays COMPLETED');
  t.same(completeRefundOnPointsRefunded.react(recorded('points-alice', pointsDebited, created)), [], 'other events are ignored');
});

t.test("a withdrawn seat's payment is asked for a refund because of the cancellation, recorded at the event time", async (t) => {
  t.same(refundPaymentOnSeatWithdrawn.eventTypes, ['SeatWithdrawn']);
  const withdrawn = (paymentId?: string): SeatWithdrawn => ({
    type: 'SeatWithdrawn',
    data: { scheduleId: 'sch-1', seatNo: 7, withdrawnAt: now, ...(paymentId ? { paymentId } : {}) },
  });
  t.same(refundPaymentOnSeatWithdrawn.react(recorded('seat-sch-1_7', withdrawn(ref.paymentId), created)), [
    { streamId: stream, command: { type: 'RequestRefund', data: { reason: 'SCHEDULE_CANCELLED', now } }, correlationId: ref.paymentId },
  ]);
  t.same(refundPaymentOnSeatWithdrawn.react(recorded('seat-sch-1_8', withdrawn(), created)), [], 'a seat that was not RESERVED has no payment to undo');
});

t.test('the refund of a withdrawn seat: a completed payment is refunded, a pending one fails, the repeats of its other seats are no-ops', async (t) => {
  const command = (): PaymentCommand => ({ type: 'RequestRefund', data: { reason: 'SCHEDULE_CANCELLED', now } });
  const refundRequested: PaymentEvent = {
    type: 'RefundRequested',
    data: { ...ref, reason: 'SCHEDULE_CANCELLED', requestedAt, completedAt: settledAt, refundRequestedAt: now },
  };
  const failed: PaymentEvent = { type: 'PaymentFailed', data: { ...ref, reason: 'SCHEDULE_CANCELLED', requestedAt, failedAt: now } };
  given(t, payment, [requested, completed]).when(command()).then([refundRequested], 'COMPLETED: RefundRequested');
  given(t, payment, [requested]).when(command()).then([failed], 'PENDING: PaymentFailed SCHEDULE_CANCELLED');
  given(t, payment, [requested, completed, refundRequested]).when(command()).thenNothing('the next seat of the same payment');
  given(t, payment, [requested, failed]).when(command()).thenNothing('already failed');
});
