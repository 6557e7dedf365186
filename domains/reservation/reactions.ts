import { isEvent } from '../../bus/decider.js';
import type { Reaction } from '../../bus/reaction.js';
import type { PaymentEvent } from '../payment/events.js';
import { refOf } from '../payment/ref.js';
import type { PointEvent } from '../point/events.js';
import type { SeatCommand } from './commands.js';
import type { SeatEvent } from './events.js';
import { seat, seatStream, type SeatState } from './seat.js';

type SeatReaction = Reaction<SeatState, SeatCommand, SeatEvent>;

/** A payment was requested: reserve its seat, or say why not. */
export const confirmSeatOnPaymentRequested: SeatReaction = {
  name: 'reservation.confirmSeatOnPaymentRequested',
  aggregate: seat,
  eventTypes: ['PaymentRequested'],
  react(event) {
    if (!isEvent<PaymentEvent, 'PaymentRequested'>(event, 'PaymentRequested')) return [];
    const ref = refOf(event.data);
    return [
      {
        streamId: seatStream(ref.scheduleId, ref.seatNo),
        // The event's own time, not the clock: a replay decides the same way.
        command: { type: 'ConfirmSeat', data: { ...ref, requestedAt: event.data.requestedAt, now: event.created.toISOString() } },
      },
    ];
  },
};

/** The debit or the payment failed: undo this service's step, if it was taken. */
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
    return [
      {
        streamId: seatStream(ref.scheduleId, ref.seatNo),
        command: { type: 'ReleaseSeat', data: { ...ref, reason: failure.reason, now: event.created.toISOString() } },
      },
    ];
  },
};

export const reactions: readonly SeatReaction[] = [confirmSeatOnPaymentRequested, releaseSeatOnFailure];
