import t from 'tap';
import type { RecordedEvent } from '../../infra/eventstore/port.js';
import type { Doc } from '../../infra/readstore/port.js';
import { rebuild, type AnyProjection, type Projection } from '../../bus/projection.js';
import { startTestSystem } from '../support/system.js';
import { startTestApi } from '../support/api.js';
import {
  allProjections,
  balances,
  concerts,
  deliveries,
  payments,
  pointHistory,
  queueTokens,
  readModels,
  reservations,
  sagaTraces,
  schedules,
  seats,
  soldOutRanking,
  userReservations,
} from '../../projections/index.js';
import { positionKey } from '../../infra/readstore/position-key.js';
import { paymentIdFor } from '../../domains/payment/payment.js';
import type { ScheduleDoc } from '../../projections/schedules.js';

/** Recorded events in the order given, at increasing positions. */
function history() {
  let position = 0n;
  return (type: string, data: Record<string, unknown>, metadata: Record<string, unknown> = {}, streamId = 'stream-1'): RecordedEvent => {
    position += 1n;
    return { id: `event-${position}`, type, data, metadata, streamId, revision: Number(position) - 1, position, created: new Date('2030-01-01T10:00:00.000Z') };
  };
}

/** What the read store would hold after these events: applyBatch, in memory. */
function project<D extends Doc>(projection: Projection<D>, events: readonly RecordedEvent[]): Map<string, D> {
  const docs = new Map<string, D>();
  for (const event of events) {
    if (!projection.eventTypes.includes(event.type)) continue;
    for (const id of projection.ids(event)) {
      const next = projection.evolve(docs.get(id) ?? null, event, id);
      if (next) docs.set(id, next);
      else docs.delete(id);
    }
  }
  return docs;
}

const ref = { paymentId: 'p1', reservationId: 'r1', userId: 'ana', concertId: 'c1', scheduleId: 's1', seatNo: 2, amount: 100 };
const opened = { concertId: 'c1', title: 'Gala', scheduleId: 's1', startsAt: '2030-06-01T19:00:00.000Z', bookingOpensAt: '2030-01-01T09:00:00.000Z', seatCount: 3, price: 100 };
const held = (reservationId: string, seatNo: number) => ({ reservationId, scheduleId: 's1', seatNo, userId: 'ana', price: 100, heldAt: '2030-01-01T10:00:00.000Z', expiresAt: '2030-01-01T10:05:00.000Z' });

t.test('the projection lists', async (t) => {
  t.equal(readModels.length, 11);
  t.notOk(readModels.includes(queueTokens as AnyProjection), 'the queue runs its own line');
  t.same(allProjections.map((p) => p.name).sort(), [...readModels.map((p) => p.name), queueTokens.name].sort());
  t.equal(new Set(allProjections.map((p) => p.name)).size, allProjections.length, 'names are unique (they name checkpoints)');
  t.equal(new Set(allProjections.map((p) => p.collection.name)).size, allProjections.length, 'one collection each');
});

t.test('concerts count each schedule once', async (t) => {
  const e = history();
  const docs = project(concerts, [
    e('ConcertRegistered', { concertId: 'c1', title: 'Gala', registeredAt: '2030-01-01T10:00:00.000Z' }),
    e('ScheduleOpened', opened),
    e('ScheduleOpened', { ...opened, scheduleId: 's2' }),
    e('ScheduleOpened', opened),
  ]);
  t.match(docs.get('c1'), { concertId: 'c1', title: 'Gala', scheduleCount: 2, scheduleIds: ['s1', 's2'] });
});

t.test("a concert's list key is the position of its first event, kept through later ones", async (t) => {
  const e = history();
  const registered = e('ConcertRegistered', { concertId: 'c1', title: 'Gala', registeredAt: '2030-01-01T10:00:00.000Z' });
  const docs = project(concerts, [registered, e('ScheduleOpened', opened)]);
  t.equal(docs.get('c1')?.listKey, `${positionKey(registered.position)}:c1`);
  const early = history();
  const first = early('ScheduleOpened', opened);
  const odd = project(concerts, [first, early('ConcertRegistered', { concertId: 'c1', title: 'Gala', registeredAt: '2030-01-01T10:00:00.000Z' })]);
  t.equal(odd.get('c1')?.listKey, `${positionKey(first.position)}:c1`, 'a schedule seen before its concert places the concert');
});

