import t from 'tap';
import type { DueTimer } from '../../../bus/reaction.js';
import type { DeliveryPolicy } from '../../../domains/dataplatform/commands.js';
import { delivery } from '../../../domains/dataplatform/delivery.js';
import type { CancellationPayload, DeliveryEvent, DeliveryPayload, Message } from '../../../domains/dataplatform/events.js';
import type { DeliveryOutcome } from '../../../domains/dataplatform/outcome.js';
import { reactions, scheduleCancellationOnPaymentRefunded, scheduleDeliveryOnPaymentCompleted } from '../../../domains/dataplatform/reactions.js';
import { deliveryTimer, timers } from '../../../domains/dataplatform/timers.js';
import type { PaymentCompleted, PaymentRefunded } from '../../../domains/payment/events.js';
import { recorded } from '../../support/recorded.js';

const payload: DeliveryPayload = {
  paymentId: 'pay-1',
  reservationId: 'res-1',
  userId: 'u-1',
  concertId: 'c-1',
  scheduleId: 's-1',
  seatNo: 7,
  amount: 3000,
  paidAt: '2030-01-01T10:00:02.000Z',
};
const policy: DeliveryPolicy = { maxAttempts: 5, baseMs: 100, maxMs: 1000 };
const cancellation: CancellationPayload = {
  paymentId: 'pay-1',
  reservationId: 'res-1',
  userId: 'u-1',
  scheduleId: 's-1',
  seatNos: [3, 7],
  amount: 3000,
  refundedAt: '2030-01-01T11:00:00.000Z',
  reason: 'SCHEDULE_CANCELLED',
};

t.test('scheduleDeliveryOnPaymentCompleted', async (t) => {
  t.same(reactions, [scheduleDeliveryOnPaymentCompleted, scheduleCancellationOnPaymentRefunded]);
  t.equal(scheduleDeliveryOnPaymentCompleted.aggregate, delivery);
  t.same(scheduleDeliveryOnPaymentCompleted.eventTypes, ['PaymentCompleted']);
  const { paidAt, ...ref } = payload;
  const event: PaymentCompleted = {
    type: 'PaymentCompleted',
    data: { ...ref, requestedAt: '2030-01-01T10:00:01.000Z', completedAt: paidAt },
  };
  t.same(scheduleDeliveryOnPaymentCompleted.react(recorded('payment-pay-1', event, new Date('2030-01-01T10:00:09.000Z'))), [
    { streamId: 'delivery-pay-1', command: { type: 'Schedule', data: { payload, dueAt: paidAt } } },
  ], 'paid at completion, due at once, nothing else in the payload');
  t.same(scheduleDeliveryOnPaymentCompleted.react(recorded('payment-pay-1', { type: 'PaymentFailed', data: event.data })), []);
});

t.test('deliveryAttempt timer: schedule', async (t) => {
  const timer = deliveryTimer(async () => ({ ok: true, status: 200 }), policy, () => 0);
  t.equal(timer.aggregate, delivery);
  const stream = 'delivery-pay-1';
  const schedule = (event: DeliveryEvent) => timer.schedule(recorded(stream, event));
  for (const type of ['DeliveryScheduled', 'DeliveryAttemptFailed', 'DeliveryRedriven', 'DeliverySucceeded', 'DeliveryDeadLettered']) {
    t.ok(timer.eventTypes.includes(type), `listens to ${type}`);
  }

  t.same(schedule({ type: 'DeliveryScheduled', data: { paymentId: 'pay-1', payload, dueAt: '2030-01-01T10:00:02.000Z' } }), [
    { op: 'set', key: 'pay-1', dueAt: '2030-01-01T10:00:02.000Z', streamId: stream, payload: { attempt: 1, delivery: payload } },
  ], 'first attempt at dueAt');
  t.same(
    schedule({
      type: 'DeliveryAttemptFailed',
      data: { paymentId: 'pay-1', attempt: 2, status: 503, error: 'HTTP 503', retryAt: '2030-01-01T10:00:04.000Z', payload },
    }),
    [{ op: 'set', key: 'pay-1', dueAt: '2030-01-01T10:00:04.000Z', streamId: stream, payload: { attempt: 3, delivery: payload } }],
    'the next attempt at retryAt',
  );
  t.same(
    schedule({ type: 'DeliveryRedriven', data: { paymentId: 'pay-1', redrivenAt: 'r', dueAt: '2030-01-02T00:00:00.000Z', payload } }),
    [{ op: 'set', key: 'pay-1', dueAt: '2030-01-02T00:00:00.000Z', streamId: stream, payload: { attempt: 1, delivery: payload } }],
    'a redrive starts at attempt 1',
  );
  t.same(schedule({ type: 'DeliverySucceeded', data: { paymentId: 'pay-1', attempt: 1, status: 200, deliveredAt: 'x' } }), [
    { op: 'cancel', key: 'pay-1' },
  ]);
  t.same(
    schedule({ type: 'DeliveryDeadLettered', data: { paymentId: 'pay-1', attempts: 5, status: 503, error: 'x', deadLetteredAt: 'x' } }),
    [{ op: 'cancel', key: 'pay-1' }],
  );
});

