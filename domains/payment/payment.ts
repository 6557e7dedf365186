import { v5 as uuidv5 } from 'uuid';
import { Rejection, type Aggregate } from '../../bus/decider.js';
import type { PaymentCommand, RequestPayment, RequestRefund } from './commands.js';
import type { PaymentEvent, PaymentFailureReason, PaymentRef, RefundReason } from './events.js';
import { refOf } from './ref.js';

/** REFUNDING is the aggregate's own: readers still see COMPLETED until the refund is done. */
export type PaymentStatus = 'PENDING' | 'COMPLETED' | 'FAILED' | 'REFUNDING' | 'REFUNDED';

export interface PaymentState {
  /** NONE until requested: the stream does not exist yet. */
  status: 'NONE' | PaymentStatus;
  ref: PaymentRef | null;
  requestedAt: string | null;
  deadlineAt: string | null;
  reason: PaymentFailureReason | null;
  completedAt: string | null;
  failedAt: string | null;
  refundReason: RefundReason | null;
  refundedAt: string | null;
}

/** Fixed forever: changing it would give every reservation a second payment id. */
const paymentNamespace = '4025a2e3-ae1c-416b-b7f6-143e86626c1b';

/** One payment per reservation: a double submit lands on the same stream and cannot charge twice. */
export function paymentIdFor(reservationId: string): string {
  return uuidv5(reservationId, paymentNamespace);
}

export function paymentStream(paymentId: string): string {
  return `payment-${paymentId}`;
}

export function initialState(): PaymentState {
  return {
    status: 'NONE',
    ref: null,
    requestedAt: null,
    deadlineAt: null,
    reason: null,
    completedAt: null,
    failedAt: null,
    refundReason: null,
    refundedAt: null,
  };
}

function request(command: RequestPayment, state: PaymentState): PaymentEvent[] {
  const { reservationId, paymentId, amount, now, deadlineMs } = command.data;
  if (paymentId !== paymentIdFor(reservationId)) {
    throw new Rejection('invalid', 'PAYMENT_ID_MISMATCH', `payment ${paymentId} is not the payment of reservation ${reservationId}`);
  }
  // A repeat for the same reservation: the route answers with the payment that exists.
  if (state.status !== 'NONE') return [];
  if (!Number.isInteger(amount) || amount < 1) {
    throw new Rejection('invalid', 'INVALID_AMOUNT', `a payment needs a positive whole amount, not ${amount}`);
  }
  if (!Number.isInteger(deadlineMs) || deadlineMs < 1) {
    throw new Rejection('invalid', 'INVALID_DEADLINE', `a payment needs a positive deadline, not ${deadlineMs} ms`);
  }
  return [
    {
      type: 'PaymentRequested',
      data: {
        ...refOf(command.data),
        requestedAt: now,
        deadlineAt: new Date(Date.parse(now) + deadlineMs).toISOString(),
      },
    },
  ];
}

/** The saga's outcomes only ever land on a requested payment; anything else is a bug worth parking. */
function pending(state: PaymentState): { ref: PaymentRef; requestedAt: string; deadlineAt: string } | null {
  if (state.status === 'NONE' || !state.ref || state.requestedAt === null || state.deadlineAt === null) {
    throw new Rejection('not_found', 'PAYMENT_NOT_FOUND', 'no payment was requested on this stream');
  }
  // Once COMPLETED or FAILED, later outcomes (a late debit after a TIMEOUT) are for the compensations to undo.
  if (state.status !== 'PENDING') return null;
  return { ref: state.ref, requestedAt: state.requestedAt, deadlineAt: state.deadlineAt };
}

/**
 * A buyer's cancellation is refused with the reason the route answers; a
 * schedule's is never refused: it fails what is still pending, refunds what
 * completed, and lets anything already ended be.
 */
