import { Rejection, type Aggregate } from '../../bus/decider.js';
import { refOf } from '../payment/ref.js';
import type { ConfirmSeat, ExpireHold, HoldSeat, ReleaseHold, ReleaseSeat, SeatCommand, WithdrawSeat } from './commands.js';
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
  /** Reservations that have held this seat at some time. */
  held: readonly string[];
  /** Reservations whose hold here was given up, or ruled out before it was taken: none may hold again. */
  voided: readonly string[];
  /** Its schedule was cancelled: no hold or payment takes it again. */
  withdrawn: boolean;
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
    held: [],
    voided: [],
    withdrawn: false,
  };
}

/** Whether this reservation has had anything to do with the seat: held it, or been ruled out here. */
function knows(state: SeatState, reservationId: string): boolean {
  return state.held.includes(reservationId) || state.voided.includes(reservationId) || state.expired.includes(reservationId);
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
  const { reservationId, scheduleId, seatNo, userId, price, now, ttlMs, seatNos } = command.data;
  if (!Number.isInteger(price) || price < 1) {
    throw new Rejection('invalid', 'INVALID_PRICE', `a hold needs a positive whole price, not ${price}`);
  }
  if (!Number.isInteger(ttlMs) || ttlMs < 1) {
    throw new Rejection('invalid', 'INVALID_TTL', `a hold needs a positive lifetime, not ${ttlMs} ms`);
  }
  // The same hold decided again (a retried append that had in fact landed): nothing new.
  if (state.holder?.reservationId === reservationId) return [];
  if (state.withdrawn) {
    throw new Rejection('conflict', 'SCHEDULE_CANCELLED', `schedule ${scheduleId} is cancelled: seat ${seatNo} takes no hold`);
  }
  if (state.expired.includes(reservationId)) {
    throw new Rejection('conflict', 'SEAT_UNAVAILABLE', `reservation ${reservationId} has already expired`);
  }
  if (state.voided.includes(reservationId)) {
    throw new Rejection('conflict', 'SEAT_UNAVAILABLE', `reservation ${reservationId} has given this seat up`);
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
      ...(seatNos && seatNos.length > 1 ? { seatNos: [...seatNos] } : {}),
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

function voided(reservationId: string, claimed: { scheduleId: string; seatNo: number; userId: string }, now: string): SeatEvent {
  const { scheduleId, seatNo, userId } = claimed;
  return { type: 'SeatHoldVoided', data: { reservationId, scheduleId, seatNo, userId, voidedAt: now } };
}

function expire(command: ExpireHold, state: SeatState): SeatEvent[] {
  const { reservationId, now, claimed } = command.data;
  const holder = state.holder;
  if (state.status !== 'HELD' || !holder || holder.reservationId !== reservationId) {
    // Claimed but never held by the claim's expiry: the request that claimed it stopped halfway.
    if (!claimed || knows(state, reservationId) || at(now) < at(claimed.expiresAt)) return [];
    return [voided(reservationId, claimed, now)];
  }
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
  // Whatever else holds, a cancelled schedule's seat is sold to no one: the payment fails with the cause.
  if (state.withdrawn) return 'SCHEDULE_CANCELLED';
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
  const next = ref.seatNos ? { requestedAt: command.data.requestedAt } : {};
  return [{ type: 'SeatReserved', data: { ...ref, reservedAt: command.data.now, ...next } }];
}

function release(command: ReleaseSeat, state: SeatState): SeatEvent[] {
  const { paymentId, reason, now, refund } = command.data;
  // Released once: after SeatReleased the seat is no longer reserved for this payment.
  if (state.status !== 'RESERVED' || state.reservedFor !== paymentId) {
    // A refund's payment completed, so its confirmation has passed every seat: there is nothing on its way to void.
    if (refund) return [];
    const unseen = !state.confirmed.includes(paymentId) && !state.rejected.includes(paymentId);
    // Only several-seat payments confirm a seat after an earlier seat's event, and so can arrive after their failure.
    if (command.data.seatNos && unseen) {
      return [{ type: 'SeatReservationVoided', data: { ...refOf(command.data), reason, voidedAt: now } }];
    }
    return [];
  }
  const flags = { ...(refund ? { refund } : {}), ...(state.withdrawn ? { withdrawn: true as const } : {}) };
  return [{ type: 'SeatReleased', data: { ...refOf(command.data), reason, releasedAt: now, ...flags } }];
}

/**
 * Once only. A hold is released in the same decision, so no hold outlives
 * the cancellation; a RESERVED seat stays so, naming its payment, until the
 * payment's refund (or failure) releases it: the reservation undoes only its
 * own step, and the points come back through the payment's saga.
 */
function withdraw({ data }: WithdrawSeat, state: SeatState): SeatEvent[] {
  const { scheduleId, seatNo, now } = data;
  if (state.withdrawn) return [];
  const holder = state.holder;
  const released: SeatEvent[] =
    state.status === 'HELD' && holder
      ? [
          {
            type: 'SeatHoldReleased',
            data: { reservationId: holder.reservationId, scheduleId, seatNo, userId: holder.userId, reason: 'SCHEDULE_CANCELLED', releasedAt: now },
          },
        ]
      : [];
  const paymentId = state.status === 'RESERVED' && state.reservedFor !== null ? { paymentId: state.reservedFor } : {};
  return [...released, { type: 'SeatWithdrawn', data: { scheduleId, seatNo, withdrawnAt: now, ...paymentId } }];
}

function releaseHold(command: ReleaseHold, state: SeatState): SeatEvent[] {
  const { reservationId, reason, now } = command.data;
  const holder = state.holder;
  if (state.status === 'HELD' && holder?.reservationId === reservationId) {
    const { scheduleId, seatNo, userId } = holder;
    return [{ type: 'SeatHoldReleased', data: { reservationId, scheduleId, seatNo, userId, reason, releasedAt: now } }];
  }
  // Never held here: rule the hold out, so that a request still under way cannot take it later.
  if (!knows(state, reservationId)) return [voided(reservationId, command.data, now)];
  // Expired, released or given up already; a RESERVED seat is only given back through its payment.
  return [];
}

function decide(command: SeatCommand, state: SeatState): SeatEvent[] {
  switch (command.type) {
    case 'HoldSeat':
      return hold(command, state);
    case 'ExpireHold':
      return expire(command, state);
    case 'ReleaseHold':
      return releaseHold(command, state);
    case 'ConfirmSeat':
      return confirm(command, state);
    case 'ReleaseSeat':
      return release(command, state);
    case 'WithdrawSeat':
      return withdraw(command, state);
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
        held: state.held.includes(reservationId) ? state.held : [...state.held, reservationId],
      };
    }
    case 'SeatHoldReleased':
      return { ...state, status: 'AVAILABLE', holder: null, voided: [...state.voided, event.data.reservationId] };
    case 'SeatHoldVoided':
      return { ...state, voided: [...state.voided, event.data.reservationId] };
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
    case 'SeatReservationVoided':
      return { ...state, rejected: [...state.rejected, event.data.paymentId] };
    case 'SeatReleased':
      return {
        ...state,
        status: 'AVAILABLE',
        holder: null,
        reservedFor: null,
        released: [...state.released, event.data.paymentId],
      };
    case 'SeatWithdrawn':
      return { ...state, withdrawn: true };
  }
}

export const seat: Aggregate<SeatState, SeatCommand, SeatEvent> = {
  category: 'seat',
  initialState,
  decide,
  evolve,
};