t.test('deliveryAttempt timer: fire sends, then hands the outcome to the decider', async (t) => {
  const sent: Message[] = [];
  const outcomes: DeliveryOutcome[] = [{ ok: false, status: 503, error: 'HTTP 503' }, { ok: true, status: 201 }];
  const timer = deliveryTimer(
    async (p) => {
      sent.push(p);
      return outcomes.shift()!;
    },
    policy,
    () => 0.25,
  );
  const due: DueTimer = { key: 'pay-1', dueAt: 'x', streamId: 'delivery-pay-1', payload: { attempt: 2, delivery: payload } };
  const now = new Date('2030-01-01T10:00:05.000Z');

  t.same(await timer.fire(due, now), [
    {
      streamId: 'delivery-pay-1',
      command: {
        type: 'RecordAttempt',
        data: { attempt: 2, outcome: { ok: false, status: 503, error: 'HTTP 503' }, now: '2030-01-01T10:00:05.000Z', jitter: 0.25, policy },
      },
    },
  ]);
  t.same(sent, [{ payload }], 'sent the payload from the timer, as a reservation');
  const second = await timer.fire(due, now);
  t.same(second[0]?.command.type === 'RecordAttempt' && second[0].command.data.outcome, { ok: true, status: 201 });
});

t.test('deliveryAttempt timer: a sender that throws is a failed attempt, not a lost one', async (t) => {
  const timer = deliveryTimer(async () => Promise.reject(new Error('socket hang up')), policy, () => 0);
  const [target] = await timer.fire(
    { key: 'pay-1', dueAt: 'x', streamId: 'delivery-pay-1', payload: { attempt: 1, delivery: payload } },
    new Date('2030-01-01T10:00:05.000Z'),
  );
  t.same(target?.command.type === 'RecordAttempt' && target.command.data.outcome, { ok: false, status: null, error: 'Error: socket hang up' });
});

t.test('deliveryAttempt timer: an unreadable payload is an error', async (t) => {
  let calls = 0;
  const timer = deliveryTimer(async () => {
    calls += 1;
    return { ok: true, status: 200 };
  }, policy, () => 0);
  for (const bad of [{}, { attempt: 1 }, { attempt: 0, delivery: payload }, { attempt: '1', delivery: payload }, { attempt: 1, delivery: { paymentId: 'p' } }]) {
    await t.rejects(
      Promise.resolve().then(() => timer.fire({ key: 'pay-1', dueAt: 'x', streamId: 'delivery-pay-1', payload: bad }, new Date())),
      TypeError,
      JSON.stringify(bad),
    );
  }
  t.equal(calls, 0, 'nothing was sent');
});

t.test('timers() builds the one delivery timer', async (t) => {
  const built = timers(async () => ({ ok: true, status: 200 }), policy);
  t.same(built.map((timer) => timer.name), [deliveryTimer(async () => ({ ok: true, status: 200 }), policy, Math.random).name]);
});

t.test('scheduleCancellationOnPaymentRefunded', async (t) => {
  t.equal(scheduleCancellationOnPaymentRefunded.aggregate, delivery);
  t.same(scheduleCancellationOnPaymentRefunded.eventTypes, ['PaymentRefunded']);
  const { paidAt, ...ref } = payload;
  const refunded = (seats: Partial<Pick<PaymentRefunded['data'], 'seatNo' | 'seatNos'>>): PaymentRefunded => ({
    type: 'PaymentRefunded',
    data: {
      ...ref,
      ...seats,
      reason: 'SCHEDULE_CANCELLED',
      requestedAt: '2030-01-01T10:00:01.000Z',
      completedAt: paidAt,
      refundedAt: '2030-01-01T11:00:00.000Z',
    },
  });
  t.same(scheduleCancellationOnPaymentRefunded.react(recorded('payment-pay-1', refunded({ seatNo: 3, seatNos: [3, 7] }), new Date('2030-01-01T11:00:09.000Z'))), [
    { streamId: 'delivery-pay-1', command: { type: 'ScheduleCancellation', data: { payload: cancellation, dueAt: '2030-01-01T11:00:00.000Z' } } },
  ], 'every seat, due when refunded, nothing else in the payload');
  const [single] = scheduleCancellationOnPaymentRefunded.react(recorded('payment-pay-1', refunded({ seatNo: 7 })));
  t.same(single?.command.type === 'ScheduleCancellation' && single.command.data.payload.seatNos, [7], 'a single-seat payment: its one seat');
  t.same(scheduleCancellationOnPaymentRefunded.react(recorded('payment-pay-1', { type: 'PaymentCompleted', data: refunded({}).data })), []);
});

