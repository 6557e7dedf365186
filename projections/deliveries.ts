import type { Doc } from '../infra/readstore/port.js';
import { isEvent } from '../bus/decider.js';
import type { Projection } from '../bus/projection.js';
import { messageKey, type DeliveryEvent, type KindOf } from '../domains/dataplatform/events.js';
import type { CancellationStatus } from '../domains/dataplatform/delivery.js';

export interface DeliveryDoc extends Doc {
  paymentId: string;
  /** Absent for the reservation (whose id is its paymentId); `cancellation` for its cancellation (id `cancel-<paymentId>`). */
  kind?: 'cancellation';
  /** WAITING only for a cancellation whose reservation is still on its way. */
  status: CancellationStatus;
  /** Attempts in the current round (a redrive starts a new one). */
  attempts: number;
  /** When the next attempt is due, while PENDING. */
  dueAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  /** When it was first scheduled (a cancellation: when the payment was refunded, even if it had to wait). */
  scheduledAt: string;
  deliveredAt: string | null;
  deadLetteredAt: string | null;
  redrives: number;
}

function created(paymentId: string, kind: KindOf, status: CancellationStatus, scheduledAt: string, dueAt: string | null): DeliveryDoc {
  return {
    id: messageKey(kind.kind, paymentId),
    paymentId,
    ...kind,
    status,
    attempts: 0,
    dueAt,
    lastStatus: null,
    lastError: null,
    scheduledAt,
    deliveredAt: null,
    deadLetteredAt: null,
    redrives: 0,
  };
}

/**
 * Deliveries to the data platform, one document per message: a payment's
 * reservation, and its cancellation once refunded. The dead letters are
 * those with status DEAD_LETTERED.
 */
export const deliveries: Projection<DeliveryDoc> = {
  name: 'deliveries',
  collection: { name: 'deliveries', indexes: ['status'] },
  eventTypes: ['DeliveryScheduled', 'DeliveryAttemptFailed', 'DeliverySucceeded', 'DeliveryDeadLettered', 'DeliveryRedriven', 'CancellationDeferred'],
  ids: (event) => {
    const { paymentId, kind } = event.data as { paymentId: string; kind?: 'cancellation' };
    return [messageKey(event.type === 'CancellationDeferred' ? 'cancellation' : kind, paymentId)];
  },
  evolve(doc, event) {
    if (isEvent<DeliveryEvent, 'CancellationDeferred'>(event, 'CancellationDeferred')) {
      if (doc) return doc;
      const { paymentId, deferredAt } = event.data;
      return created(paymentId, { kind: 'cancellation' }, 'WAITING', deferredAt, null);
    }
    if (isEvent<DeliveryEvent, 'DeliveryScheduled'>(event, 'DeliveryScheduled')) {
      const { paymentId, dueAt } = event.data;
      // A waiting cancellation becomes due: the one later DeliveryScheduled a document takes.
      if (doc?.status === 'WAITING') return { ...doc, status: 'PENDING', dueAt };
      if (doc) return doc;
      return created(paymentId, event.data.kind === 'cancellation' ? { kind: 'cancellation' } : {}, 'PENDING', dueAt, dueAt);
    }
    if (!doc) return null;
    if (isEvent<DeliveryEvent, 'DeliveryAttemptFailed'>(event, 'DeliveryAttemptFailed')) {
      const { attempt, status, error, retryAt } = event.data;
      return { ...doc, attempts: attempt, dueAt: retryAt, lastStatus: status, lastError: error };
    }
    if (isEvent<DeliveryEvent, 'DeliverySucceeded'>(event, 'DeliverySucceeded')) {
      const { attempt, status, deliveredAt } = event.data;
      return { ...doc, status: 'SUCCEEDED', attempts: attempt, dueAt: null, lastStatus: status, lastError: null, deliveredAt };
    }
    if (isEvent<DeliveryEvent, 'DeliveryDeadLettered'>(event, 'DeliveryDeadLettered')) {
      const { attempts, status, error, deadLetteredAt } = event.data;
      return { ...doc, status: 'DEAD_LETTERED', attempts, dueAt: null, lastStatus: status, lastError: error, deadLetteredAt };
    }
    if (isEvent<DeliveryEvent, 'DeliveryRedriven'>(event, 'DeliveryRedriven')) {
      return { ...doc, status: 'PENDING', attempts: 0, dueAt: event.data.dueAt, redrives: doc.redrives + 1 };
    }
    return doc;
  },
};
