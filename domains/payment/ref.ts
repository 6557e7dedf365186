import type { PaymentRef } from './events.js';

/**
 * Just the saga reference out of a richer event or command, so that the
 * events a service derives from it carry exactly PaymentRef and no stray fields.
 */
export function refOf(data: PaymentRef): PaymentRef {
  const { paymentId, reservationId, userId, concertId, scheduleId, seatNo, amount, seatNos } = data;
  return { paymentId, reservationId, userId, concertId, scheduleId, seatNo, amount, ...(seatNos && seatNos.length > 1 ? { seatNos } : {}) };
}

/** The seats a saga is about, ascending: one for the payments of single-seat reservations. */
export function seatsOf(data: { seatNo: number; seatNos?: readonly number[] }): number[] {
  return data.seatNos && data.seatNos.length > 0 ? [...data.seatNos] : [data.seatNo];
}
