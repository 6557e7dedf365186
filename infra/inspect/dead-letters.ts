import type { EventStore, Position } from '../eventstore/port.js';
import { handleCommand } from '../../bus/command.js';
import {
  delivery,
  deliveryStream,
  type CancellationDelivery,
  type CancellationStatus,
  type Delivery,
  type DeliveryState,
} from '../../domains/dataplatform/delivery.js';
import type { DeliveryEvent } from '../../domains/dataplatform/events.js';
import { allEvents } from './all-events.js';

/**
 * Messages the data platform refused for good: reservations, and
 * cancellations (marked `kind: 'cancellation'`; a reservation's letter reads
 * as it always did). Read from the delivery streams themselves rather than a
 * read model, so the list is right even when no API process is running to
 * keep a model current.
 */

export type DeadLetter = (ReservationLetter | (CancellationDelivery & { kind: 'cancellation' })) & { deadLetteredAt: string };

type ReservationLetter = Delivery & {
  kind?: undefined;
  /**
   * Only once the payment is refunded: its cancellation's status. Past
   * WAITING, the reservation can no longer be redriven (it would reach the
   * data platform after its own cancellation).
   */
  cancellationStatus?: CancellationStatus;
};

/** The status of the cancellation that keeps a reservation's letter from being redriven; undefined when a redrive would be accepted. */
export function blockingCancellation(letter: DeadLetter): CancellationStatus | undefined {
  if (letter.kind === 'cancellation' || letter.cancellationStatus === 'WAITING') return undefined;
  return letter.cancellationStatus;
}

export async function deadLetters(store: EventStore): Promise<DeadLetter[]> {
  const streams = new Map<string, { state: DeliveryState; reservationAt: string; cancellationAt: string }>();
  for await (const event of allEvents(store, { streamPrefixes: [`${delivery.category}-`] })) {
    const entry = streams.get(event.streamId) ?? { state: delivery.initialState(), reservationAt: '', cancellationAt: '' };
    const domainEvent = { type: event.type, data: event.data } as DeliveryEvent;
    entry.state = delivery.evolve(entry.state, domainEvent);
    if (domainEvent.type === 'DeliveryDeadLettered') {
      if (domainEvent.data.kind === 'cancellation') entry.cancellationAt = domainEvent.data.deadLetteredAt;
      else entry.reservationAt = domainEvent.data.deadLetteredAt;
    }
    streams.set(event.streamId, entry);
  }
  return [...streams.values()].flatMap(({ state, reservationAt, cancellationAt }): DeadLetter[] => [
    ...(state.delivery?.status === 'DEAD_LETTERED'
      ? [{ ...state.delivery, ...(state.cancellation ? { cancellationStatus: state.cancellation.status } : {}), deadLetteredAt: reservationAt }]
      : []),
    ...(state.cancellation?.status === 'DEAD_LETTERED' ? [{ ...state.cancellation, kind: 'cancellation' as const, deadLetteredAt: cancellationAt }] : []),
  ]);
}

export interface DeliveryRedrive {
  paymentId: string;
  /** Present when it was the payment's cancellation that was redriven. */
  kind?: 'cancellation';
  /** Null when nothing was appended (never, for a redrive the decider accepts). */
  position: Position | null;
  dueAt: string;
}

/**
 * Takes a payment's dead letter back for a fresh round of attempts, due now;
 * the running dataplatform service sends it. The decider picks which message
 * (a dead-lettered cancellation, else the reservation) and refuses anything
 * not dead-lettered, so a second redrive is a clear error, not a second
 * round, and a reservation whose cancellation is under way stays dead.
 * `by` says who asked, in the event's metadata.
 */
export async function redriveDelivery(store: EventStore, paymentId: string, now: Date, by: string): Promise<DeliveryRedrive> {
  const dueAt = now.toISOString();
  const result = await handleCommand(store, delivery, deliveryStream(paymentId), { type: 'Redrive', data: { now: dueAt } }, {
    metadata: { correlationId: paymentId, by },
  });
  const redriven = result.events.find((event) => event.type === 'DeliveryRedriven');
  return { paymentId, ...(redriven?.data.kind === 'cancellation' ? { kind: redriven.data.kind } : {}), position: result.position, dueAt };
}
