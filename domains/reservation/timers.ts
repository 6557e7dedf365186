import { isEvent } from '../../bus/decider.js';
import type { TimerRule } from '../../bus/reaction.js';
import type { SeatCommand } from './commands.js';
import type { HoldingsEvent, SeatEvent } from './events.js';
import { seat, seatStream, type SeatState } from './seat.js';

type SeatTimer = TimerRule<SeatState, SeatCommand, SeatEvent>;

/**
 * One timer per seat of a reservation: keyed by the reservation alone when it
 * has one seat (as before several seats existed), by reservation and seat
 * otherwise, so that one seat's timer never replaces another's.
 */
export function holdTimerKey(reservationId: string, seatNo: number, seatNos: readonly number[] | undefined): string {
  return seatNos && seatNos.length > 1 ? `${reservationId}/${seatNo}` : reservationId;
}

/**
 * A hold ends at its expiresAt unless the seat was reserved first. The timer is
 * keyed by reservation (and seat), so an old hold's timer never touches the
 * next holder. It is set when the seats are claimed, before any is held: if
 * the request stops halfway, the timer voids the seats it never held, and the
 * seats it did hold expire as any hold does. No seat of a reservation is left
 * behind half-held past its expiry.
 */
export const holdExpiry: SeatTimer = {
  name: 'reservation.holdExpiry',
  aggregate: seat,
  eventTypes: ['SeatsClaimed', 'SeatHeld', 'SeatReserved', 'SeatHoldExpired', 'SeatHoldReleased', 'SeatHoldVoided'],
  schedule(event) {
    if (isEvent<HoldingsEvent, 'SeatsClaimed'>(event, 'SeatsClaimed')) {
      const { reservationId, scheduleId, userId, seatNos, expiresAt } = event.data;
      return seatNos.map((seatNo) => ({
        op: 'set' as const,
        key: holdTimerKey(reservationId, seatNo, seatNos),
        dueAt: expiresAt,
        streamId: seatStream(scheduleId, seatNo),
        payload: { reservationId, claimed: { scheduleId, seatNo, userId, expiresAt } },
      }));
    }
    if (isEvent<SeatEvent, 'SeatHeld'>(event, 'SeatHeld')) {
      const { reservationId, scheduleId, seatNo, userId, expiresAt, seatNos } = event.data;
      const key = holdTimerKey(reservationId, seatNo, seatNos);
      // The same timer as the claim's, which it replaces: the claim still stands behind the hold.
      const payload = seatNos ? { payload: { reservationId, claimed: { scheduleId, seatNo, userId, expiresAt } } } : {};
      return [{ op: 'set', key, dueAt: expiresAt, streamId: event.streamId, ...payload }];
    }
    if (isEvent<SeatEvent, 'SeatReserved'>(event, 'SeatReserved')) {
      return [{ op: 'cancel', key: holdTimerKey(event.data.reservationId, event.data.seatNo, event.data.seatNos) }];
    }
    if (
      isEvent<SeatEvent, 'SeatHoldExpired'>(event, 'SeatHoldExpired') ||
      isEvent<SeatEvent, 'SeatHoldReleased'>(event, 'SeatHoldReleased') ||
      isEvent<SeatEvent, 'SeatHoldVoided'>(event, 'SeatHoldVoided')
    ) {
      // These events do not say how many seats the reservation has: cancel under either key.
      const { reservationId, seatNo } = event.data;
      return [
        { op: 'cancel', key: reservationId },
        { op: 'cancel', key: `${reservationId}/${seatNo}` },
      ];
    }
    return [];
  },
  fire(timer, now) {
    const payload = timer.payload as { reservationId?: string; claimed?: { scheduleId: string; seatNo: number; userId: string; expiresAt: string } };
    const reservationId = payload.reservationId ?? timer.key;
    const claimed = payload.claimed ? { claimed: payload.claimed } : {};
    return [
      { streamId: timer.streamId, command: { type: 'ExpireHold', data: { reservationId, now: now.toISOString(), ...claimed } } },
    ];
  },
};

export const timers: readonly SeatTimer[] = [holdExpiry];
