import t from 'tap';
import { fold } from '../../../bus/decider.js';
import { payment } from '../../../domains/payment/payment.js';
import { paymentDeadline, timers } from '../../../domains/payment/timers.js';
import { recorded } from '../../support/recorded.js';
import { completed, deadlineAt, failedTimeout, ref, requested } from './fixtures/payment.js';

const stream = `payment-${ref.paymentId}`;
const firedAt = '2030-02-01T10:01:30.250Z';

t.test('the payment service keeps one timer, on the payment', async (t) => {
  t.same(timers, [paymentDeadline]);
  t.equal(paymentDeadline.name, 'payment.paymentDeadline');
  t.equal(paymentDeadline.aggregate, payment);
  t.same(paymentDeadline.eventTypes, ['PaymentRequested', 'PaymentCompleted', 'PaymentFailed']);
});

t.test('a request sets its deadline, keyed by payment', async (t) => {
  t.same(paymentDeadline.schedule(recorded(stream, requested)), [
    { op: 'set', key: ref.paymentId, dueAt: deadlineAt, streamId: stream },
  ]);
});

t.test('an ended payment cancels its deadline', async (t) => {
  t.same(paymentDeadline.schedule(recorded(stream, completed)), [{ op: 'cancel', key: ref.paymentId }]);
  t.same(paymentDeadline.schedule(recorded(stream, failedTimeout)), [{ op: 'cancel', key: ref.paymentId }]);
});

t.test('other events leave timers alone', async (t) => {
  t.same(
    paymentDeadline.schedule(recorded('seat-sch-1_7', { type: 'SeatReserved', data: { ...ref, reservedAt: firedAt } })),
    [],
  );
});

t.test('firing fails the payment with TIMEOUT at the firing time', async (t) => {
  const targets = await paymentDeadline.fire(
    { key: ref.paymentId, dueAt: deadlineAt, streamId: stream, payload: {} },
    new Date(firedAt),
  );
  t.same(targets, [{ streamId: stream, command: { type: 'FailPayment', data: { reason: 'TIMEOUT', now: firedAt } } }]);
  const [target] = targets;
  t.same(
    target && payment.decide(target.command, fold(payment, [requested])),
    [{ type: 'PaymentFailed', data: { ...failedTimeout.data, failedAt: firedAt } }],
    'and a pending payment fails',
  );
});
