import type { PaymentRef } from '../payment/events.js';

/**
 * The saga reference alone, out of any event or command that carries it, so
 * that one service's timestamps (reservedAt, failedAt…) never leak into
 * another service's events.
 */
export function refOf(data: PaymentRef): PaymentRef {
  const { paymentId, reservationId, userId, concertId, scheduleId, seatNo, amount } = data;
  return { paymentId, reservationId, userId, concertId, scheduleId, seatNo, amount };
}
