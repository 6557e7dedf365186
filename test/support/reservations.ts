import { holdSeats } from '../../domains/reservation/hold-seat.js';
import { requestPayment } from '../../domains/payment/request-payment.js';
import type { EventStore } from '../../infra/eventstore/port.js';
import type { TestSystem } from './system.js';

/** A schedule the test system opened. */
export type Schedule = Awaited<ReturnType<TestSystem['openSchedule']>>;

/** Holds these seats through the application command, as POST /reservations does, at the system's clock. */
export const hold = (system: TestSystem, schedule: Schedule, userId: string, seatNos: number[], store: EventStore = system.store) =>
  holdSeats(store, { scheduleId: schedule.scheduleId, seatNos, userId, price: schedule.price }, system.clock.now(), {
    ttlMs: system.config.holdTtlMs,
    maxSeats: system.config.maxSeatsPerUser,
  });

/** Asks for the payment of a reservation, as POST /payments does, at the system's clock. */
export const pay = (system: TestSystem, schedule: Schedule, reservation: { reservationId: string; userId: string; seatNos: number[]; amount: number }) =>
  requestPayment(
    system.store,
    {
      reservationId: reservation.reservationId,
      userId: reservation.userId,
      concertId: schedule.concertId,
      scheduleId: schedule.scheduleId,
      seatNo: reservation.seatNos[0]!,
      amount: reservation.amount,
      ...(reservation.seatNos.length > 1 ? { seatNos: reservation.seatNos } : {}),
    },
    system.clock.now(),
    system.config.paymentDeadlineMs,
  );
