import type { EventStore, Position } from '../../infra/eventstore/port.js';
import { handleCommand, load } from '../../bus/command.js';
import { Rejection } from '../../bus/decider.js';
import { payment, paymentIdFor, paymentStream } from '../payment/payment.js';
import { holdings, holdingsStream } from './holdings.js';
import { seat, seatStream, type SeatState } from './seat.js';

/** The reservation as the read model has it: enough to find its seats and its payment. */
export interface ReservationToCancel {
  reservationId: string;
  scheduleId: string;
  userId: string;
  seatNos: readonly number[];
}

export type CancelOutcome =
  | { status: 'RELEASED'; position: Position | null }
  | { status: 'CANCELLING'; paymentId: string; position: Position | null };

const later = (a: Position | null, b: Position | null) => (a === null ? b : b === null ? a : a > b ? a : b);

/**
 * Its user cancels a reservation. A hold with no payment is released on every
 * seat at once; once a payment exists, the payment decides: a completed one
 * is refunded through the saga (the seats, then the points, then the payment),
 * before `cutoffAt`; a pending or failed one is refused (the decider's
 * Rejection: PAYMENT_IN_PROGRESS, NOT_CANCELLABLE, CANCELLATION_CLOSED).
 * Asking again decides nothing new and answers the same.
 */
export async function cancelReservation(
  store: EventStore,
  reservation: ReservationToCancel,
  now: Date,
  cutoffAt: () => Promise<Date>,
): Promise<CancelOutcome> {
  const { reservationId } = reservation;
  const paymentId = paymentIdFor(reservationId);
  const metadata = { correlationId: paymentId };
  const existing = await load(store, payment, paymentStream(paymentId));
  if (existing.state.status === 'NONE') return releaseHold(store, reservation, now);
  const refund = await handleCommand(store, payment, paymentStream(paymentId), {
    type: 'RequestRefund',
    data: { reason: 'USER', now: now.toISOString(), cutoffAt: (await cutoffAt()).toISOString() },
  }, { metadata, service: 'payment' });
  return { status: 'CANCELLING', paymentId, position: refund.position };
}

/**
 * The hold given up on every seat, as hold-seat.ts gives up an abandoned one.
 * A seat its payment reserved first (paid for while this ran) or whose hold
 * expired first was not released: the answer says so instead.
 */
async function releaseHold(store: EventStore, reservation: ReservationToCancel, now: Date): Promise<CancelOutcome> {
  const { reservationId, scheduleId, userId, seatNos } = reservation;
  const at = now.toISOString();
  const metadata = { correlationId: paymentIdFor(reservationId) };
  let position: Position | null = null;
  const states: SeatState[] = [];
  for (const seatNo of seatNos) {
    const released = await handleCommand(store, seat, seatStream(scheduleId, seatNo), {
      type: 'ReleaseHold',
      data: { reservationId, scheduleId, seatNo, userId, reason: 'USER', now: at },
    }, { metadata, service: 'reservation' });
    position = later(position, released.position);
    states.push(released.state);
  }
  // At once, not only by the reaction to the releases: the user may hold other seats straight away. A seat still theirs stays counted.
  const freed = seatNos.filter((_, i) => states[i]!.holder?.reservationId !== reservationId);
  const returned = await handleCommand(store, holdings, holdingsStream(scheduleId, userId), {
    type: 'ReturnSeats',
    data: { reservationId, scheduleId, userId, seatNos: freed, reason: 'USER', now: at },
  }, { metadata, service: 'reservation' });
  position = later(position, returned.position);
  if (states.some((state) => state.status === 'RESERVED' && state.holder?.reservationId === reservationId)) {
    throw new Rejection('conflict', 'PAYMENT_IN_PROGRESS', `reservation ${reservationId} is being paid for`);
  }
  if (states.some((state) => state.expired.includes(reservationId))) {
    throw new Rejection('conflict', 'NOT_CANCELLABLE', `reservation ${reservationId} has expired`);
  }
  return { status: 'RELEASED', position };
}
