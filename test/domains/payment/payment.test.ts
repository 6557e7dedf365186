import t from 'tap';
import { validate, version } from 'uuid';
import { fold } from '../../../bus/decider.js';
import type { PaymentCommand, RequestPayment } from '../../../domains/payment/commands.js';
import type { PaymentEvent, PaymentFailureReason, RefundReason } from '../../../domains/payment/events.js';
import { payment, paymentIdFor, paymentStream } from '../../../domains/payment/payment.js';
import { given } from '../../support/given.js';
import {
  beforeDeadline,
  completed,
  deadlineAt,
  deadlineMs,
  failedTimeout,
  ref,
  requested,
  requestedAt,
  settledAt,
} from './fixtures/payment.js';

function requestPayment(data: Partial<RequestPayment['data']> = {}): RequestPayment {
  return { type: 'RequestPayment', data: { ...ref, now: requestedAt, deadlineMs, ...data } };
}
const complete = (now = settledAt): PaymentCommand => ({ type: 'CompletePayment', data: { now } });
const fail = (reason: PaymentFailureReason, now = settledAt): PaymentCommand => ({
  type: 'FailPayment',
  data: { reason, now },
});

t.test('one payment id per reservation, a stable uuid', async (t) => {
  t.equal(paymentIdFor('r-1'), paymentIdFor('r-1'), 'the same reservation always gets the same payment');
  t.not(paymentIdFor('r-1'), paymentIdFor('r-2'), 'different reservations get different payments');
  t.ok(validate(paymentIdFor('r-1')), 'a uuid');
  t.equal(version(paymentIdFor('r-1')), 5, 'a name-based (v5) uuid');
  t.equal(paymentStream('p-1'), 'payment-p-1');
  t.equal(payment.category, 'payment');
});

t.test('a payment is requested with its deadline', async (t) => {
  given(t, payment, []).when(requestPayment()).then([requested]);
});

t.test('a repeat request for the same reservation adds nothing', async (t) => {
  given(t, payment, [requested]).when(requestPayment({ now: settledAt })).thenNothing('while pending');
  given(t, payment, [requested, completed]).when(requestPayment({ now: settledAt })).thenNothing('once ended');
});

t.test('a payment id that is not the reservation’s own is refused', async (t) => {
  given(t, payment, []).when(requestPayment({ paymentId: paymentIdFor('r-2') })).rejects('PAYMENT_ID_MISMATCH');
});

t.test('a payment needs a positive whole amount and deadline', async (t) => {
  given(t, payment, []).when(requestPayment({ amount: 0 })).rejects('INVALID_AMOUNT');
  given(t, payment, []).when(requestPayment({ amount: 12.5 })).rejects('INVALID_AMOUNT');
  given(t, payment, []).when(requestPayment({ deadlineMs: 0 })).rejects('INVALID_DEADLINE');
});

t.test('a pending payment completes', async (t) => {
  given(t, payment, [requested]).when(complete()).then([completed]);
});

t.test('a pending payment fails for the reason the saga gives', async (t) => {
  for (const reason of ['HOLD_EXPIRED', 'NOT_HOLDER', 'ALREADY_RESERVED', 'INSUFFICIENT_BALANCE'] as const) {
    given(t, payment, [requested])
      .when(fail(reason))
      .then([{ type: 'PaymentFailed', data: { ...ref, reason, requestedAt, failedAt: settledAt } }], reason);
  }
});

t.test('a pending payment times out at its deadline, not before', async (t) => {
  given(t, payment, [requested]).when(fail('TIMEOUT', deadlineAt)).then([failedTimeout]);
  given(t, payment, [requested]).when(fail('TIMEOUT', beforeDeadline)).thenNothing();
});

t.test('an ended payment ignores every later outcome', async (t) => {
  given(t, payment, [requested, failedTimeout]).when(complete(deadlineAt)).thenNothing('a late debit after a timeout');
  given(t, payment, [requested, failedTimeout]).when(fail('INSUFFICIENT_BALANCE')).thenNothing('a second failure');
  given(t, payment, [requested, completed]).when(fail('TIMEOUT', deadlineAt)).thenNothing('a timeout after completion');
  given(t, payment, [requested, completed]).when(complete()).thenNothing('a redelivered debit');
});

t.test('an outcome for a payment never requested is refused, so the bus parks it', async (t) => {
  given(t, payment, []).when(complete()).rejects('PAYMENT_NOT_FOUND');
  given(t, payment, []).when(fail('TIMEOUT', deadlineAt)).rejects('PAYMENT_NOT_FOUND');
});

