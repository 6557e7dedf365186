import type { PaymentRef } from '../payment/events.js';

/** A user asks for a seat; the route mints the reservation id and reads the clock. */
export interface HoldSeat {
  type: 'HoldSeat';
  data: {
    reservationId: string;
    scheduleId: string;
    seatNo: number;
    userId: string;
    price: number;
    now: string;
    ttlMs: number;
    /** Every seat of the reservation when it has more than one. */
    seatNos?: number[];
  };
}

/**
 * The hold timer fired. With `claimed` (the seat the reservation claimed), a
 * reservation that never held the seat is voided on it, so that a request
 * stopped halfway leaves no seat of it behind.
 */
export interface ExpireHold {
  type: 'ExpireHold';
  data: { reservationId: string; now: string; claimed?: { scheduleId: string; seatNo: number; userId: string; expiresAt: string } };
}

/**
 * The reservation gives up this seat before paying: its hold here is released,
 * or, if it never held the seat, voided (the same `claimed` seat as above).
 */
export interface ReleaseHold {
  type: 'ReleaseHold';
  data: { reservationId: string; scheduleId: string; seatNo: number; userId: string; reason: string; now: string };
}

/** A payment was requested: reserve the seat if the hold still stands at `requestedAt`. */
export interface ConfirmSeat {
  type: 'ConfirmSeat';
  data: PaymentRef & { requestedAt: string; now: string };
}

/** The payment failed: give back the seat it reserved (the compensation); or, with `refund`, it is being refunded. */
export interface ReleaseSeat {
  type: 'ReleaseSeat';
  data: PaymentRef & { reason: string; now: string; refund?: true };
}

/** The schedule was cancelled: the seat leaves the sale for good (its hold released, its payment told). */
export interface WithdrawSeat {
  type: 'WithdrawSeat';
  data: { scheduleId: string; seatNo: number; now: string };
}

export type SeatCommand = HoldSeat | ExpireHold | ReleaseHold | ConfirmSeat | ReleaseSeat | WithdrawSeat;

/** Before holding: count the seats against the user's allowance for the schedule. */
export interface ClaimSeats {
  type: 'ClaimSeats';
  data: { reservationId: string; scheduleId: string; userId: string; seatNos: number[]; maxSeats: number; now: string; expiresAt: string };
}

/** These seats of the reservation are free again. */
export interface ReturnSeats {
  type: 'ReturnSeats';
  data: { reservationId: string; scheduleId: string; userId: string; seatNos: number[]; reason: string; now: string };
}

export type HoldingsCommand = ClaimSeats | ReturnSeats;