t.test('point history: one movement per ledger event, kinds and balances as recorded, never changed', async (t) => {
  const e = history();
  const charged = e('PointsCharged', { userId: 'ana', chargeId: 'k', amount: 500, balanceAfter: 500, chargedAt: '2030-01-01T10:00:00.000Z' });
  const debited = e('PointsDebited', { ...ref, balanceAfter: 400, debitedAt: '2030-01-01T10:00:01.000Z' });
  const failed = e('DebitFailed', { ...ref, reason: 'INSUFFICIENT_BALANCE', balance: 400, failedAt: '2030-01-01T10:00:01.000Z' });
  const refunded = e('PointsRefunded', { ...ref, balanceAfter: 500, refundedAt: '2030-01-01T10:00:02.000Z' });
  const docs = project(pointHistory, [charged, debited, failed, refunded]);
  t.same([...docs.values()].map(({ kind, amount, balanceAfter, paymentId, at }) => ({ kind, amount, balanceAfter, paymentId, at })), [
    { kind: 'CHARGE', amount: 500, balanceAfter: 500, paymentId: null, at: '2030-01-01T10:00:00.000Z' },
    { kind: 'DEBIT', amount: 100, balanceAfter: 400, paymentId: 'p1', at: '2030-01-01T10:00:01.000Z' },
    { kind: 'REFUND', amount: 100, balanceAfter: 500, paymentId: 'p1', at: '2030-01-01T10:00:02.000Z' },
  ], 'a failed debit moves nothing and is not listed');
  t.same([...docs.keys()], [charged.id, debited.id, refunded.id], 'keyed by event: a redelivered event rewrites its own movement');
  t.same([...docs.values()].map((d) => d.listKey), [charged, debited, refunded].map((ev) => `${positionKey(ev.position)}:${ev.id}`), 'ordered as the ledger');
});

t.test("a user's reservations: HELD, then RESERVED, EXPIRED or RELEASED, in the place of the hold", async (t) => {
  const e = history();
  const hold = e('SeatHeld', held('r1', 2));
  const events = [hold];
  const key = `${positionKey(hold.position)}:r1`;
  t.same(project(userReservations, events).get('r1'), {
    id: 'r1',
    reservationId: 'r1',
    userId: 'ana',
    scheduleId: 's1',
    seatNos: [2],
    amount: 100,
    status: 'HELD',
    paymentId: null,
    updatedAt: '2030-01-01T10:00:00.000Z',
    listKey: key,
  });
  events.push(e('PaymentRequested', { ...ref, requestedAt: '2030-01-01T10:00:01.000Z', deadlineAt: '2030-01-01T10:00:30.000Z' }));
  t.match(project(userReservations, events).get('r1'), { status: 'HELD', paymentId: 'p1', updatedAt: '2030-01-01T10:00:01.000Z', listKey: key });
  events.push(e('SeatReserved', { ...ref, reservedAt: '2030-01-01T10:00:02.000Z' }));
  t.match(project(userReservations, events).get('r1'), { status: 'RESERVED', updatedAt: '2030-01-01T10:00:02.000Z', listKey: key });
  events.push(e('SeatReleased', { ...ref, reason: 'TIMEOUT', releasedAt: '2030-01-01T10:00:30.000Z' }));
  t.match(project(userReservations, events).get('r1'), { status: 'RELEASED', updatedAt: '2030-01-01T10:00:30.000Z', listKey: key });
  const expired = project(userReservations, [e('SeatHeld', held('r2', 1)), e('SeatHoldExpired', { reservationId: 'r2', scheduleId: 's1', seatNo: 1, userId: 'ana', expiredAt: '2030-01-01T10:05:00.000Z' })]);
  t.match(expired.get('r2'), { status: 'EXPIRED', updatedAt: '2030-01-01T10:05:00.000Z' });
  t.equal(project(userReservations, [e('SeatReserved', { ...ref, reservationId: 'r9' })]).size, 0, 'nothing about a reservation never held');
});

