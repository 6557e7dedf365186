import type { Doc } from '../infra/readstore/port.js';
import { isEvent } from '../bus/decider.js';
import type { Projection } from '../bus/projection.js';
import type { SeatEvent } from '../domains/reservation/events.js';
import type { PaymentEvent } from '../domains/payment/events.js';
import { seatsOf } from '../domains/payment/ref.js';

/** CANCELLING: its payment's refund is under way (its seats are being released); CANCELLED: refunded. */
export type ReservationStatus = 'HELD' | 'RESERVED' | 'EXPIRED' | 'RELEASED' | 'CANCELLING' | 'CANCELLED';

export interface ReservationDoc extends Doc {
  reservationId: string;
  scheduleId: string;
  /** The first seat. */
  seatNo: number;
  /** Every seat, ascending; absent on documents written before reservations had several. */
  seatNos?: number[];
  /** Per seat. */
  price: number;
  /** price × seats: what its payment debits. */
  amount?: number;
  userId: string;
  status: ReservationStatus;
  heldAt: string;
  expiresAt: string;
  /** Set as soon as a payment is requested for it, so a client can follow the saga from here. */
  paymentId: string | null;
  reservedAt: string | null;
  expiredAt: string | null;
  releasedAt: string | null;
  /**
   * Why it was RELEASED: USER when its user cancelled the hold (a repeated
   * cancel answers as the first did), else what gave it up or failed it.
   */
  releaseReason?: string;
  /** When its paid reservation was cancelled (the refund asked for), and when the refund was done. */
  cancelRequestedAt?: string;
  cancelledAt?: string;
}

/** One hold of one seat and what became of it: GET /reservations/:id, and the payment route's lookup. */
export const reservations: Projection<ReservationDoc> = {
  name: 'reservations',
  collection: { name: 'reservations', indexes: ['userId', 'scheduleId'] },
  eventTypes: ['SeatHeld', 'SeatHoldExpired', 'SeatHoldReleased', 'PaymentRequested', 'SeatReserved', 'SeatReleased', 'RefundRequested', 'PaymentRefunded'],
  ids: (event) => [(event.data as { reservationId: string }).reservationId],
  evolve(doc, event) {
    if (isEvent<SeatEvent, 'SeatHeld'>(event, 'SeatHeld')) {
      const { reservationId, scheduleId, price, userId, heldAt, expiresAt } = event.data;
      // A later seat of the same reservation: the document already says it all.
      if (doc && doc.status === 'HELD') return doc;
      const seatNos = seatsOf(event.data);
      const seatNo = seatNos[0]!;
      return {
        id: reservationId,
        reservationId,
        scheduleId,
        seatNo,
        seatNos,
        price,
        amount: price * seatNos.length,
        userId,
        status: 'HELD',
        heldAt,
        expiresAt,
        paymentId: doc?.paymentId ?? null,
        reservedAt: null,
        expiredAt: null,
        releasedAt: null,
      };
    }
    if (!doc) return null;
    if (isEvent<PaymentEvent, 'PaymentRequested'>(event, 'PaymentRequested')) return { ...doc, paymentId: event.data.paymentId };
    if (isEvent<SeatEvent, 'SeatReserved'>(event, 'SeatReserved')) {
      // Reserved once its last seat is: the seats are confirmed in order.
      if (event.data.seatNo !== seatsOf(event.data).at(-1)) return { ...doc, paymentId: event.data.paymentId };
      return { ...doc, status: 'RESERVED', paymentId: event.data.paymentId, reservedAt: event.data.reservedAt };
    }
    if (isEvent<PaymentEvent, 'RefundRequested'>(event, 'RefundRequested')) {
      return doc.status === 'RESERVED' ? { ...doc, status: 'CANCELLING', cancelRequestedAt: event.data.refundRequestedAt } : doc;
    }
    if (isEvent<PaymentEvent, 'PaymentRefunded'>(event, 'PaymentRefunded')) {
      return { ...doc, status: 'CANCELLED', cancelledAt: event.data.refundedAt };
    }
    // A refund's seats are released on the way to CANCELLED; the reservation says so by its payment's events.
    if (isEvent<SeatEvent, 'SeatReleased'>(event, 'SeatReleased') && event.data.refund) return doc;
    // The first seat to end ends the reservation; its other seats follow.
    if (doc.status === 'EXPIRED' || doc.status === 'RELEASED') return doc;
    if (isEvent<SeatEvent, 'SeatHoldExpired'>(event, 'SeatHoldExpired')) {
      return { ...doc, status: 'EXPIRED', expiredAt: event.data.expiredAt };
    }
    if (isEvent<SeatEvent, 'SeatHoldReleased'>(event, 'SeatHoldReleased') || isEvent<SeatEvent, 'SeatReleased'>(event, 'SeatReleased')) {
      return { ...doc, status: 'RELEASED', releasedAt: event.data.releasedAt, releaseReason: event.data.reason };
    }
    return doc;
  },
};
