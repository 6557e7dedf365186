import { isEvent } from '../../bus/decider.js';
import type { TimerRule } from '../../bus/reaction.js';
import type { SeatCommand } from './commands.js';
import type { SeatEvent } from './events.js';
import { seat, type SeatState } from './seat.js';

type SeatTimer = TimerRule<SeatState, SeatCommand, SeatEvent>;

/**
 * A hold ends at its expiresAt unless the seat was reserved first. The timer is
 * keyed by reservation, so an old hold's timer never touches the next holder.
 */
export const holdExpiry: SeatTimer = {
  name: 'reservation.holdExpiry',
  aggregate: seat,
  eventTypes: ['SeatHeld', 'SeatReserved', 'SeatHoldExpired'],
  schedule(event) {
    if (isEvent<SeatEvent, 'SeatHeld'>(event, 'SeatHeld')) {
      const { reservationId, expiresAt } = event.data;
      return [{ op: 'set', key: reservationId, dueAt: expiresAt, streamId: event.streamId }];
    }
    if (
      isEvent<SeatEvent, 'SeatReserved'>(event, 'SeatReserved') ||
      isEvent<SeatEvent, 'SeatHoldExpired'>(event, 'SeatHoldExpired')
    ) {
      return [{ op: 'cancel', key: event.data.reservationId }];
    }
    return [];
  },
  fire(timer, now) {
    return [
      { streamId: timer.streamId, command: { type: 'ExpireHold', data: { reservationId: timer.key, now: now.toISOString() } } },
    ];
  },
};

export const timers: readonly SeatTimer[] = [holdExpiry];