t.test("a user's reservation of several seats: one entry, in the place of its first seat's hold, RESERVED with its last seat", async (t) => {
  const e = history();
  const seatNos = [4, 5];
  const first = e('SeatHeld', { ...held('r3', 4), seatNos });
  const events = [first, e('SeatHeld', { ...held('r3', 5), seatNos })];
  const key = `${positionKey(first.position)}:r3`;
  t.match(project(userReservations, events).get('r3'), { seatNos, amount: 200, status: 'HELD', listKey: key }, 'both seats, their price together');
  const pay = { ...ref, reservationId: 'r3', seatNo: 4, seatNos, amount: 200, paymentId: 'p3' };
  events.push(e('SeatReserved', { ...pay, reservedAt: '2030-01-01T10:00:02.000Z' }));
  t.match(project(userReservations, events).get('r3'), { status: 'HELD', paymentId: 'p3' }, 'one seat confirmed: not yet reserved');
  events.push(e('SeatReserved', { ...pay, seatNo: 5, reservedAt: '2030-01-01T10:00:03.000Z' }));
  t.match(project(userReservations, events).get('r3'), { status: 'RESERVED', updatedAt: '2030-01-01T10:00:03.000Z', listKey: key }, 'the last one: reserved');
  events.push(e('SeatReleased', { ...pay, reason: 'TIMEOUT', releasedAt: '2030-01-01T10:00:30.000Z' }), e('SeatReleased', { ...pay, seatNo: 5, reason: 'TIMEOUT', releasedAt: '2030-01-01T10:00:31.000Z' }));
  t.match(project(userReservations, events).get('r3'), { status: 'RELEASED', updatedAt: '2030-01-01T10:00:30.000Z' }, 'released with its first seat; the second changes nothing');
});

t.test('schedules follow their seats: held, expired, reserved, released, sold out', async (t) => {
  const e = history();
  const events = [e('ScheduleOpened', opened), e('SeatHeld', held('r1', 1)), e('SeatHeld', held('r2', 2)), e('SeatHeld', held('r3', 3))];
  t.match(project(schedules, events).get('s1'), { totalSeats: 3, heldSeats: 3, reservedSeats: 0, availableSeats: 0, soldOut: false });
  events.push(e('SeatHoldExpired', { reservationId: 'r3', scheduleId: 's1', seatNo: 3, userId: 'ana', expiredAt: '2030-01-01T10:05:00.000Z' }));
  events.push(e('SeatReserved', { ...ref, seatNo: 2, reservationId: 'r2', reservedAt: '2030-01-01T10:00:00.000Z' }));
  t.match(project(schedules, events).get('s1'), { heldSeats: 1, reservedSeats: 1, availableSeats: 1 });
  events.push(e('SeatReleased', { ...ref, seatNo: 2, reservationId: 'r2', reason: 'INSUFFICIENT_BALANCE', releasedAt: '2030-01-01T10:00:00.000Z' }));
  t.match(project(schedules, events).get('s1'), { heldSeats: 1, reservedSeats: 0, availableSeats: 2 });
  events.push(e('ScheduleSoldOut', { scheduleId: 's1', concertId: 'c1', title: 'Gala', bookingOpenedAt: opened.bookingOpensAt, soldOutAt: '2030-01-01T11:00:00.000Z', durationMs: 7_200_000 }));
  t.match(project(schedules, events).get('s1'), { soldOut: true, soldOutAt: '2030-01-01T11:00:00.000Z' });
  t.equal(project(schedules, [e('SeatHeld', held('r9', 1))]).size, 0, 'seats of an unknown schedule make no document');
});

