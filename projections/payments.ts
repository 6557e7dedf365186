import type { Doc } from '../infra/readstore/port.js';
import { isEvent } from '../bus/decider.js';
import type { Projection } from '../bus/projection.js';
import type { PaymentEvent, PaymentFailureReason, PaymentRef } from '../domains/payment/events.js';

/** A refund under way is the payment service's own business: readers see COMPLETED until it is REFUNDED. */
export type PaymentDocStatus = 'PENDING' | 'COMPLETED' | 'FAILED' | 'REFUNDED';

export interface PaymentDoc extends Doc, PaymentRef {
  status: PaymentDocStatus;
  reason: PaymentFailureReason | null;
  requestedAt: string;
  deadlineAt: string;
  completedAt: string | null;
  failedAt: string | null;
  /** Once REFUNDED (absent on documents of payments never refunded). */
  refundedAt?: string;
}

/** Payments and how they ended: GET /payments/:id (and its long poll). */
export const payments: Projection<PaymentDoc> = {
  name: 'payments',
  collection: { name: 'payments', indexes: ['userId', 'reservationId', 'status'] },
  eventTypes: ['PaymentRequested', 'PaymentCompleted', 'PaymentFailed', 'PaymentRefunded'],
  ids: (event) => [(event.data as { paymentId: string }).paymentId],
  evolve(doc, event) {
    if (isEvent<PaymentEvent, 'PaymentRequested'>(event, 'PaymentRequested')) {
      if (doc) return doc;
      const { paymentId, reservationId, userId, concertId, scheduleId, seatNo, amount, requestedAt, deadlineAt } = event.data;
      return {
        id: paymentId,
        paymentId,
        reservationId,
        userId,
        concertId,
        scheduleId,
        seatNo,
        amount,
        status: 'PENDING',
        reason: null,
        requestedAt,
        deadlineAt,
        completedAt: null,
        failedAt: null,
      };
    }
    if (isEvent<PaymentEvent, 'PaymentRefunded'>(event, 'PaymentRefunded')) {
      return doc && doc.status === 'COMPLETED' ? { ...doc, status: 'REFUNDED', refundedAt: event.data.refundedAt } : doc;
    }
    // The payment aggregate ends a payment once; the first ending is the answer.
    if (!doc || doc.status !== 'PENDING') return doc;
    if (isEvent<PaymentEvent, 'PaymentCompleted'>(event, 'PaymentCompleted')) {
      return { ...doc, status: 'COMPLETED', completedAt: event.data.completedAt };
    }
    if (isEvent<PaymentEvent, 'PaymentFailed'>(event, 'PaymentFailed')) {
      return { ...doc, status: 'FAILED', reason: event.data.reason, failedAt: event.data.failedAt };
    }
    return doc;
  },
};
