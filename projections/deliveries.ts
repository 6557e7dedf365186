import type { Doc } from '../infra/readstore/port.js';
import { isEvent } from '../bus/decider.js';
import type { Projection } from '../bus/projection.js';
import type { DeliveryEvent } from '../domains/dataplatform/events.js';
import type { DeliveryStatus } from '../domains/dataplatform/delivery.js';

export interface DeliveryDoc extends Doc {
  paymentId: string;
  status: DeliveryStatus;
  /** Attempts in the current round (a redrive starts a new one). */
  attempts: number;
  /** When the next attempt is due, while PENDING. */
  dueAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  scheduledAt: string;
  deliveredAt: string | null;
  deadLetteredAt: string | null;
  redrives: number;
}

/** Deliveries to the data platform; the dead letters are those with status DEAD_LETTERED. */
export const deliveries: Projection<DeliveryDoc> = {
  name: 'deliveries',
  collection: { name: 'deliveries', indexes: ['status'] },
  eventTypes: ['DeliveryScheduled', 'DeliveryAttemptFailed', 'DeliverySucceeded', 'DeliveryDeadLettered', 'DeliveryRedriven'],
  ids: (event) => [(event.data as { paymentId: string }).paymentId],
  evolve(doc, event) {
    if (isEvent<DeliveryEvent, 'DeliveryScheduled'>(event, 'DeliveryScheduled')) {
      if (doc) return doc;
      const { paymentId, dueAt } = event.data;
      return {
        id: paymentId,
        paymentId,
        status: 'PENDING',
        attempts: 0,
        dueAt,
        lastStatus: null,
        lastError: null,
        scheduledAt: dueAt,
        deliveredAt: null,
        deadLetteredAt: null,
        redrives: 0,
      };
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