t.test("a cancelled schedule: CANCELLING while a seat is reserved or a refund pending, CANCELLED once every seat is withdrawn and every refund done", async (t) => {
  const e = history();
  const at = '2030-01-02T10:00:00.000Z';
  const paid = { ...ref, seatNo: 1, reservationId: 'r1' };
  const events = [e('ScheduleOpened', opened), e('SeatHeld', held('r1', 1)), e('SeatReserved', { ...paid, reservedAt: at }), e('SeatHeld', held('r2', 2))];
  t.match(project(schedules, events).get('s1'), { status: 'OPEN', refundsPending: 0, availableSeats: 1 });
  events.push(e('ScheduleCancelled', { concertId: 'c1', scheduleId: 's1', seatCount: 3, cancelledAt: at }));
  t.match(project(schedules, events).get('s1'), { status: 'CANCELLING', cancelledAt: at, availableSeats: 0, withdrawnSeats: 0 }, 'nothing for a newcomer from the cancellation on');
  events.push(
    e('SeatWithdrawn', { scheduleId: 's1', seatNo: 1, withdrawnAt: at, paymentId: 'p1' }),
    e('SeatHoldReleased', { reservationId: 'r2', scheduleId: 's1', seatNo: 2, userId: 'ana', reason: 'SCHEDULE_CANCELLED', releasedAt: at }),
    e('SeatWithdrawn', { scheduleId: 's1', seatNo: 2, withdrawnAt: at }),
    e('SeatWithdrawn', { scheduleId: 's1', seatNo: 3, withdrawnAt: at }),
  );
  t.match(project(schedules, events).get('s1'), { status: 'CANCELLING', withdrawnSeats: 3, withdrawnReserved: 1, heldSeats: 0, reservedSeats: 1 }, 'every seat withdrawn, one still RESERVED');
  const refund = { ...paid, reason: 'SCHEDULE_CANCELLED', requestedAt: at, completedAt: at };
  events.push(e('RefundRequested', { ...refund, refundRequestedAt: at }));
  events.push(e('SeatReleased', { ...paid, reason: 'SCHEDULE_CANCELLED', releasedAt: at, refund: true, withdrawn: true }));
  t.match(project(schedules, events).get('s1'), { status: 'CANCELLING', withdrawnReserved: 0, reservedSeats: 0, refundsPending: 1 }, 'its seat released, its refund pending');
  events.push(e('RefundRequested', { ...refund, paymentId: 'p-user', reason: 'USER', refundRequestedAt: at }));
  t.match(project(schedules, events).get('s1'), { refundsPending: 1 }, "a buyer's own refund is not the cancellation's");
  events.push(e('PaymentRefunded', { ...refund, refundedAt: at }));
  t.match(project(schedules, events).get('s1'), { status: 'CANCELLED', refundsPending: 0, availableSeats: 0 });
  events.push(e('ScheduleCancelled', { concertId: 'c1', scheduleId: 's1', seatCount: 3, cancelledAt: '2030-01-03T10:00:00.000Z' }));
  t.match(project(schedules, events).get('s1'), { status: 'CANCELLED', cancelledAt: at }, 'cancelled once');
});

t.test('seats: a document only while taken', async (t) => {
  const e = history();
  const events = [e('SeatHeld', held('r1', 2))];
  t.same(project(seats, events).get('s1_2'), { id: 's1_2', scheduleId: 's1', seatNo: 2, status: 'HELD', reservationId: 'r1', userId: 'ana', expiresAt: '2030-01-01T10:05:00.000Z', paymentId: null });
  events.push(e('SeatReserved', { ...ref, reservedAt: '2030-01-01T10:00:00.000Z' }));
  t.match(project(seats, events).get('s1_2'), { status: 'RESERVED', paymentId: 'p1' });
  events.push(e('SeatReleased', { ...ref, reason: 'TIMEOUT', releasedAt: '2030-01-01T10:00:30.000Z' }));
  t.equal(project(seats, events).size, 0, 'released: AVAILABLE again, no document');
  const expired = [e('SeatHeld', held('r2', 1)), e('SeatHoldExpired', { reservationId: 'r2', scheduleId: 's1', seatNo: 1, userId: 'ana', expiredAt: '2030-01-01T10:05:00.000Z' })];
  t.equal(project(seats, expired).size, 0, 'expired: no document');
  const lateExpiry = [e('SeatHeld', held('r3', 1)), e('SeatHoldExpired', { reservationId: 'r2', scheduleId: 's1', seatNo: 1, userId: 'ana', expiredAt: '2030-01-01T10:05:00.000Z' })];
  t.match(project(seats, lateExpiry).get('s1_1'), { reservationId: 'r3' }, "another hold's expiry leaves the seat alone");
});

