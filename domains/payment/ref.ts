import type { PaymentRef } from './events.js';

/**
 * Just the saga reference out of a richer event or command, so that the
 * events a service derives from it carry exactly PaymentRef and no stray fields.
 */
export function refOf(data: PaymentRef): PaymentRef {
  const { paymentId, reservationId, userId, concertId, scheduleId, seatNo, amount } = data;
  return { paymentId, reservationId, userId, concertId, scheduleId, seatNo, amount };
}
