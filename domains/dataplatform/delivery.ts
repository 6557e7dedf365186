import { Rejection, type Aggregate } from '../../bus/decider.js';
import { backoffMs } from './backoff.js';
import type { DeliveryCommand, RecordAttempt, Redrive, ScheduleCancellation, ScheduleDelivery } from './commands.js';
import type { CancellationPayload, DeliveryEvent, DeliveryPayload, KindOf, Message } from './events.js';
import { isRetryable } from './outcome.js';

export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'DEAD_LETTERED';

/** A cancellation WAITING is recorded but not due: its reservation's delivery has not ended yet. */
export type CancellationStatus = 'WAITING' | DeliveryStatus;

/** One message on its way to the data platform. */
export interface Delivery<Payload = DeliveryPayload, Status extends string = DeliveryStatus> {
  paymentId: string;
  payload: Payload;
  status: Status;
  /** Attempts made in the current round; a redrive starts again from zero. */
  attempts: number;
  /** When the next attempt is due, while PENDING. */
  dueAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
}

export type CancellationDelivery = Delivery<CancellationPayload, CancellationStatus>;

export interface DeliveryState {
  /** The paid reservation. */
  delivery: Delivery | null;
  /** The refunded payment's cancellation, sent only once `delivery` has ended. */
  cancellation: CancellationDelivery | null;
}

type AttemptEvent = Exclude<DeliveryEvent, { type: 'DeliveryScheduled' | 'CancellationDeferred' }>;

const at = (iso: string, plusMs: number) => new Date(Date.parse(iso) + plusMs).toISOString();

/** Succeeded or dead-lettered: nothing more of the reservation will reach the data platform (a redrive aside, which the cancellation forbids). */
const hasEnded = (reservation: Delivery | null) => reservation !== null && reservation.status !== 'PENDING';

/** The message a command is about, with what its events carry. */
function messageOf(kind: 'cancellation' | undefined, state: DeliveryState): { message: Message; current: Delivery<unknown, string> } | null {
  if (kind === 'cancellation') return state.cancellation && { message: { kind, payload: state.cancellation.payload }, current: state.cancellation };
  return state.delivery && { message: { payload: state.delivery.payload }, current: state.delivery };
}

const kindOf = (message: Message): KindOf => (message.kind === 'cancellation' ? { kind: 'cancellation' } : {});

function schedule({ data }: ScheduleDelivery, state: DeliveryState): DeliveryEvent[] {
  if (state.delivery !== null) return [];
  return [{ type: 'DeliveryScheduled', data: { paymentId: data.payload.paymentId, payload: data.payload, dueAt: data.dueAt } }];
}

function scheduleCancellation({ data }: ScheduleCancellation, state: DeliveryState): DeliveryEvent[] {
  if (state.cancellation !== null) return [];
  const { payload, dueAt } = data;
  const { paymentId } = payload;
  // No reservation yet counts as not ended: its PaymentCompleted is on its way to this stream too.
  if (hasEnded(state.delivery)) return [{ type: 'DeliveryScheduled', data: { paymentId, kind: 'cancellation', payload, dueAt } }];
  return [{ type: 'CancellationDeferred', data: { paymentId, payload, deferredAt: dueAt } }];
}

/** The reservation's delivery has just ended: a cancellation waiting for it is due now. */
function releaseCancellation(state: DeliveryState, now: string): DeliveryEvent[] {
  const waiting = state.cancellation;
  if (waiting?.status !== 'WAITING') return [];
  return [{ type: 'DeliveryScheduled', data: { paymentId: waiting.paymentId, kind: 'cancellation', payload: waiting.payload, dueAt: now } }];
}

function recordAttempt({ data }: RecordAttempt, state: DeliveryState): DeliveryEvent[] {
  const { attempt, outcome, now, jitter, policy, kind } = data;
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new Rejection('invalid', 'INVALID_POLICY', `maxAttempts must be a positive integer, got ${policy.maxAttempts}`);
  }
  const found = messageOf(kind, state);
  // Only the attempt that is due counts: a second firing of the same timer (two instances) changes nothing.
  if (found === null || found.current.status !== 'PENDING' || attempt !== found.current.attempts + 1) return [];
  const { message, current } = found;
  const { paymentId } = current;
  const ended = kind === 'cancellation' ? [] : releaseCancellation(state, now);
  if (outcome.ok) {
    return [{ type: 'DeliverySucceeded', data: { paymentId, attempt, status: outcome.status, deliveredAt: now, ...kindOf(message) } }, ...ended];
  }
  const { status, error } = outcome;
  if (isRetryable(status) && attempt < policy.maxAttempts) {
    const retryAt = at(now, backoffMs(attempt, policy, jitter));
    return [{ type: 'DeliveryAttemptFailed', data: { paymentId, attempt, status, error, retryAt, ...message } }];
  }
  return [{ type: 'DeliveryDeadLettered', data: { paymentId, attempts: attempt, status, error, deadLetteredAt: now, ...kindOf(message) } }, ...ended];
}