t.test('reservations: HELD, RESERVED, EXPIRED, RELEASED, with the payment as soon as it is requested', async (t) => {
  const e = history();
  const events = [e('SeatHeld', held('r1', 2))];
  t.match(project(reservations, events).get('r1'), { status: 'HELD', paymentId: null, price: 100, userId: 'ana' });
  events.push(e('PaymentRequested', { ...ref, requestedAt: '2030-01-01T10:00:00.000Z', deadlineAt: '2030-01-01T10:00:30.000Z' }));
  t.match(project(reservations, events).get('r1'), { status: 'HELD', paymentId: 'p1' });
  events.push(e('SeatReserved', { ...ref, reservedAt: '2030-01-01T10:00:01.000Z' }));
  t.match(project(reservations, events).get('r1'), { status: 'RESERVED', reservedAt: '2030-01-01T10:00:01.000Z' });
  events.push(e('SeatReleased', { ...ref, reason: 'TIMEOUT', releasedAt: '2030-01-01T10:00:30.000Z' }));
  t.match(project(reservations, events).get('r1'), { status: 'RELEASED', releasedAt: '2030-01-01T10:00:30.000Z' });
  const expired = project(reservations, [e('SeatHeld', held('r2', 1)), e('SeatHoldExpired', { reservationId: 'r2', scheduleId: 's1', seatNo: 1, userId: 'ana', expiredAt: '2030-01-01T10:05:00.000Z' })]);
  t.match(expired.get('r2'), { status: 'EXPIRED', expiredAt: '2030-01-01T10:05:00.000Z' });
});

t.test('a cancellation: the reservation RELEASED by its user, or CANCELLING then CANCELLED; its payment COMPLETED until REFUNDED', async (t) => {
  const e = history();
  const userReleased = project(reservations, [
    e('SeatHeld', { ...held('r2', 1), seatNos: [1, 3] }),
    e('SeatHoldReleased', { reservationId: 'r2', scheduleId: 's1', seatNo: 1, userId: 'ana', reason: 'USER', releasedAt: '2030-01-01T10:01:00.000Z' }),
  ]).get('r2');
  t.match(userReleased, { status: 'RELEASED', releaseReason: 'USER', releasedAt: '2030-01-01T10:01:00.000Z' }, 'a hold its user released says so');

  const two = { ...ref, amount: 200, seatNo: 2, seatNos: [2, 3] };
  const refund = { reason: 'USER', requestedAt: '2030-01-01T10:00:00.000Z', completedAt: '2030-01-01T10:00:01.000Z' };
  const paid = [
    e('SeatHeld', { ...held('r1', 2), seatNos: [2, 3] }),
    e('PaymentRequested', { ...two, requestedAt: '2030-01-01T10:00:00.000Z', deadlineAt: '2030-01-01T10:00:30.000Z' }),
    e('SeatReserved', { ...two, reservedAt: '2030-01-01T10:00:01.000Z' }),
    e('SeatReserved', { ...two, seatNo: 3, reservedAt: '2030-01-01T10:00:01.000Z' }),
    e('PaymentCompleted', { ...two, requestedAt: '2030-01-01T10:00:00.000Z', completedAt: '2030-01-01T10:00:01.000Z' }),
  ];
  const cancelling = [
    ...paid,
    e('RefundRequested', { ...two, ...refund, refundRequestedAt: '2030-01-01T10:02:00.000Z' }),
    e('SeatReleased', { ...two, reason: 'USER', releasedAt: '2030-01-01T10:02:00.000Z', refund: true }),
    e('SeatReleased', { ...two, seatNo: 3, reason: 'USER', releasedAt: '2030-01-01T10:02:00.000Z', refund: true }),
    e('PointsRefunded', { ...two, seatNo: 3, balanceAfter: 1_000, refundedAt: '2030-01-01T10:02:00.000Z' }),
  ];
  const cancelled = [...cancelling, e('PaymentRefunded', { ...two, ...refund, refundedAt: '2030-01-01T10:02:01.000Z' })];
  t.match(project(reservations, cancelling).get('r1'), { status: 'CANCELLING', cancelRequestedAt: '2030-01-01T10:02:00.000Z' }, 'its seats released on the way');
  t.match(project(reservations, cancelled).get('r1'), { status: 'CANCELLED', cancelledAt: '2030-01-01T10:02:01.000Z' });
  t.notOk(project(reservations, cancelled).get('r1')!.releaseReason, 'never RELEASED');
  t.match(project(userReservations, cancelling).get('r1'), { status: 'CANCELLING', updatedAt: '2030-01-01T10:02:00.000Z' });
  t.match(project(userReservations, cancelled).get('r1'), { status: 'CANCELLED', updatedAt: '2030-01-01T10:02:01.000Z' });
  t.match(project(payments, cancelling).get('p1'), { status: 'COMPLETED' }, 'COMPLETED while the refund runs');
  t.notOk('refundedAt' in project(payments, cancelling).get('p1')!);
  t.match(project(payments, cancelled).get('p1'), { status: 'REFUNDED', refundedAt: '2030-01-01T10:02:01.000Z', completedAt: '2030-01-01T10:00:01.000Z' });
  const refunds = [...project(pointHistory, cancelled).values()];
  t.match(refunds, [{ kind: 'REFUND', amount: 200, balanceAfter: 1_000, paymentId: 'p1' }], 'one REFUND movement');
  t.same(project(seats, cancelled).size, 0, 'its seats AVAILABLE');
});

