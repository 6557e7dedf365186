import type { EventStore, Position } from '../../infra/eventstore/port.js';

/**
 * What a fault benchmark needs to know about the sagas, folded from the event
 * store itself (never from a read model, which could be the thing that is
 * wrong): every payment and how it ended, the holds and charges that exist,
 * and every delivery attempt with its times. Folds incrementally, so it can be
 * polled while the system runs.
 */

export interface PaymentFacts {
  userId: string;
  status: 'PENDING' | 'COMPLETED' | 'FAILED';
  reason: string | undefined;
  /** Store times (ms): when PaymentRequested was appended, and the ending. */
  requestedAt: number;
  deadlineAt: number;
  endedAt: number | undefined;
}

export interface FailedAttempt {
  attempt: number;
  /** HTTP status, or null for no answer (timeout, refused). */
  status: number | null;
  error: string;
  /** When DeliveryAttemptFailed was appended (ms). */
  recordedAt: number;
  /** The retryAt it set (ms). */
  retryAt: number;
}

export interface DeliveryFacts {
  status: 'PENDING' | 'SUCCEEDED' | 'DEAD_LETTERED';
  scheduledAt: number;
  failures: FailedAttempt[];
  /** Attempts in the round that ended it. */
  attempts: number;
  endedAt: number | undefined;
}

interface PaymentData {
  paymentId: string;
  userId?: string;
  deadlineAt?: string;
  reason?: string;
}

export class SagaTally {
  readonly payments = new Map<string, PaymentFacts>();
  readonly deliveries = new Map<string, DeliveryFacts>();
  /** Reservation ids of every SeatHeld. */
  readonly holds = new Set<string>();
  /** Charge ids of every PointsCharged. */
  readonly charges = new Set<string>();
  /** Reactions and timers parked an event they could not handle. */
  parked = 0;
  events = 0;
  private after: Position | undefined;

  /** Folds everything appended since the last call; returns how many events that was. */
  async catchUp(store: EventStore): Promise<number> {
    let read = 0;
    for (;;) {
      const page = await store.readAll(this.after === undefined ? { maxCount: 5_000 } : { after: this.after, maxCount: 5_000 });
      for (const event of page) this.fold(event.type, event.data, event.created.getTime());
      read += page.length;
      if (page.length > 0) this.after = page.at(-1)!.position;
      if (page.length < 5_000) break;
    }
    this.events += read;
    return read;
  }

  get position(): Position | undefined {
    return this.after;
  }

  private fold(type: string, raw: unknown, at: number): void {
    // The deliveries tallied are the reservations': a refunded payment's cancellation is a message of its own.
    if (type.startsWith('Delivery') && (raw as { kind?: string }).kind !== undefined) return;
    switch (type) {
      case 'PaymentRequested': {
        const data = raw as PaymentData;
        this.payments.set(data.paymentId, {
          userId: data.userId ?? '',
          status: 'PENDING',
          reason: undefined,
          requestedAt: at,
          deadlineAt: Date.parse(data.deadlineAt ?? ''),
          endedAt: undefined,
        });
        return;
      }
      case 'PaymentCompleted':
      case 'PaymentFailed': {
        const data = raw as PaymentData;
        const payment = this.payments.get(data.paymentId);
        if (!payment || payment.status !== 'PENDING') return;
        payment.status = type === 'PaymentCompleted' ? 'COMPLETED' : 'FAILED';
        payment.reason = data.reason;
        payment.endedAt = at;
        return;
      }
      case 'SeatHeld':
        this.holds.add((raw as { reservationId: string }).reservationId);
        return;
      case 'PointsCharged':
        this.charges.add((raw as { chargeId: string }).chargeId);
        return;
      case 'EventParked':
        this.parked++;
        return;
      case 'DeliveryScheduled':
      case 'DeliveryRedriven': {
        const { paymentId } = raw as { paymentId: string };
        const known = this.deliveries.get(paymentId);
        this.deliveries.set(paymentId, {
          status: 'PENDING',
          scheduledAt: known?.scheduledAt ?? at,
          failures: known?.failures ?? [],
          attempts: 0,
          endedAt: undefined,
        });
        return;
      }
      case 'DeliveryAttemptFailed': {
        const data = raw as { paymentId: string; attempt: number; status: number | null; error: string; retryAt: string };
        const delivery = this.deliveries.get(data.paymentId);
        if (!delivery) return;
        delivery.attempts = data.attempt;
        delivery.failures.push({ attempt: data.attempt, status: data.status, error: data.error, recordedAt: at, retryAt: Date.parse(data.retryAt) });
        return;
      }
      case 'DeliverySucceeded':
      case 'DeliveryDeadLettered': {
        const data = raw as { paymentId: string; attempt?: number; attempts?: number };
        const delivery = this.deliveries.get(data.paymentId);
        if (!delivery) return;
        delivery.status = type === 'DeliverySucceeded' ? 'SUCCEEDED' : 'DEAD_LETTERED';
        delivery.attempts = data.attempt ?? data.attempts ?? delivery.attempts;
        delivery.endedAt = at;
        return;
      }
    }
  }

  pendingPayments(): number {
    let pending = 0;
    for (const payment of this.payments.values()) if (payment.status === 'PENDING') pending++;
    return pending;
  }

  /** Completed payments whose delivery has not ended (never scheduled counts too). */
  pendingDeliveries(): number {
    let pending = 0;
    for (const [paymentId, payment] of this.payments) {
      if (payment.status !== 'COMPLETED') continue;
      const delivery = this.deliveries.get(paymentId);
      if (!delivery || delivery.status === 'PENDING') pending++;
    }
    return pending;
  }
}