function redrive({ data }: Redrive, { delivery, cancellation }: DeliveryState): DeliveryEvent[] {
  const kind = data.kind ?? (cancellation?.status === 'DEAD_LETTERED' ? 'cancellation' : 'reservation');
  const again = { redrivenAt: data.now, dueAt: data.now };
  if (kind === 'cancellation') {
    if (cancellation === null) throw new Rejection('not_found', 'CANCELLATION_NOT_FOUND', 'no cancellation for this payment');
    if (cancellation.status !== 'DEAD_LETTERED') {
      throw new Rejection('conflict', 'NOT_DEAD_LETTERED', `cancellation of ${cancellation.paymentId} is ${cancellation.status}, not dead-lettered`);
    }
    return [{ type: 'DeliveryRedriven', data: { paymentId: cancellation.paymentId, kind, ...again, payload: cancellation.payload } }];
  }
  if (delivery === null) throw new Rejection('not_found', 'DELIVERY_NOT_FOUND', 'no delivery for this payment');
  if (delivery.status !== 'DEAD_LETTERED') {
    throw new Rejection('conflict', 'NOT_DEAD_LETTERED', `delivery ${delivery.paymentId} is ${delivery.status}, not dead-lettered`);
  }
  if (cancellation !== null && cancellation.status !== 'WAITING') {
    throw new Rejection(
      'conflict',
      'CANCELLATION_SENT',
      `delivery ${delivery.paymentId} was refunded and its cancellation is under way or sent: the reservation cannot follow its own cancellation`,
    );
  }
  return [{ type: 'DeliveryRedriven', data: { paymentId: delivery.paymentId, ...again, payload: delivery.payload } }];
}

function fresh<Payload>(paymentId: string, payload: Payload, dueAt: string): Delivery<Payload> {
  return { paymentId, payload, status: 'PENDING', attempts: 0, dueAt, lastStatus: null, lastError: null };
}

/** One attempt's outcome, or a redrive, folded into the message it is about. */
function step<Payload, Status extends string>(current: Delivery<Payload, Status>, event: AttemptEvent): Delivery<Payload, Status | DeliveryStatus> {
  switch (event.type) {
    case 'DeliveryAttemptFailed':
      return { ...current, attempts: event.data.attempt, dueAt: event.data.retryAt, lastStatus: event.data.status, lastError: event.data.error };
    case 'DeliverySucceeded':
      return { ...current, status: 'SUCCEEDED', attempts: event.data.attempt, dueAt: null, lastStatus: event.data.status, lastError: null };
    case 'DeliveryDeadLettered':
      return { ...current, status: 'DEAD_LETTERED', attempts: event.data.attempts, dueAt: null, lastStatus: event.data.status, lastError: event.data.error };
    case 'DeliveryRedriven':
      return { ...current, status: 'PENDING', attempts: 0, dueAt: event.data.dueAt };
  }
}

/**
 * What one payment sends the data platform (stream `delivery-{paymentId}`):
 * its paid reservation, PENDING through its attempts, then SUCCEEDED or
 * DEAD_LETTERED (a redrive makes a dead letter PENDING again); and, once the
 * payment is refunded, its cancellation, which WAITs until the reservation's
 * delivery has ended and then goes through the same attempts. One stream for
 * both, so that one decision sees both: the one that ends the reservation
 * makes the cancellation due, and a redrive of the reservation is refused
 * once the cancellation is under way.
 */
export const delivery: Aggregate<DeliveryState, DeliveryCommand, DeliveryEvent> = {
  category: 'delivery',
  initialState: () => ({ delivery: null, cancellation: null }),
  decide(command, state) {
    switch (command.type) {
      case 'Schedule':
        return schedule(command, state);
      case 'ScheduleCancellation':
        return scheduleCancellation(command, state);
      case 'RecordAttempt':
        return recordAttempt(command, state);
      case 'Redrive':
        return redrive(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'DeliveryScheduled': {
        const { paymentId, dueAt } = event.data;
        if (event.data.kind === 'cancellation') return { ...state, cancellation: fresh(paymentId, event.data.payload, dueAt) };
        return { ...state, delivery: fresh(paymentId, event.data.payload, dueAt) };
      }
      case 'CancellationDeferred': {
        const { paymentId, payload } = event.data;
        return { ...state, cancellation: { paymentId, payload, status: 'WAITING', attempts: 0, dueAt: null, lastStatus: null, lastError: null } };
      }
      default: {
        if (event.data.kind === 'cancellation') return state.cancellation ? { ...state, cancellation: step(state.cancellation, event) } : state;
        return state.delivery ? { ...state, delivery: step(state.delivery, event) } : state;
      }
    }
  },
};

export const deliveryStream = (paymentId: string) => `${delivery.category}-${paymentId}`;
