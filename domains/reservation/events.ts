import type { DomainEvent } from '../../bus/decider.js';
import type { PaymentRef } from '../payment/events.js';

/** The events of one seat (stream `seat-{scheduleId}_{seatNo}`): its holds, reservation and release. */

/** Why the seat refused a payment; the payment fails with the same reason. */
export type SeatRejectionReason = 'HOLD_EXPIRED' | 'NOT_HOLDER' | 'ALREADY_RESERVED' | 'SCHEDULE_CANCELLED';

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
    /** Every seat of the reservation, ascending, when it has more than one; they share one fate. */
    seatNos?: number[];
  }
>;

export type SeatHoldExpired = DomainEvent<
  'SeatHoldExpired',
  { reservationId: string; scheduleId: string; seatNo: number; userId: string; expiredAt: string }
>;

/** On a several-seat reservation it carries the payment's requestedAt, by which the next seat is judged. */
export type SeatReserved = DomainEvent<'SeatReserved', PaymentRef & { reservedAt: string; requestedAt?: string }>;

export type SeatReservationRejected = DomainEvent<'SeatReservationRejected', PaymentRef & { reason: SeatRejectionReason }>;

/**
 * The reserved seat is given back: its payment failed (the compensation;
 * `reason` says which failure), or, with `refund`, its completed payment is
 * being refunded (`reason` says who asked). The flag, not the reason, tells
 * the two apart: SCHEDULE_CANCELLED is both a failure and a refund reason.
 * `withdrawn` when its schedule was cancelled: the seat is free but never sold again.
 */
export type SeatReleased = DomainEvent<'SeatReleased', PaymentRef & { reason: string; releasedAt: string; refund?: true; withdrawn?: true }>;

/**
 * The schedule was cancelled: the seat takes no hold and no payment from now
 * on. `paymentId` when it was RESERVED, so that the payment service refunds
 * (or fails) that payment; the seat stays RESERVED until that undoes it.
 */
export type SeatWithdrawn = DomainEvent<'SeatWithdrawn', { scheduleId: string; seatNo: number; withdrawnAt: string; paymentId?: string }>;

/**
 * A hold given up before any payment: the rest of its reservation could not be
 * held (ABANDONED), or its user cancelled it.
 */
export type SeatHoldReleased = DomainEvent<
  'SeatHoldReleased',
  { reservationId: string; scheduleId: string; seatNo: number; userId: string; reason: string; releasedAt: string }
>;

/**
 * A reservation that claimed this seat but never held it (its request stopped
 * halfway, or gave up) never will: a late hold for it is refused, and the
 * user's claim on the seat is returned.
 */
export type SeatHoldVoided = DomainEvent<
  'SeatHoldVoided',
  { reservationId: string; scheduleId: string; seatNo: number; userId: string; voidedAt: string }
>;

/**
 * A several-seat payment failed before its confirmation reached this seat:
 * recorded so that the confirmation, still on its way along the seats, never
 * reserves this one for a dead payment (as DebitVoided does for points).
 */
export type SeatReservationVoided = DomainEvent<'SeatReservationVoided', PaymentRef & { reason: string; voidedAt: string }>;

export type SeatEvent =
  | SeatReservationVoided
  | SeatHeld
  | SeatHoldExpired
  | SeatReserved
  | SeatReservationRejected
  | SeatReleased
  | SeatHoldReleased
  | SeatHoldVoided
  | SeatWithdrawn;

export const reservationEventTypes = [
  'SeatHeld',
  'SeatHoldExpired',
  'SeatReserved',
  'SeatReservationRejected',
  'SeatReleased',
  'SeatHoldReleased',
  'SeatHoldVoided',
  'SeatReservationVoided',
  'SeatWithdrawn',
] as const satisfies readonly SeatEvent['type'][];

/**
 * The seats one user has of one schedule (stream `holdings-{scheduleId}_{userId}`):
 * claimed before they are held, returned once they are free again, so that
 * the count never falls below what the seat streams say the user has.
 */
export type SeatsClaimed = DomainEvent<
  'SeatsClaimed',
  { reservationId: string; scheduleId: string; userId: string; seatNos: number[]; claimedAt: string; expiresAt: string }
>;

/** A claimed seat is free again (its hold expired, was given up or voided, or its payment was undone). */
export type SeatReturned = DomainEvent<
  'SeatReturned',
  { reservationId: string; scheduleId: string; userId: string; seatNo: number; reason: string; returnedAt: string }
>;

export type HoldingsEvent = SeatsClaimed | SeatReturned;

export const holdingsEventTypes = ['SeatsClaimed', 'SeatReturned'] as const satisfies readonly HoldingsEvent['type'][];
