import { isEvent } from '../../bus/decider.js';
import type { Reaction } from '../../bus/reaction.js';
import type { ConcertEvent } from '../concert/events.js';
import type { PaymentEvent } from '../payment/events.js';
import { refOf, seatsOf } from '../payment/ref.js';
import type { PointEvent } from '../point/events.js';
import type { HoldingsCommand, SeatCommand } from './commands.js';
import type { HoldingsEvent, SeatEvent } from './events.js';
import { holdings, holdingsStream, type HoldingsState } from './holdings.js';
import { seat, seatStream, type SeatState } from './seat.js';

type SeatReaction = Reaction<SeatState, SeatCommand, SeatEvent>;
type HoldingsReaction = Reaction<HoldingsState, HoldingsCommand, HoldingsEvent>;

/**
 * A payment was requested: reserve its first seat, or say why not. The seats
 * of one reservation are confirmed one after the other (see
 * confirmNextSeatOnSeatReserved), so that the last seat's SeatReserved alone
 * means "every seat is reserved" and the points are debited once, on it.
 */
export const confirmSeatOnPaymentRequested: SeatReaction = {
  name: 'reservation.confirmSeatOnPaymentRequested',
  aggregate: seat,
  eventTypes: ['PaymentRequested'],
  react(event) {
    if (!isEvent<PaymentEvent, 'PaymentRequested'>(event, 'PaymentRequested')) return [];
    const ref = refOf(event.data);
    const [first] = seatsOf(ref);
    return [
      {
        streamId: seatStream(ref.scheduleId, first!),
        // The event's own time, not the clock: a replay decides the same way.
        command: {
          type: 'ConfirmSeat',
          data: { ...ref, seatNo: first!, requestedAt: event.data.requestedAt, now: event.created.toISOString() },
        },
      },
    ];
  },
};

/**
 * A seat of a several-seat reservation was reserved: confirm the next one,
 * judged at the same requestedAt. A refusal anywhere fails the payment, and
 * the release below gives back the seats reserved before it.
 */
export const confirmNextSeatOnSeatReserved: SeatReaction = {
  name: 'reservation.confirmNextSeatOnSeatReserved',
  aggregate: seat,
  eventTypes: ['SeatReserved'],
  react(event) {
    if (!isEvent<SeatEvent, 'SeatReserved'>(event, 'SeatReserved')) return [];
    const seatNos = seatsOf(event.data);
    const next = seatNos[seatNos.indexOf(event.data.seatNo) + 1];
    const { requestedAt } = event.data;
    if (next === undefined || requestedAt === undefined) return [];
    return [
      {
        streamId: seatStream(event.data.scheduleId, next),
        command: { type: 'ConfirmSeat', data: { ...refOf(event.data), seatNo: next, requestedAt, now: event.created.toISOString() } },
      },
    ];
  },
};

/** The debit or the payment failed: undo this service's step on every seat of it, where it was taken. */
export const releaseSeatOnFailure: SeatReaction = {
  name: 'reservation.releaseSeatOnFailure',
  aggregate: seat,
  eventTypes: ['DebitFailed', 'PaymentFailed'],
  react(event) {
    const failure =
      isEvent<PointEvent, 'DebitFailed'>(event, 'DebitFailed') || isEvent<PaymentEvent, 'PaymentFailed'>(event, 'PaymentFailed')
        ? event.data
        : null;
    if (!failure) return [];
    const ref = refOf(failure);
    return seatsOf(ref).map((seatNo) => ({
      streamId: seatStream(ref.scheduleId, seatNo),
      command: { type: 'ReleaseSeat', data: { ...ref, seatNo, reason: failure.reason, now: event.created.toISOString() } },
    }));
  },
};

/**
 * A completed payment is being refunded: release its first seat. The seats
 * are released one after the other (see releaseNextSeatOnRefundReleased), as
 * they were confirmed, so that the last seat's SeatReleased alone means
 * "every seat is free" and the points come back once, on it.
 */