t.test('deliveryAttempt timer: a cancellation has its own key, and its own payload', async (t) => {
  const timer = deliveryTimer(async () => ({ ok: true, status: 200 }), policy, () => 0);
  const stream = 'delivery-pay-1';
  const schedule = (event: DeliveryEvent) => timer.schedule(recorded(stream, event));
  const carried = { attempt: 1, kind: 'cancellation', delivery: cancellation };
  t.same(
    schedule({ type: 'DeliveryScheduled', data: { paymentId: 'pay-1', kind: 'cancellation', payload: cancellation, dueAt: '2030-01-01T11:00:00.000Z' } }),
    [{ op: 'set', key: 'cancel-pay-1', dueAt: '2030-01-01T11:00:00.000Z', streamId: stream, payload: carried }],
    'due: its first attempt, under a key that is not the reservation\'s',
  );
  t.same(
    schedule({ type: 'CancellationDeferred', data: { paymentId: 'pay-1', payload: cancellation, deferredAt: '2030-01-01T11:00:00.000Z' } }),
    [],
    'waiting: no timer at all',
  );
  t.notOk(timer.eventTypes.includes('CancellationDeferred'), 'it does not even listen to it');
  t.same(
    schedule({
      type: 'DeliveryAttemptFailed',
      data: { paymentId: 'pay-1', attempt: 1, status: 503, error: 'HTTP 503', retryAt: '2030-01-01T11:00:01.000Z', kind: 'cancellation', payload: cancellation },
    }),
    [{ op: 'set', key: 'cancel-pay-1', dueAt: '2030-01-01T11:00:01.000Z', streamId: stream, payload: { ...carried, attempt: 2 } }],
  );
  t.same(
    schedule({ type: 'DeliveryRedriven', data: { paymentId: 'pay-1', kind: 'cancellation', redrivenAt: 'r', dueAt: '2030-01-02T00:00:00.000Z', payload: cancellation } }),
    [{ op: 'set', key: 'cancel-pay-1', dueAt: '2030-01-02T00:00:00.000Z', streamId: stream, payload: carried }],
  );
  t.same(schedule({ type: 'DeliverySucceeded', data: { paymentId: 'pay-1', attempt: 1, status: 200, deliveredAt: 'x', kind: 'cancellation' } }), [
    { op: 'cancel', key: 'cancel-pay-1' },
  ], "its success cancels its own timer, not the reservation's");
  t.same(
    schedule({ type: 'DeliveryDeadLettered', data: { paymentId: 'pay-1', attempts: 5, status: 503, error: 'x', deadLetteredAt: 'x', kind: 'cancellation' } }),
    [{ op: 'cancel', key: 'cancel-pay-1' }],
  );
});

t.test('deliveryAttempt timer: firing a cancellation sends it as one and records the attempt as its', async (t) => {
  const sent: Message[] = [];
  const timer = deliveryTimer(
    async (message) => {
      sent.push(message);
      return { ok: false, status: 503, error: 'HTTP 503' };
    },
    policy,
    () => 0.75,
  );
  const due: DueTimer = { key: 'cancel-pay-1', dueAt: 'x', streamId: 'delivery-pay-1', payload: { attempt: 3, kind: 'cancellation', delivery: cancellation } };
  t.same(await timer.fire(due, new Date('2030-01-01T11:00:05.000Z')), [
    {
      streamId: 'delivery-pay-1',
      command: {
        type: 'RecordAttempt',
        data: { attempt: 3, outcome: { ok: false, status: 503, error: 'HTTP 503' }, now: '2030-01-01T11:00:05.000Z', jitter: 0.75, policy, kind: 'cancellation' },
      },
    },
  ]);
  t.same(sent, [{ kind: 'cancellation', payload: cancellation }]);
});

t.test('deliveryAttempt timer: an unreadable cancellation payload is an error', async (t) => {
  let calls = 0;
  const timer = deliveryTimer(async () => {
    calls += 1;
    return { ok: true, status: 200 };
  }, policy, () => 0);
  for (const bad of [
    { attempt: 1, kind: 'cancellation', delivery: payload },
    { attempt: 1, kind: 'cancellation', delivery: { ...cancellation, seatNos: [] } },
    { attempt: 1, kind: 'cancellation', delivery: { ...cancellation, seatNos: ['3'] } },
    { attempt: 1, kind: 'refund', delivery: cancellation },
    { attempt: 1, delivery: cancellation },
  ]) {
    await t.rejects(
      Promise.resolve().then(() => timer.fire({ key: 'cancel-pay-1', dueAt: 'x', streamId: 'delivery-pay-1', payload: bad }, new Date())),
      TypeError,
      JSON.stringify(bad),
    );
  }
  t.equal(calls, 0, 'nothing was sent');
});
