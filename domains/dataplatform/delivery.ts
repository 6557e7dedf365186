import { Rejection, type Aggregate } from '../../bus/decider.js';
import { backoffMs } from './backoff.js';
import type { DeliveryCommand, RecordAttempt, Redrive, ScheduleDelivery } from './commands.js';
import type { DeliveryEvent, DeliveryPayload } from './events.js';
import { isRetryable } from './outcome.js';

export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'DEAD_LETTERED';

export interface Delivery {
  paymentId: string;
  payload: DeliveryPayload;
  status: DeliveryStatus;
  /** Attempts made in the current round; a redrive starts again from zero. */
  attempts: number;
  /** When the next attempt is due, while PENDING. */
  dueAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
}

export interface DeliveryState {
  delivery: Delivery | null;
}

const at = (iso: string, plusMs: number) => new Date(Date.parse(iso) + plusMs).toISOString();

function schedule({ data }: ScheduleDelivery, state: DeliveryState): DeliveryEvent[] {
  if (state.delivery !== null) return [];
  return [{ type: 'DeliveryScheduled', data: { paymentId: data.payload.paymentId, payload: data.payload, dueAt: data.dueAt } }];
}

function recordAttempt({ data }: RecordAttempt, { delivery }: DeliveryState): DeliveryEvent[] {
  const { attempt, outcome, now, jitter, policy } = data;
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new Rejection('invalid', 'INVALID_POLICY', `maxAttempts must be a positive integer, got ${policy.maxAttempts}`);
  }
  // Only the attempt that is due counts: a second firing of the same timer (two instances) changes nothing.
  if (delivery === null || delivery.status !== 'PENDING' || attempt !== delivery.attempts + 1) return [];
  const { paymentId, payload } = delivery;
  if (outcome.ok) {
    return [{ type: 'DeliverySucceeded', data: { paymentId, attempt, status: outcome.status, deliveredAt: now } }];
  }
  const { status, error } = outcome;
  if (isRetryable(status) && attempt < policy.maxAttempts) {
    const retryAt = at(now, backoffMs(attempt, policy, jitter));
    return [{ type: 'DeliveryAttemptFailed', data: { paymentId, attempt, status, error, retryAt, payload } }];
  }
  return [{ type: 'DeliveryDeadLettered', data: { paymentId, attempts: attempt, status, error, deadLetteredAt: now } }];
}

function redrive({ data }: Redrive, { delivery }: DeliveryState): DeliveryEvent[] {
  if (delivery === null) throw new Rejection('not_found', 'DELIVERY_NOT_FOUND', 'no delivery for this payment');
  if (delivery.status !== 'DEAD_LETTERED') {
    throw new Rejection('conflict', 'NOT_DEAD_LETTERED', `delivery ${delivery.paymentId} is ${delivery.status}, not dead-lettered`);
  }
  return [
    { type: 'DeliveryRedriven', data: { paymentId: delivery.paymentId, redrivenAt: data.now, dueAt: data.now, payload: delivery.payload } },
  ];
}

/**
 * One paid reservation on its way to the data platform (stream
 * `delivery-{paymentId}`): PENDING through its attempts, then SUCCEEDED or
 * DEAD_LETTERED; a redrive makes a dead letter PENDING again.
 */
export const delivery: Aggregate<DeliveryState, DeliveryCommand, DeliveryEvent> = {
  category: 'delivery',
  initialState: () => ({ delivery: null }),
  decide(command, state) {
    switch (command.type) {
      case 'Schedule':
        return schedule(command, state);
      case 'RecordAttempt':
        return recordAttempt(command, state);
      case 'Redrive':
        return redrive(command, state);
    }
  },
  evolve(state, event) {
    if (event.type === 'DeliveryScheduled') {
      const { paymentId, payload, dueAt } = event.data;
      return { delivery: { paymentId, payload, status: 'PENDING', attempts: 0, dueAt, lastStatus: null, lastError: null } };
    }
    const current = state.delivery;
    if (current === null) return state;
    switch (event.type) {
      case 'DeliveryAttemptFailed':
        return {
          delivery: { ...current, attempts: event.data.attempt, dueAt: event.data.retryAt, lastStatus: event.data.status, lastError: event.data.error },
        };
      case 'DeliverySucceeded':
        return { delivery: { ...current, status: 'SUCCEEDED', attempts: event.data.attempt, dueAt: null, lastStatus: event.data.status, lastError: null } };
      case 'DeliveryDeadLettered':
        return {
          delivery: {
            ...current,
            status: 'DEAD_LETTERED',
            attempts: event.data.attempts,
            dueAt: null,
            lastStatus: event.data.status,
            lastError: event.data.error,
          },
        };
      case 'DeliveryRedriven':
        return { delivery: { ...current, status: 'PENDING', attempts: 0, dueAt: event.data.dueAt } };
    }
  },
};

export const deliveryStream = (paymentId: string) => `${delivery.category}-${paymentId}`;
