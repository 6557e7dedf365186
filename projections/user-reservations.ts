import type { Doc } from '../infra/readstore/port.js';
import type { RecordedEvent } from '../infra/eventstore/port.js';
import { listKey } from '../infra/readstore/position-key.js';
import type { Projection } from '../bus/projection.js';
import type { SeatEvent } from '../domains/reservation/events.js';
import type { PaymentEvent } from '../domains/payment/events.js';
import type { ReservationStatus } from './reservations.js';
import { seatsOf } from '../domains/payment/ref.js';

/** One of a user's reservations as their list shows it: GET /users/:userId/reservations. */
export interface UserReservationDoc extends Doc {
  reservationId: string;
  userId: string;
  scheduleId: string;
  seatNos: number[];
  amount: number;
  status: ReservationStatus;
  paymentId: string | null;
  updatedAt: string;
  /** The list's order: the position of the hold that made the reservation (see listKey); it never moves. */
  listKey: string;
}

type Event = SeatEvent | PaymentEvent;
type Data<T extends Event['type']> = Extract<Event, { type: T }>['data'];

/**
 * What each event does to a reservation already in the list: its status, its
 * payment, when it last changed. A new event (a cancellation, say) is one more
 * entry here and in `eventTypes`.
 */
/** The first seat to end ends a reservation of several (its other seats follow): it stays as that one left it. */
const ended = (doc: UserReservationDoc) => doc.status === 'EXPIRED' || doc.status === 'RELEASED';

const changes: { [T in Exclude<Event['type'], 'SeatHeld'>]?: (doc: UserReservationDoc, data: Data<T>) => UserReservationDoc } = {
  PaymentRequested: (doc, data) => ({ ...doc, paymentId: data.paymentId, updatedAt: data.requestedAt }),
  // Reserved once its last seat is: the seats are confirmed in order.
  SeatReserved: (doc, data) =>
    data.seatNo === seatsOf(data).at(-1) ? { ...doc, status: 'RESERVED', paymentId: data.paymentId, updatedAt: data.reservedAt } : { ...doc, paymentId: data.paymentId },
  SeatHoldExpired: (doc, data) => (ended(doc) ? doc : { ...doc, status: 'EXPIRED', updatedAt: data.expiredAt }),
  SeatHoldReleased: (doc, data) => (ended(doc) ? doc : { ...doc, status: 'RELEASED', updatedAt: data.releasedAt }),
  // A refund's seats are released on the way to CANCELLED: the payment's events say where it is.
  SeatReleased: (doc, data) => (ended(doc) || data.refund ? doc : { ...doc, status: 'RELEASED', updatedAt: data.releasedAt }),
  RefundRequested: (doc, data) => (doc.status === 'RESERVED' ? { ...doc, status: 'CANCELLING', updatedAt: data.refundRequestedAt } : doc),
  PaymentRefunded: (doc, data) => ({ ...doc, status: 'CANCELLED', updatedAt: data.refundedAt }),
};

function held(event: RecordedEvent): UserReservationDoc {
  const data = event.data as Data<'SeatHeld'>;
  const { reservationId, scheduleId, price, userId, heldAt } = data;
  const seatNos = seatsOf(data);
  return {
    id: reservationId,
    reservationId,
    userId,
    scheduleId,
    seatNos,
    amount: price * seatNos.length,
    status: 'HELD',
    paymentId: null,
    updatedAt: heldAt,
    listKey: listKey(event.position, reservationId),
  };
}

/**
 * Each user's reservations, newest hold first. The concert and its title are
 * joined in when the list is read (from the schedules model, which has both),
 * so the hold's event needs to carry no more than it does.
 */
export const userReservations: Projection<UserReservationDoc> = {
  name: 'user-reservations',
  collection: { name: 'user_reservations', indexes: [['userId', 'listKey']] },
  eventTypes: ['SeatHeld', ...Object.keys(changes)],
  ids: (event) => [(event.data as { reservationId: string }).reservationId],
  evolve(doc, event) {
    // A later seat of the same reservation: the document (and its place in the list) came with the first.
    if (event.type === 'SeatHeld') return doc && doc.status === 'HELD' ? doc : { ...held(event), ...(doc ? { listKey: doc.listKey } : {}) };
    // A reservation enters the list with its hold; anything about one never held is not the user's.
    if (!doc) return null;
    const change = changes[event.type as keyof typeof changes] as ((doc: UserReservationDoc, data: unknown) => UserReservationDoc) | undefined;
    return change ? change(doc, event.data) : doc;
  },
};
