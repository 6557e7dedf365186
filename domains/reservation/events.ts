import type { DomainEvent } from '../../bus/decider.js';
import type { PaymentRef } from '../payment/events.js';

/** The events of one seat (stream `seat-{scheduleId}_{seatNo}`): its holds, reservation and release. */

/** Why the seat refused a payment; the payment fails with the same reason. */
export type SeatRejectionReason = 'HOLD_EXPIRED' | 'NOT_HOLDER' | 'ALREADY_RESERVED';

export type SeatHeld = DomainEvent<
  'SeatHeld',
  {
    reservationId: string;
    scheduleId: string;
    seatNo: number;
    userId: string;
    price: number;
    heldAt: string;
    expiresAt: string;
  }
>;

export type SeatHoldExpired = DomainEvent<
  'SeatHoldExpired',
  { reservationId: string; scheduleId: string; seatNo: number; userId: string; expiredAt: string }
>;

export type SeatReserved = DomainEvent<'SeatReserved', PaymentRef & { reservedAt: string }>;

export type SeatReservationRejected = DomainEvent<'SeatReservationRejected', PaymentRef & { reason: SeatRejectionReason }>;

/** The compensation: the reserved seat is given back because its payment failed (`reason` says which failure). */
export type SeatReleased = DomainEvent<'SeatReleased', PaymentRef & { reason: string; releasedAt: string }>;

export type SeatEvent = SeatHeld | SeatHoldExpired | SeatReserved | SeatReservationRejected | SeatReleased;

export const reservationEventTypes = [
  'SeatHeld',
  'SeatHoldExpired',
  'SeatReserved',
  'SeatReservationRejected',
  'SeatReleased',
] as const satisfies readonly SeatEvent['type'][];