t.test('payments: the first ending is the answer', async (t) => {
  const e = history();
  const requested = e('PaymentRequested', { ...ref, requestedAt: '2030-01-01T10:00:00.000Z', deadlineAt: '2030-01-01T10:00:30.000Z' });
  t.match(project(payments, [requested]).get('p1'), { status: 'PENDING', amount: 100, reason: null, completedAt: null });
  const failed = e('PaymentFailed', { ...ref, reason: 'TIMEOUT', requestedAt: '2030-01-01T10:00:00.000Z', failedAt: '2030-01-01T10:00:30.000Z' });
  const completed = e('PaymentCompleted', { ...ref, requestedAt: '2030-01-01T10:00:00.000Z', completedAt: '2030-01-01T10:00:31.000Z' });
  t.match(project(payments, [requested, failed, completed]).get('p1'), { status: 'FAILED', reason: 'TIMEOUT', failedAt: '2030-01-01T10:00:30.000Z', completedAt: null });
  t.match(project(payments, [requested, completed, failed]).get('p1'), { status: 'COMPLETED', completedAt: '2030-01-01T10:00:31.000Z', reason: null });
});

t.test('balances are set from balanceAfter, never summed', async (t) => {
  const e = history();
  const charged = e('PointsCharged', { userId: 'ana', chargeId: 'k', amount: 500, balanceAfter: 500, chargedAt: '2030-01-01T10:00:00.000Z' });
  const debited = e('PointsDebited', { ...ref, balanceAfter: 400, debitedAt: '2030-01-01T10:00:01.000Z' });
  const refunded = e('PointsRefunded', { ...ref, balanceAfter: 500, refundedAt: '2030-01-01T10:00:02.000Z' });
  t.same(project(balances, [charged, debited]).get('ana'), { id: 'ana', userId: 'ana', balance: 400, updatedAt: '2030-01-01T10:00:01.000Z' });
  t.match(project(balances, [charged, debited, refunded]).get('ana'), { balance: 500 });
  t.match(project(balances, [charged, debited, debited]).get('ana'), { balance: 400 }, 'a redelivered event changes nothing');
});

t.test('the sold-out ranking keeps one entry per schedule', async (t) => {
  const e = history();
  const soldOut = { scheduleId: 's1', concertId: 'c1', title: 'Gala', bookingOpenedAt: opened.bookingOpensAt, soldOutAt: '2030-01-01T11:00:00.000Z', durationMs: 7_200_000 };
  const docs = project(soldOutRanking, [e('ScheduleSoldOut', soldOut), e('ScheduleSoldOut', soldOut)]);
  t.same([...docs.values()], [{ id: 's1', ...soldOut }]);
});

