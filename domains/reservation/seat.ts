import { Rejection, type Aggregate } from '../../bus/decider.js';
import { refOf } from '../payment/ref.js';
import type { ConfirmSeat, ExpireHold, HoldSeat, ReleaseSeat, SeatCommand } from './commands.js';
import type { SeatEvent, SeatRejectionReason } from './events.js';

export type SeatStatus = 'AVAILABLE' | 'HELD' | 'RESERVED';

/** Who has the seat: the holder while HELD, and still the same reservation once RESERVED. */
export interface SeatHolder {
  reservationId: string;
  scheduleId: string;
  seatNo: number;
  userId: string;
  price: number;
  expiresAt: string;
}

/**
 * One seat. The id lists are arrays rather than Sets so that the state prints
 * and serialises as it is (the replay tool shows it); a seat sees few holds.
 */
export interface SeatState {
  status: SeatStatus;
  holder: SeatHolder | null;
  /** The payment the seat is RESERVED for. */
  reservedFor: string | null;
  /** Reservations whose hold expired: a payment for one of them is HOLD_EXPIRED. */
  expired: readonly string[];
  /** Payments already answered or compensated, so a redelivered command is a no-op. */
  confirmed: readonly string[];
  rejected: readonly string[];
  released: readonly string[];
}

export function seatStream(scheduleId: string, seatNo: number): string {
  return `seat-${scheduleId}_${seatNo}`;
}

export function initialState(): SeatState {
  return {
    status: 'AVAILABLE',
    holder: null,
    reservedFor: null,
    expired: [],
    confirmed: [],
    rejected: [],
    released: [],
  };
}

function at(iso: string): number {
  return Date.parse(iso);
}

/**
 * A hold ends only by SeatHoldExpired, so that the timer is the one writer of
 * expiry and every reader sees the same answer. One exception keeps a seat
 * from looking stuck when the timer is late: a new hold at or after the old
 * hold's expiresAt expires the old hold and takes the seat in the same append.
 */
function hold(command: HoldSeat, state: SeatState): SeatEvent[] {
  const { reservationId, scheduleId, seatNo, userId, price, now, ttlMs } = command.data;
  if (!Number.isInteger(price) || price < 1) {
    throw new Rejection('invalid', 'INVALID_PRICE', `a hold needs a positive whole price, not ${price}`);
  }
  if (!Number.isInteger(ttlMs) || ttlMs < 1) {
    throw new Rejection('invalid', 'INVALID_TTL', `a hold needs a positive lifetime, not ${ttlMs} ms`);
  }
  // The same hold decided again (a retried append that had in fact landed): nothing new.
  if (state.holder?.reservationId === reservationId) return [];
  if (state.expired.includes(reservationId)) {
    throw new Rejection('conflict', 'SEAT_UNAVAILABLE', `reservation ${reservationId} has already expired`);
  }
  const held: SeatEvent = {
    type: 'SeatHeld',
    data: {
      reservationId,
      scheduleId,
      seatNo,
      userId,
      price,
      heldAt: now,
      expiresAt: new Date(at(now) + ttlMs).toISOString(),
    },
  };
  if (state.status === 'AVAILABLE') return [held];
  if (state.status === 'HELD' && state.holder && at(now) >= at(state.holder.expiresAt)) {
    return [
      {
        type: 'SeatHoldExpired',
        data: {
          reservationId: state.holder.reservationId,
          scheduleId: state.holder.scheduleId,
          seatNo: state.holder.seatNo,
          userId: state.holder.userId,
          expiredAt: now,
        },
      },
      held,
    ];
  }
  throw new Rejection('conflict', 'SEAT_UNAVAILABLE', `seat ${seatNo} of schedule ${scheduleId} is ${state.status.toLowerCase()}`);
}

function expire(command: ExpireHold, state: SeatState): SeatEvent[] {
  const { reservationId, now } = command.data;
  const holder = state.holder;
  if (state.status !== 'HELD' || !holder || holder.reservationId !== reservationId) return [];
  // A timer that fires early (clock skew between instances) must not cut a hold short.
  if (at(now) < at(holder.expiresAt)) return [];
  return [
    {
      type: 'SeatHoldExpired',
      data: {
        reservationId,
        scheduleId: holder.scheduleId,
        seatNo: holder.seatNo,
        userId: holder.userId,
        expiredAt: now,
      },
    },
  ];
}

/**
 * Why this payment cannot have the seat, or null when it can. Judged at
 * `requestedAt`, never at processing time, so a replay answers the same.
 * The payment's own expired hold is named first: it is the cause, even if the
 * seat has since gone to someone else.
 */
function refusal(command: ConfirmSeat, state: SeatState): SeatRejectionReason | null {
  const { reservationId, userId, requestedAt } = command.data;
  if (state.expired.includes(reservationId)) return 'HOLD_EXPIRED';
  if (state.status === 'RESERVED') return 'ALREADY_RESERVED';
  const holder = state.holder;
  if (state.status !== 'HELD' || !holder || holder.reservationId !== reservationId) return 'NOT_HOLDER';
  if (holder.userId !== userId) return 'NOT_HOLDER';
  if (at(requestedAt) >= at(holder.expiresAt)) return 'HOLD_EXPIRED';
  return null;
}

function confirm(command: ConfirmSeat, state: SeatState): SeatEvent[] {
  const { paymentId } = command.data;
  if (state.confirmed.includes(paymentId) || state.rejected.includes(paymentId)) return [];
  const ref = refOf(command.data);
  const reason = refusal(command, state);
  if (reason) return [{ type: 'SeatReservationRejected', data: { ...ref, reason } }];
  return [{ type: 'SeatReserved', data: { ...ref, reservedAt: command.data.now } }];
}

function release(command: ReleaseSeat, state: SeatState): SeatEvent[] {
  const { paymentId, reason, now } = command.data;
  // Released once: after SeatReleased the seat is no longer reserved for this payment.
  if (state.status !== 'RESERVED' || state.reservedFor !== paymentId) return [];
  return [{ type: 'SeatReleased', data: { ...refOf(command.data), reason, releasedAt: now } }];
}

function decide(command: SeatCommand, state: SeatState): SeatEvent[] {
  switch (command.type) {
    case 'HoldSeat':
      return hold(command, state);
    case 'ExpireHold':
      return expire(command, state);
    case 'ConfirmSeat':
      return confirm(command, state);
    case 'ReleaseSeat':
      return release(command, state);
  }
}

function evolve(state: SeatState, event: SeatEvent): SeatState {
  switch (event.type) {
    case 'SeatHeld': {
      const { reservationId, scheduleId, seatNo, userId, price, expiresAt } = event.data;
      return {
        ...state,
        status: 'HELD',
        holder: { reservationId, scheduleId, seatNo, userId, price, expiresAt },
        reservedFor: null,
      };
    }
    case 'SeatHoldExpired':
      return { ...state, status: 'AVAILABLE', holder: null, expired: [...state.expired, event.data.reservationId] };
    case 'SeatReserved':
      return {
        ...state,
        status: 'RESERVED',
        reservedFor: event.data.paymentId,
        confirmed: [...state.confirmed, event.data.paymentId],
      };
    case 'SeatReservationRejected':
      return { ...state, rejected: [...state.rejected, event.data.paymentId] };
    case 'SeatReleased':
      return {
        ...state,
        status: 'AVAILABLE',
        holder: null,
        reservedFor: null,
        released: [...state.released, event.data.paymentId],
      };
  }
}

export const seat: Aggregate<SeatState, SeatCommand, SeatEvent> = {
  category: 'seat',
  initialState,
  decide,
  evolve,
};
