import { isEvent } from '../../bus/decider.js';
import type { TimerRule } from '../../bus/reaction.js';
import type { PaymentCommand } from './commands.js';
import type { PaymentEvent } from './events.js';
import { payment, type PaymentState } from './payment.js';

type PaymentTimer = TimerRule<PaymentState, PaymentCommand, PaymentEvent>;

/** Every payment ends: one still pending at its deadline fails with TIMEOUT. */
export const paymentDeadline: PaymentTimer = {
  name: 'payment.paymentDeadline',
  aggregate: payment,
  eventTypes: ['PaymentRequested', 'PaymentCompleted', 'PaymentFailed'],
  schedule(event) {
    if (isEvent<PaymentEvent, 'PaymentRequested'>(event, 'PaymentRequested')) {
      const { paymentId, deadlineAt } = event.data;
      return [{ op: 'set', key: paymentId, dueAt: deadlineAt, streamId: event.streamId }];
    }
    if (
      isEvent<PaymentEvent, 'PaymentCompleted'>(event, 'PaymentCompleted') ||
      isEvent<PaymentEvent, 'PaymentFailed'>(event, 'PaymentFailed')
    ) {
      return [{ op: 'cancel', key: event.data.paymentId }];
    }
    return [];
  },
  fire(timer, now) {
    return [{ streamId: timer.streamId, command: { type: 'FailPayment', data: { reason: 'TIMEOUT', now: now.toISOString() } } }];
  },
};

export const timers: readonly PaymentTimer[] = [paymentDeadline];