function refund({ data }: RequestRefund, state: PaymentState): PaymentEvent[] {
  const { reason, now, cutoffAt } = data;
  if (state.status === 'NONE' || !state.ref || state.requestedAt === null) {
    throw new Rejection('not_found', 'PAYMENT_NOT_FOUND', 'no payment was requested on this stream');
  }
  const { ref, requestedAt } = state;
  const byUser = reason === 'USER';
  switch (state.status) {
    case 'REFUNDING':
    case 'REFUNDED':
      return []; // asked before: the refund under way is the answer
    case 'FAILED':
      if (byUser) throw new Rejection('conflict', 'NOT_CANCELLABLE', `payment ${ref.paymentId} failed: there is nothing to refund`);
      return [];
    case 'PENDING':
      if (byUser) throw new Rejection('conflict', 'PAYMENT_IN_PROGRESS', `payment ${ref.paymentId} is still pending`);
      return [{ type: 'PaymentFailed', data: { ...ref, reason: 'SCHEDULE_CANCELLED', requestedAt, failedAt: now } }];
    case 'COMPLETED':
      if (byUser && cutoffAt !== undefined && Date.parse(now) >= Date.parse(cutoffAt)) {
        throw new Rejection('conflict', 'CANCELLATION_CLOSED', `cancellations closed at ${cutoffAt}`);
      }
      return [
        {
          type: 'RefundRequested',
          data: { ...ref, reason, requestedAt, completedAt: state.completedAt ?? now, refundRequestedAt: now },
        },
      ];
  }
}

function decide(command: PaymentCommand, state: PaymentState): PaymentEvent[] {
  switch (command.type) {
    case 'RequestPayment':
      return request(command, state);
    case 'CompletePayment': {
      const payment = pending(state);
      if (!payment) return [];
      return [
        {
          type: 'PaymentCompleted',
          data: { ...payment.ref, requestedAt: payment.requestedAt, completedAt: command.data.now },
        },
      ];
    }
    case 'FailPayment': {
      const { reason, now } = command.data;
      const payment = pending(state);
      if (!payment) return [];
      // A deadline timer that fires early (clock skew between instances) must not cut the saga short.
      if (reason === 'TIMEOUT' && Date.parse(now) < Date.parse(payment.deadlineAt)) return [];
      return [
        {
          type: 'PaymentFailed',
          data: { ...payment.ref, reason, requestedAt: payment.requestedAt, failedAt: now },
        },
      ];
    }
    case 'RequestRefund':
      return refund(command, state);
    case 'CompleteRefund': {
      // Points come back for failed payments too: only a refund under way ends here.
      if (state.status !== 'REFUNDING' || !state.ref || state.requestedAt === null || state.refundReason === null) return [];
      const { ref, requestedAt, refundReason: reason } = state;
      return [
        {
          type: 'PaymentRefunded',
          data: { ...ref, reason, requestedAt, completedAt: state.completedAt ?? requestedAt, refundedAt: command.data.now },
        },
      ];
    }
  }
}

function evolve(state: PaymentState, event: PaymentEvent): PaymentState {
  switch (event.type) {
    case 'PaymentRequested':
      return {
        ...state,
        status: 'PENDING',
        ref: refOf(event.data),
        requestedAt: event.data.requestedAt,
        deadlineAt: event.data.deadlineAt,
      };
    case 'PaymentCompleted':
      return { ...state, status: 'COMPLETED', completedAt: event.data.completedAt };
    case 'PaymentFailed':
      return { ...state, status: 'FAILED', reason: event.data.reason, failedAt: event.data.failedAt };
    case 'RefundRequested':
      return { ...state, status: 'REFUNDING', refundReason: event.data.reason };
    case 'PaymentRefunded':
      return { ...state, status: 'REFUNDED', refundReason: event.data.reason, refundedAt: event.data.refundedAt };
  }
}

export const payment: Aggregate<PaymentState, PaymentCommand, PaymentEvent> = {
  category: 'payment',
  initialState,
  decide,
  evolve,
};
