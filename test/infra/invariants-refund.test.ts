import t from 'tap';
import { openTestStores } from '../support/stores.js';
import { checkInvariants } from '../../infra/invariants.js';
import type { EventStore } from '../../infra/eventstore/port.js';

const at = '2030-01-01T10:00:00.000Z';
const ref = { paymentId: 'p-1', reservationId: 'r-1', userId: 'ana', concertId: 'c', scheduleId: 's', seatNo: 1, amount: 100 };
const times = { requestedAt: at, completedAt: at };

/** A paid single-seat reservation, written by hand: the seat, the points, the payment. */
async function paid(store: EventStore) {
  await store.append('seat-s_1', [
    { type: 'SeatHeld', data: { reservationId: 'r-1', scheduleId: 's', seatNo: 1, userId: 'ana', price: 100, heldAt: at, expiresAt: '2030-01-01T10:05:00.000Z' } },
    { type: 'SeatReserved', data: { ...ref, reservedAt: at } },
  ]);
  await store.append('points-ana', [
    { type: 'PointsCharged', data: { userId: 'ana', chargeId: 'k', amount: 100, balanceAfter: 100, chargedAt: at } },
    { type: 'PointsDebited', data: { ...ref, balanceAfter: 0, debitedAt: at } },
  ]);
  await store.append('payment-p-1', [
    { type: 'PaymentRequested', data: { ...ref, requestedAt: at, deadlineAt: '2030-01-01T10:00:30.000Z' } },
    { type: 'PaymentCompleted', data: { ...ref, ...times } },
    { type: 'RefundRequested', data: { ...ref, ...times, reason: 'USER', refundRequestedAt: at } },
  ]);
}

const refunded = { type: 'PaymentRefunded', data: { ...ref, ...times, reason: 'USER', refundedAt: at } };
const seven = async (store: EventStore) => (await checkInvariants(store, { now: new Date(at) })).find((result) => result.id === 7);

t.test('invariant 7 holds for a refund done in order: the seat released, the points back, then REFUNDED', async (t) => {
  const { events: store } = await openTestStores(t);
  await paid(store);
  t.match(await seven(store), { ok: true, counts: { refunded: 0 } }, 'under way: not yet looked at');
  await store.append('seat-s_1', [{ type: 'SeatReleased', data: { ...ref, reason: 'USER', releasedAt: at, refund: true } }]);
  await store.append('points-ana', [{ type: 'PointsRefunded', data: { ...ref, balanceAfter: 100, refundedAt: at } }]);
  await store.append('payment-p-1', [refunded]);
  t.match(await seven(store), { ok: true, counts: { refunded: 1 } });
  const results = await checkInvariants(store, { now: new Date(at) });
  // 5 and 7's data-platform half need deliveries, which this log has none of.
  const needDelivery = (result: { id: number; name: string }) => result.id === 5 || result.name.startsWith('the data platform');
  t.same(results.filter((result) => !result.ok && !needDelivery(result)).map((result) => result.id), [], 'and the others accept a REFUNDED payment');
});

t.test('invariant 7 fails for a REFUNDED payment whose seat stays reserved or whose points never came back', async (t) => {
  const { events: store } = await openTestStores(t);
  await paid(store);
  await store.append('payment-p-1', [refunded]);
  const result = await seven(store);
  t.equal(result?.ok, false);
  t.same(result?.violations, ['REFUNDED p-1: 1 debits, 0 refunds, net 100', 'REFUNDED p-1 still holds seat s#1']);
});
