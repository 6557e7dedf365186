import type { Doc } from '../infra/readstore/port.js';
import { isEvent } from '../bus/decider.js';
import type { Projection } from '../bus/projection.js';
import type { ConcertEvent } from '../domains/concert/events.js';
import type { SeatEvent } from '../domains/reservation/events.js';
import type { RankingEvent } from '../domains/ranking/events.js';
import type { PaymentEvent } from '../domains/payment/events.js';

/** OPEN sells; CANCELLING takes no hold while its seats are withdrawn and its payments undone; CANCELLED is done. */
export type ScheduleStatus = 'OPEN' | 'CANCELLING' | 'CANCELLED';

export interface ScheduleDoc extends Doc {
  scheduleId: string;
  concertId: string;
  title: string;
  startsAt: string;
  bookingOpensAt: string;
  totalSeats: number;
  price: number;
  heldSeats: number;
  reservedSeats: number;
  /** totalSeats − held − reserved: what a newcomer can still hold. */
  availableSeats: number;
  /** Every seat paid for (the ranking's ScheduleSoldOut): final, unlike availableSeats = 0. */
  soldOut: boolean;
  soldOutAt: string | null;
  status: ScheduleStatus;
  cancelledAt: string | null;
  /** Seats withdrawn by the cancellation so far. */
  withdrawnSeats: number;
  /** Withdrawn seats still RESERVED, waiting for their payment's refund or failure to release them. */
  withdrawnReserved: number;
  /** Refunds the cancellation asked for (RefundRequested SCHEDULE_CANCELLED) that are not PaymentRefunded yet. */
  refundsPending: number;
}

const SEAT_TYPES = ['SeatHeld', 'SeatHoldExpired', 'SeatHoldReleased', 'SeatReserved', 'SeatReleased'] as const;
const CANCELLATION_TYPES = ['ScheduleCancelled', 'SeatWithdrawn', 'RefundRequested', 'PaymentRefunded'] as const;

/**
 * A cancelled schedule has nothing to offer a newcomer. It is CANCELLED once
 * every seat is withdrawn, none of them is still RESERVED and every refund
 * it asked for is done: counters only, so a schedule of 1,000 seats costs no
 * more than one of 3.
 */
function settled(doc: ScheduleDoc): ScheduleDoc {
  // A document projected before cancellations existed has no status: it is open.
  const open = (doc.status ?? 'OPEN') === 'OPEN';
  const availableSeats = open ? Math.max(0, doc.totalSeats - doc.heldSeats - doc.reservedSeats) : 0;
  const done = !open && doc.withdrawnSeats >= doc.totalSeats && doc.withdrawnReserved === 0 && doc.refundsPending === 0;
  return { ...doc, availableSeats, status: done ? 'CANCELLED' : doc.status };
}

function counted(doc: ScheduleDoc, held: number, reserved: number): ScheduleDoc {
  const heldSeats = Math.max(0, doc.heldSeats + held);
  const reservedSeats = Math.max(0, doc.reservedSeats + reserved);
  return settled({ ...doc, heldSeats, reservedSeats });
}

/**
 * Schedules with their seat counts: GET /concerts/:id/schedules, and the
 * schedule lookups of the seat map and of holds. Counters move with the seat
 * events; the read store applies each event once (checkpoint in the same commit).
 */
export const schedules: Projection<ScheduleDoc> = {
  name: 'schedules',
  collection: { name: 'schedules', indexes: ['concertId', 'startsAt'] },
  eventTypes: ['ScheduleOpened', ...SEAT_TYPES, 'ScheduleSoldOut', ...CANCELLATION_TYPES],
  ids: (event) => [(event.data as { scheduleId: string }).scheduleId],
  evolve(doc, event) {
    if (isEvent<ConcertEvent, 'ScheduleOpened'>(event, 'ScheduleOpened')) {
      if (doc) return doc;
      const { scheduleId, concertId, title, startsAt, bookingOpensAt, seatCount, price } = event.data;
      return {
        id: scheduleId,
        scheduleId,
        concertId,
        title,
        startsAt,
        bookingOpensAt,
        totalSeats: seatCount,
        price,
        heldSeats: 0,
        reservedSeats: 0,
        availableSeats: seatCount,
        soldOut: false,
        soldOutAt: null,
        status: 'OPEN',
        cancelledAt: null,
        withdrawnSeats: 0,
        withdrawnReserved: 0,
        refundsPending: 0,
      };
    }
    if (!doc) return null;
    if (isEvent<ConcertEvent, 'ScheduleCancelled'>(event, 'ScheduleCancelled')) {
      if ((doc.status ?? 'OPEN') !== 'OPEN') return doc;
      // Nothing is withdrawn or refunded for a cancellation before it: the counters start here, on older documents too.
      return settled({ ...doc, status: 'CANCELLING', cancelledAt: event.data.cancelledAt, withdrawnSeats: 0, withdrawnReserved: 0, refundsPending: 0 });
    }
    if (isEvent<SeatEvent, 'SeatWithdrawn'>(event, 'SeatWithdrawn')) {
      const reserved = event.data.paymentId === undefined ? 0 : 1;
      return settled({ ...doc, withdrawnSeats: doc.withdrawnSeats + 1, withdrawnReserved: doc.withdrawnReserved + reserved });
    }
    if (isEvent<PaymentEvent, 'RefundRequested'>(event, 'RefundRequested')) {
      return event.data.reason === 'SCHEDULE_CANCELLED' ? settled({ ...doc, refundsPending: doc.refundsPending + 1 }) : doc;
    }
    if (isEvent<PaymentEvent, 'PaymentRefunded'>(event, 'PaymentRefunded')) {
      return event.data.reason === 'SCHEDULE_CANCELLED' ? settled({ ...doc, refundsPending: Math.max(0, doc.refundsPending - 1) }) : doc;
    }
    if (isEvent<SeatEvent, 'SeatReleased'>(event, 'SeatReleased') && event.data.withdrawn) {
      return counted({ ...doc, withdrawnReserved: Math.max(0, doc.withdrawnReserved - 1) }, 0, -1);
    }
    if (isEvent<SeatEvent, 'SeatHeld'>(event, 'SeatHeld')) return counted(doc, +1, 0);
    if (isEvent<SeatEvent, 'SeatHoldExpired'>(event, 'SeatHoldExpired')) return counted(doc, -1, 0);
    if (isEvent<SeatEvent, 'SeatHoldReleased'>(event, 'SeatHoldReleased')) return counted(doc, -1, 0);
    if (isEvent<SeatEvent, 'SeatReserved'>(event, 'SeatReserved')) return counted(doc, -1, +1);
    if (isEvent<SeatEvent, 'SeatReleased'>(event, 'SeatReleased')) return counted(doc, 0, -1);
    if (isEvent<RankingEvent, 'ScheduleSoldOut'>(event, 'ScheduleSoldOut')) {
      return { ...doc, soldOut: true, soldOutAt: event.data.soldOutAt };
    }
    return doc;
  },
};
