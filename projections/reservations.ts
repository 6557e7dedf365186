import type { Doc } from '../infra/readstore/port.js';
import { isEvent } from '../bus/decider.js';
import type { Projection } from '../bus/projection.js';
import type { SeatEvent } from '../domains/reservation/events.js';
import type { PaymentEvent } from '../domains/payment/events.js';

export type ReservationStatus = 'HELD' | 'RESERVED' | 'EXPIRED' | 'RELEASED';

export interface ReservationDoc extends Doc {
  reservationId: string;
  scheduleId: string;
  seatNo: number;
  price: number;
  userId: string;
  status: ReservationStatus;
  heldAt: string;
  expiresAt: string;
  /** Set as soon as a payment is requested for it, so a client can follow the saga from here. */
  paymentId: string | null;
  reservedAt: string | null;
  expiredAt: string | null;
  releasedAt: string | null;
}

/** One hold of one seat and what became of it: GET /reservations/:id, and the payment route's lookup. */
export const reservations: Projection<ReservationDoc> = {
  name: 'reservations',
  collection: { name: 'reservations', indexes: ['userId', 'scheduleId'] },
  eventTypes: ['SeatHeld', 'SeatHoldExpired', 'PaymentRequested', 'SeatReserved', 'SeatReleased'],
  ids: (event) => [(event.data as { reservationId: string }).reservationId],
  evolve(doc, event) {
    if (isEvent<SeatEvent, 'SeatHeld'>(event, 'SeatHeld')) {
      const { reservationId, scheduleId, seatNo, price, userId, heldAt, expiresAt } = event.data;
      return {
        id: reservationId,
        reservationId,
        scheduleId,
        seatNo,
        price,
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
      return { ...doc, status: 'RESERVED', paymentId: event.data.paymentId, reservedAt: event.data.reservedAt };
    }
    if (isEvent<SeatEvent, 'SeatHoldExpired'>(event, 'SeatHoldExpired')) {
      return { ...doc, status: 'EXPIRED', expiredAt: event.data.expiredAt };
    }
    if (isEvent<SeatEvent, 'SeatReleased'>(event, 'SeatReleased')) {
      return { ...doc, status: 'RELEASED', releasedAt: event.data.releasedAt };
    }
    return doc;
  },
};
