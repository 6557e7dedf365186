import type { Doc } from '../infra/readstore/port.js';
import { isEvent } from '../bus/decider.js';
import type { Projection } from '../bus/projection.js';
import type { SeatEvent } from '../domains/reservation/events.js';

export interface SeatDoc extends Doc {
  scheduleId: string;
  seatNo: number;
  status: 'HELD' | 'RESERVED';
  reservationId: string;
  userId: string;
  expiresAt: string;
  paymentId: string | null;
}

export const seatDocId = (scheduleId: string, seatNo: number) => `${scheduleId}_${seatNo}`;

/**
 * The seats that are taken. An AVAILABLE seat has no document (most seats
 * never have one): the seat map fills 1..seatCount and overlays these.
 */
export const seats: Projection<SeatDoc> = {
  name: 'seats',
  collection: { name: 'seats', indexes: ['scheduleId'] },
  eventTypes: ['SeatHeld', 'SeatHoldExpired', 'SeatHoldReleased', 'SeatReserved', 'SeatReleased'],
  ids: (event) => {
    const { scheduleId, seatNo } = event.data as { scheduleId: string; seatNo: number };
    return [seatDocId(scheduleId, seatNo)];
  },
  evolve(doc, event, id) {
    if (isEvent<SeatEvent, 'SeatHeld'>(event, 'SeatHeld')) {
      const { scheduleId, seatNo, reservationId, userId, expiresAt } = event.data;
      return { id, scheduleId, seatNo, status: 'HELD', reservationId, userId, expiresAt, paymentId: null };
    }
    if (!doc) return null;
    if (isEvent<SeatEvent, 'SeatReserved'>(event, 'SeatReserved')) {
      return doc.reservationId === event.data.reservationId ? { ...doc, status: 'RESERVED', paymentId: event.data.paymentId } : doc;
    }
    if (isEvent<SeatEvent, 'SeatHoldExpired'>(event, 'SeatHoldExpired') || isEvent<SeatEvent, 'SeatHoldReleased'>(event, 'SeatHoldReleased')) {
      return doc.reservationId === event.data.reservationId ? null : doc;
    }
    if (isEvent<SeatEvent, 'SeatReleased'>(event, 'SeatReleased')) {
      return doc.paymentId === event.data.paymentId ? null : doc;
    }
    return doc;
  },
};