t.test('deliveries: attempts, success, dead letters and redrives', async (t) => {
  const e = history();
  const payload = { paymentId: 'p1', reservationId: 'r1', userId: 'ana', concertId: 'c1', scheduleId: 's1', seatNo: 2, amount: 100, paidAt: '2030-01-01T10:00:00.000Z' };
  const events = [
    e('DeliveryScheduled', { paymentId: 'p1', payload, dueAt: '2030-01-01T10:00:00.000Z' }),
    e('DeliveryAttemptFailed', { paymentId: 'p1', attempt: 1, status: 503, error: 'HTTP 503', retryAt: '2030-01-01T10:00:01.000Z', payload }),
  ];
  t.match(project(deliveries, events).get('p1'), { status: 'PENDING', attempts: 1, dueAt: '2030-01-01T10:00:01.000Z', lastStatus: 503, lastError: 'HTTP 503' });
  events.push(e('DeliveryDeadLettered', { paymentId: 'p1', attempts: 2, status: 400, error: 'HTTP 400', deadLetteredAt: '2030-01-01T10:00:01.000Z' }));
  t.match(project(deliveries, events).get('p1'), { status: 'DEAD_LETTERED', attempts: 2, dueAt: null, deadLetteredAt: '2030-01-01T10:00:01.000Z' });
  events.push(e('DeliveryRedriven', { paymentId: 'p1', redrivenAt: '2030-01-01T11:00:00.000Z', dueAt: '2030-01-01T11:00:00.000Z', payload }));
  events.push(e('DeliverySucceeded', { paymentId: 'p1', attempt: 1, status: 201, deliveredAt: '2030-01-01T11:00:00.000Z' }));
  t.match(project(deliveries, events).get('p1'), { status: 'SUCCEEDED', attempts: 1, redrives: 1, lastError: null, deliveredAt: '2030-01-01T11:00:00.000Z' });
});

t.test('deliveries: a cancellation is a document of its own, WAITING until its reservation ends', async (t) => {
  const e = history();
  const payload = { paymentId: 'p1', reservationId: 'r1', userId: 'ana', concertId: 'c1', scheduleId: 's1', seatNo: 2, amount: 100, paidAt: '2030-01-01T10:00:00.000Z' };
  const cancellation = { paymentId: 'p1', reservationId: 'r1', userId: 'ana', scheduleId: 's1', seatNos: [2], amount: 100, refundedAt: '2030-01-01T10:05:00.000Z', reason: 'USER' };
  const events = [
    e('DeliveryScheduled', { paymentId: 'p1', payload, dueAt: '2030-01-01T10:00:00.000Z' }),
    e('CancellationDeferred', { paymentId: 'p1', payload: cancellation, deferredAt: '2030-01-01T10:05:00.000Z' }),
  ];
  const reservationDoc = project(deliveries, events).get('p1');
  t.same(project(deliveries, events).get('cancel-p1'), {
    id: 'cancel-p1',
    paymentId: 'p1',
    kind: 'cancellation',
    status: 'WAITING',
    attempts: 0,
    dueAt: null,
    lastStatus: null,
    lastError: null,
    scheduledAt: '2030-01-01T10:05:00.000Z',
    deliveredAt: null,
    deadLetteredAt: null,
    redrives: 0,
  });
  events.push(
    e('DeliverySucceeded', { paymentId: 'p1', attempt: 1, status: 201, deliveredAt: '2030-01-01T10:06:00.000Z' }),
    e('DeliveryScheduled', { paymentId: 'p1', kind: 'cancellation', payload: cancellation, dueAt: '2030-01-01T10:06:00.000Z' }),
  );
  t.match(project(deliveries, events).get('cancel-p1'), { status: 'PENDING', dueAt: '2030-01-01T10:06:00.000Z', scheduledAt: '2030-01-01T10:05:00.000Z' }, 'due once the reservation succeeded');
  events.push(
    e('DeliveryAttemptFailed', { paymentId: 'p1', kind: 'cancellation', attempt: 1, status: 503, error: 'HTTP 503', retryAt: '2030-01-01T10:06:01.000Z', payload: cancellation }),
    e('DeliveryDeadLettered', { paymentId: 'p1', kind: 'cancellation', attempts: 2, status: 422, error: 'HTTP 422', deadLetteredAt: '2030-01-01T10:06:01.000Z' }),
  );
  const docs = project(deliveries, events);
  t.match(docs.get('cancel-p1'), { kind: 'cancellation', status: 'DEAD_LETTERED', attempts: 2, lastStatus: 422, deadLetteredAt: '2030-01-01T10:06:01.000Z' });
  t.same(docs.get('p1'), { ...reservationDoc, status: 'SUCCEEDED', attempts: 1, dueAt: null, lastStatus: 201, deliveredAt: '2030-01-01T10:06:00.000Z' }, "the reservation's document as before, untouched by its cancellation");
  t.notOk('kind' in docs.get('p1')!, 'and with no kind');
});