export const releaseSeatOnRefundRequested: SeatReaction = {
  name: 'reservation.releaseSeatOnRefundRequested',
  aggregate: seat,
  eventTypes: ['RefundRequested'],
  react(event) {
    if (!isEvent<PaymentEvent, 'RefundRequested'>(event, 'RefundRequested')) return [];
    const ref = refOf(event.data);
    const [first] = seatsOf(ref);
    return [
      {
        streamId: seatStream(ref.scheduleId, first!),
        command: {
          type: 'ReleaseSeat',
          data: { ...ref, seatNo: first!, reason: event.data.reason, refund: true, now: event.created.toISOString() },
        },
      },
    ];
  },
};

/** A seat of a refund was released: release the next one of the reservation, for the same refund. */
export const releaseNextSeatOnRefundReleased: SeatReaction = {
  name: 'reservation.releaseNextSeatOnRefundReleased',
  aggregate: seat,
  eventTypes: ['SeatReleased'],
  react(event) {
    if (!isEvent<SeatEvent, 'SeatReleased'>(event, 'SeatReleased') || !event.data.refund) return [];
    const seatNos = seatsOf(event.data);
    const next = seatNos[seatNos.indexOf(event.data.seatNo) + 1];
    if (next === undefined) return [];
    const ref = refOf(event.data);
    return [
      {
        streamId: seatStream(ref.scheduleId, next),
        command: { type: 'ReleaseSeat', data: { ...ref, seatNo: next, reason: event.data.reason, refund: true, now: event.created.toISOString() } },
      },
    ];
  },
};

/**
 * A seat is free again: return it to its user's allowance for the schedule.
 * Only ever after the seat's own event, so the allowance never counts fewer
 * seats than the user has. Holds made without a claim (none through the API)
 * find nothing to return.
 */
export const returnSeatOnSeatFreed: HoldingsReaction = {
  name: 'reservation.returnSeatOnSeatFreed',
  aggregate: holdings,
  eventTypes: ['SeatHoldExpired', 'SeatHoldReleased', 'SeatHoldVoided', 'SeatReleased'],
  react(event) {
    if (
      !isEvent<SeatEvent, 'SeatHoldExpired'>(event, 'SeatHoldExpired') &&
      !isEvent<SeatEvent, 'SeatHoldReleased'>(event, 'SeatHoldReleased') &&
      !isEvent<SeatEvent, 'SeatHoldVoided'>(event, 'SeatHoldVoided') &&
      !isEvent<SeatEvent, 'SeatReleased'>(event, 'SeatReleased')
    ) {
      return [];
    }
    const { reservationId, scheduleId, userId, seatNo } = event.data;
    return [
      {
        streamId: holdingsStream(scheduleId, userId),
        command: {
          type: 'ReturnSeats',
          data: { reservationId, scheduleId, userId, seatNos: [seatNo], reason: event.type, now: event.created.toISOString() },
        },
      },
    ];
  },
};

/**
 * A schedule was cancelled: every seat of it is withdrawn, each on its own
 * stream, so that a crash halfway replays the event and the seats already
 * withdrawn decide nothing. A schedule has at most 1,000 seats (the
 * catalogue's limit), which bounds the work one event makes.
 */
export const withdrawSeatsOnScheduleCancelled: SeatReaction = {
  name: 'reservation.withdrawSeatsOnScheduleCancelled',
  aggregate: seat,
  eventTypes: ['ScheduleCancelled'],
  react(event) {
    if (!isEvent<ConcertEvent, 'ScheduleCancelled'>(event, 'ScheduleCancelled')) return [];
    const { scheduleId, seatCount } = event.data;
    const now = event.created.toISOString();
    return Array.from({ length: seatCount }, (_, i) => ({
      streamId: seatStream(scheduleId, i + 1),
      command: { type: 'WithdrawSeat' as const, data: { scheduleId, seatNo: i + 1, now } },
    }));
  },
};

export const reactions: readonly (SeatReaction | HoldingsReaction)[] = [
  confirmSeatOnPaymentRequested,
  confirmNextSeatOnSeatReserved,
  releaseSeatOnFailure,
  releaseSeatOnRefundRequested,
  releaseNextSeatOnRefundReleased,
  returnSeatOnSeatFreed,
  withdrawSeatsOnScheduleCancelled,
];
