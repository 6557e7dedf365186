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
  };
}

/** The hold timer fired. */
export interface ExpireHold {
  type: 'ExpireHold';
  data: { reservationId: string; now: string };
}

/** A payment was requested: reserve the seat if the hold still stands at `requestedAt`. */
export interface ConfirmSeat {
  type: 'ConfirmSeat';
  data: PaymentRef & { requestedAt: string; now: string };
}

/** The payment failed: give back the seat it reserved (the compensation). */
export interface ReleaseSeat {
  type: 'ReleaseSeat';
  data: PaymentRef & { reason: string; now: string };
}

export type SeatCommand = HoldSeat | ExpireHold | ConfirmSeat | ReleaseSeat;