t.test('saga traces gather one payment across streams and leave other sagas out', async (t) => {
  const e = history();
  const paymentId = paymentIdFor('r1');
  const mine = { ...ref, paymentId, reservationId: 'r1' };
  const events = [
    e('SeatHeld', held('r1', 2), {}, 'seat-s1_2'),
    e('PaymentRequested', { ...mine, requestedAt: '2030-01-01T10:00:00.000Z', deadlineAt: '2030-01-01T10:00:30.000Z' }, { correlationId: paymentId }, `payment-${paymentId}`),
    e('SeatReserved', { ...mine, reservedAt: '2030-01-01T10:00:00.000Z' }, { correlationId: paymentId, causationId: 'event-2' }, 'seat-s1_2'),
    e('PaymentRequested', { ...ref, paymentId: 'other', requestedAt: '2030-01-01T10:00:00.000Z', deadlineAt: '2030-01-01T10:00:30.000Z' }, { correlationId: 'other' }),
    e('QueueTokenExpired', { tokenId: 't1', userId: 'ana', expiredAt: '2030-01-01T10:00:00.000Z', reason: 'TTL' }, { correlationId: paymentId }),
    e('QueueTokenExpired', { tokenId: 't2', userId: 'ana', expiredAt: '2030-01-01T10:00:00.000Z', reason: 'PAYMENT_COMPLETED' }, { correlationId: paymentId, causationId: 'event-3' }, 'queue-ana'),
    e('ScheduleSoldOut', { scheduleId: 's1' }, { correlationId: 'c1' }),
  ];
  events.push(events[2]!);
  const docs = project(sagaTraces, events);
  const trace = docs.get(paymentId)!;
  t.equal(trace.requested, true);
  t.same(trace.events.map((x) => [x.type, x.position, x.causationId]), [
    ['SeatHeld', '1', null],
    ['PaymentRequested', '2', null],
    ['SeatReserved', '3', 'event-2'],
    ['QueueTokenExpired', '6', 'event-3'],
  ], 'in order, once each; a TTL expiry is no saga event');
  t.notOk(docs.has('c1'), 'a correlation id that is no saga makes no trace');
  t.equal(project(sagaTraces, [events[0]!]).get(paymentId)?.requested, false, 'a hold alone is not yet a payment');
});

t.test('rebuilding every read model from position 0 gives the documents the live projections wrote', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const scheduleId = (await api.registerConcert({ schedules: [{ startsAt: '2030-06-01T19:00:00.000Z', seatCount: 2, price: 100 }] })).schedules[0]!.scheduleId;
  const schedule = { concertId: '', scheduleId, price: 100 };
  const docs = await system.reads.collection<ScheduleDoc>(schedules.collection);
  schedule.concertId = (await docs.get(scheduleId))!.concertId;
  await system.charge('ana', 500);
  await system.charge('ben', 50);
  await system.holdAndPay(schedule, 'ana', 1);
  await system.holdAndPay(schedule, 'ben', 2);
  await api.settle();
  await system.charge('ben', 100);
  await system.holdAndPay(schedule, 'ben', 2);
  const token = await api.activeToken('cy');
  system.clock.advance(system.config.holdTtlMs);
  await api.settle();
  t.equal((await api.inject({ method: 'GET', url: '/queue/tokens/current', headers: { 'queue-token': token } })).statusCode, 200);

  await api.readSide.stop();
  for (const projection of readModels) {
    const collection = await system.reads.collection(projection.collection);
    const live = await collection.find();
    const liveCheckpoint = await system.reads.checkpoint(projection.name);
    await rebuild(system.store, system.reads, projection);
    const rebuilt = await collection.find();
    t.ok(live.length > 0, `${projection.name} had documents to compare`);
    t.same(rebuilt, live, `${projection.name}: the same ${live.length} documents after a rebuild`);
    t.equal(await system.reads.checkpoint(projection.name), liveCheckpoint, `${projection.name}: the same checkpoint`);
  }
});
