import t, { type Test } from 'tap';
import { join } from 'node:path';
import { SqliteEventStore } from '../../infra/eventstore/sqlite.js';
import { checkInvariants, type CheckOptions } from '../../infra/invariants.js';
import type { CancellationPayload, DeliveryEvent, DeliveryPayload } from '../../domains/dataplatform/events.js';
import type { PaymentRefunded } from '../../domains/payment/events.js';

/**
 * Invariant 7's data-platform half catches what it must: logs written by
 * hand (no decider would write the broken ones), checked as the tests and
 * the CLI check a real store.
 */

const at = '2030-01-01T10:00:00.000Z';
const reservation = (paymentId: string): DeliveryPayload => ({
  paymentId,
  reservationId: `r-${paymentId}`,
  userId: 'ana',
  concertId: 'c1',
  scheduleId: 's1',
  seatNo: 1,
  amount: 100,
  paidAt: at,
});
const cancellation = (paymentId: string): CancellationPayload => ({
  paymentId,
  reservationId: `r-${paymentId}`,
  userId: 'ana',
  scheduleId: 's1',
  seatNos: [1],
  amount: 100,
  refundedAt: at,
  reason: 'USER',
});
const refunded = (paymentId: string): PaymentRefunded => {
  const { paidAt: _, ...ref } = reservation(paymentId);
  return { type: 'PaymentRefunded', data: { ...ref, reason: 'USER', requestedAt: at, completedAt: at, refundedAt: at } };
};
const scheduled = (paymentId: string): DeliveryEvent => ({ type: 'DeliveryScheduled', data: { paymentId, payload: reservation(paymentId), dueAt: at } });
const succeeded = (paymentId: string): DeliveryEvent => ({ type: 'DeliverySucceeded', data: { paymentId, attempt: 1, status: 201, deliveredAt: at } });
const deferred = (paymentId: string): DeliveryEvent => ({ type: 'CancellationDeferred', data: { paymentId, payload: cancellation(paymentId), deferredAt: at } });
const cancellationDue = (paymentId: string): DeliveryEvent => ({
  type: 'DeliveryScheduled',
  data: { paymentId, kind: 'cancellation', payload: cancellation(paymentId), dueAt: at },
});
const cancellationSucceeded = (paymentId: string): DeliveryEvent => ({
  type: 'DeliverySucceeded',
  data: { paymentId, attempt: 1, status: 201, deliveredAt: at, kind: 'cancellation' },
});

async function invariant7(t: Test, log: Array<[string, Array<DeliveryEvent | PaymentRefunded>]>, options: Partial<CheckOptions> = {}) {
  const store = new SqliteEventStore({ file: join(t.testdir(), 'events.db') });
  t.teardown(() => store.close());
  for (const [streamId, events] of log) await store.append(streamId, events);
  const results = await checkInvariants(store, { now: new Date(at), ...options });
  const seven = results.find((r) => r.id === 7 && r.name.includes('data platform'));
  if (!seven) throw new Error('no invariant 7 in the results');
  t.equal(results.find((r) => r.id === 5)?.ok, true, "the cancellation's events are not taken for the reservation's (invariant 5)");
  return seven;
}

t.test('holds for a cancellation that waited for its reservation, then went once', async (t) => {
  const result = await invariant7(
    t,
    [
      ['payment-p1', [refunded('p1')]],
      ['delivery-p1', [scheduled('p1'), deferred('p1'), succeeded('p1'), cancellationDue('p1'), cancellationSucceeded('p1')]],
    ],
    { receivedCancellations: [{ paymentId: 'p1', effects: 1, afterReservation: true }] },
  );
  t.same(result, { ...result, ok: true, counts: { refunded: 1, cancelled: 1, deadLettered: 0 }, violations: [] });
});

t.test('a refunded payment whose cancellation never ended, or never began', async (t) => {
  const result = await invariant7(t, [
    ['payment-p1', [refunded('p1')]],
    ['payment-p2', [refunded('p2')]],
    ['delivery-p1', [scheduled('p1'), deferred('p1')]],
  ]);
  t.equal(result.ok, false);
  t.same(result.violations, ['REFUNDED p1: cancellation WAITING', 'REFUNDED p2: cancellation never scheduled']);
});

t.test('a cancellation due before its reservation ended, and a reservation redriven after its cancellation', async (t) => {
  const redriven: DeliveryEvent = { type: 'DeliveryRedriven', data: { paymentId: 'p1', redrivenAt: at, dueAt: at, payload: reservation('p1') } };
  const result = await invariant7(t, [
    ['payment-p1', [refunded('p1')]],
    ['delivery-p1', [scheduled('p1'), cancellationDue('p1'), cancellationSucceeded('p1'), redriven]],
  ]);
  t.same(result.violations, [
    "delivery-p1@1: cancellation due while the reservation's delivery is PENDING",
    "delivery-p1@3: the reservation's DeliveryRedriven after its cancellation was due",
  ]);
});

t.test('a cancellation attempted while it waited, and one for a payment never refunded', async (t) => {
  const result = await invariant7(t, [
    ['payment-p1', [refunded('p1')]],
    ['delivery-p1', [scheduled('p1'), deferred('p1'), cancellationSucceeded('p1')]],
    ['delivery-p2', [scheduled('p2'), succeeded('p2'), cancellationDue('p2'), cancellationSucceeded('p2')]],
  ]);
  t.same(result.violations, ['delivery-p1@2: cancellation DeliverySucceeded while WAITING', 'p2: a cancellation for a payment never refunded']);
});

t.test("the receiver's records: one effect per succeeded cancellation, after the reservation, of refunded payments only", async (t) => {
  const done = (id: string): Array<[string, Array<DeliveryEvent | PaymentRefunded>]> => [
    [`payment-${id}`, [refunded(id)]],
    [`delivery-${id}`, [scheduled(id), succeeded(id), cancellationDue(id), cancellationSucceeded(id)]],
  ];
  const result = await invariant7(t, [...done('p1'), ...done('p2'), ...done('p3')], {
    receivedCancellations: [
      { paymentId: 'p1', effects: 1, afterReservation: false },
      { paymentId: 'p2', effects: 2, afterReservation: true },
      { paymentId: 'p4', effects: 1, afterReservation: true },
    ],
  });
  t.same(result.violations, [
    'the receiver took the cancellation of p1 before its reservation',
    'the receiver has a cancellation of p4, which is not a REFUNDED payment',
    'p2: the receiver kept 2 cancellations',
    'p3: cancellation SUCCEEDED but the receiver kept none',
  ]);
});