t.test('the state tells how the payment went', async (t) => {
  t.same(fold(payment, [requested]), {
    status: 'PENDING',
    ref,
    requestedAt,
    deadlineAt,
    reason: null,
    completedAt: null,
    failedAt: null,
    refundReason: null,
    refundedAt: null,
  });
  t.match(fold(payment, [requested, completed]), { status: 'COMPLETED', completedAt: settledAt, reason: null });
  t.match(fold(payment, [requested, failedTimeout]), { status: 'FAILED', reason: 'TIMEOUT', failedAt: deadlineAt });
});

const refundAt = '2030-02-01T12:00:00.000Z';
const cutoffAt = '2030-02-02T19:00:00.000Z';
const requestRefund = (reason: RefundReason, data: { now?: string; cutoffAt?: string } = {}): PaymentCommand => ({
  type: 'RequestRefund',
  data: { reason, now: refundAt, ...data },
});
const refundRequested = (reason: RefundReason): PaymentEvent => ({
  type: 'RefundRequested',
  data: { ...ref, reason, requestedAt, completedAt: settledAt, refundRequestedAt: refundAt },
});
const completeRefund = (now = '2030-02-01T12:00:01.000Z'): PaymentCommand => ({ type: 'CompleteRefund', data: { now } });
const refunded = (reason: RefundReason): PaymentEvent => ({
  type: 'PaymentRefunded',
  data: { ...ref, reason, requestedAt, completedAt: settledAt, refundedAt: '2030-02-01T12:00:01.000Z' },
});

t.test('a buyer cancels a completed payment before the cutoff: a refund is requested', async (t) => {
  given(t, payment, [requested, completed]).when(requestRefund('USER', { cutoffAt })).then([refundRequested('USER')]);
});

t.test('a buyer cannot cancel at or past the cutoff', async (t) => {
  given(t, payment, [requested, completed]).when(requestRefund('USER', { cutoffAt: refundAt })).rejects('CANCELLATION_CLOSED');
});

t.test('a buyer cannot cancel a pending or a failed payment', async (t) => {
  given(t, payment, [requested]).when(requestRefund('USER', { cutoffAt })).rejects('PAYMENT_IN_PROGRESS');
  given(t, payment, [requested, failedTimeout]).when(requestRefund('USER', { cutoffAt })).rejects('NOT_CANCELLABLE');
  given(t, payment, []).when(requestRefund('USER', { cutoffAt })).rejects('PAYMENT_NOT_FOUND');
});

t.test('a cancelled schedule refunds a completed payment whatever the cutoff, and fails a pending one', async (t) => {
  given(t, payment, [requested, completed])
    .when(requestRefund('SCHEDULE_CANCELLED', { cutoffAt: requestedAt }))
    .then([refundRequested('SCHEDULE_CANCELLED')]);
  given(t, payment, [requested])
    .when(requestRefund('SCHEDULE_CANCELLED'))
    .then([{ type: 'PaymentFailed', data: { ...ref, reason: 'SCHEDULE_CANCELLED', requestedAt, failedAt: refundAt } }]);
  given(t, payment, [requested, failedTimeout]).when(requestRefund('SCHEDULE_CANCELLED')).thenNothing('a failed payment stays failed');
});

t.test('a refund is requested once, whoever asks again', async (t) => {
  for (const again of ['USER', 'SCHEDULE_CANCELLED'] as const) {
    given(t, payment, [requested, completed, refundRequested('USER')]).when(requestRefund(again, { cutoffAt })).thenNothing(again);
    given(t, payment, [requested, completed, refundRequested('USER'), refunded('USER')])
      .when(requestRefund(again, { cutoffAt }))
      .thenNothing(`${again}, once refunded`);
  }
});

t.test('the points back end a refund under way, and nothing else', async (t) => {
  given(t, payment, [requested, completed, refundRequested('USER')]).when(completeRefund()).then([refunded('USER')]);
  given(t, payment, [requested, completed, refundRequested('USER'), refunded('USER')]).when(completeRefund()).thenNothing('redelivered');
  given(t, payment, [requested, failedTimeout]).when(completeRefund()).thenNothing("a failed payment's compensation");
  given(t, payment, [requested, completed]).when(completeRefund()).thenNothing('no refund asked');
});

t.test('a refunded payment is never completed or failed again', async (t) => {
  const history = [requested, completed, refundRequested('SCHEDULE_CANCELLED'), refunded('SCHEDULE_CANCELLED')];
  given(t, payment, history).when(complete()).thenNothing('a redelivered debit');
  given(t, payment, history).when(fail('TIMEOUT', deadlineAt)).thenNothing('a late timeout');
  t.match(fold(payment, history), { status: 'REFUNDED', refundReason: 'SCHEDULE_CANCELLED', refundedAt: '2030-02-01T12:00:01.000Z' });
});
