import t from 'tap';
import { fold } from '../../../bus/decider.js';
import type { DeliveryPolicy } from '../../../domains/dataplatform/commands.js';
import { delivery, deliveryStream } from '../../../domains/dataplatform/delivery.js';
import type { CancellationPayload, DeliveryEvent, DeliveryPayload } from '../../../domains/dataplatform/events.js';
import type { DeliveryOutcome } from '../../../domains/dataplatform/outcome.js';
import { given } from '../../support/given.js';

const payload: DeliveryPayload = {
  paymentId: 'pay-1',
  reservationId: 'res-1',
  userId: 'u-1',
  concertId: 'c-1',
  scheduleId: 's-1',
  seatNo: 7,
  amount: 3000,
  paidAt: '2030-01-01T10:00:00.000Z',
};
const policy: DeliveryPolicy = { maxAttempts: 3, baseMs: 1000, maxMs: 60_000 };
const t0 = '2030-01-01T10:00:00.000Z';
const t1 = '2030-01-01T10:00:01.000Z';
const t2 = '2030-01-01T10:00:05.000Z';

const scheduled: DeliveryEvent = { type: 'DeliveryScheduled', data: { paymentId: 'pay-1', payload, dueAt: t0 } };
const failed = (attempt: number, retryAt: string, status: number | null = 503): DeliveryEvent => ({
  type: 'DeliveryAttemptFailed',
  data: { paymentId: 'pay-1', attempt, status, error: `HTTP ${status}`, retryAt, payload },
});
const deadLettered = (attempts: number, status: number | null, error: string, at = t2): DeliveryEvent => ({
  type: 'DeliveryDeadLettered',
  data: { paymentId: 'pay-1', attempts, status, error, deadLetteredAt: at },
});
const redriven: DeliveryEvent = { type: 'DeliveryRedriven', data: { paymentId: 'pay-1', redrivenAt: t2, dueAt: t2, payload } };
const record = (attempt: number, outcome: DeliveryOutcome, now = t1, jitter = 0) =>
  ({ type: 'RecordAttempt', data: { attempt, outcome, now, jitter, policy } }) as const;

t.test('stream and category', async (t) => {
  t.equal(delivery.category, 'delivery');
  t.equal(deliveryStream('pay-9'), 'delivery-pay-9');
});

t.test('Schedule', async (t) => {
  t.test('once per payment', async (t) => {
    given(t, delivery, []).when({ type: 'Schedule', data: { payload, dueAt: t0 } }).then([scheduled]);
    given(t, delivery, [scheduled]).when({ type: 'Schedule', data: { payload, dueAt: t1 } }).thenNothing();
    given(t, delivery, [scheduled, deadLettered(1, 400, 'HTTP 400')])
      .when({ type: 'Schedule', data: { payload, dueAt: t1 } })
      .thenNothing('not even after a dead letter: that is what redrive is for');
  });
});

t.test('RecordAttempt', async (t) => {
  t.test('a 2xx succeeds', async (t) => {
    given(t, delivery, [scheduled])
      .when(record(1, { ok: true, status: 201 }))
      .then([{ type: 'DeliverySucceeded', data: { paymentId: 'pay-1', attempt: 1, status: 201, deliveredAt: t1 } }]);
  });

  t.test('a later attempt can succeed', async (t) => {
    given(t, delivery, [scheduled, failed(1, t1)])
      .when(record(2, { ok: true, status: 200 }, t2))
      .then([{ type: 'DeliverySucceeded', data: { paymentId: 'pay-1', attempt: 2, status: 200, deliveredAt: t2 } }]);
  });

  for (const status of [500, 502, 503, 504, 408, 429, null]) {
    t.test(`${status ?? 'no answer'} is retried after the backoff`, async (t) => {
      given(t, delivery, [scheduled])
        .when(record(1, { ok: false, status, error: 'boom' }, t1, 0))
        .then([
          {
            type: 'DeliveryAttemptFailed',
            data: { paymentId: 'pay-1', attempt: 1, status, error: 'boom', retryAt: '2030-01-01T10:00:01.500Z', payload },
          },
        ]);
    });
  }

  t.test('the wait grows with the attempt and carries the jitter', async (t) => {
    given(t, delivery, [scheduled, failed(1, t1)])
      .when(record(2, { ok: false, status: 503, error: 'HTTP 503' }, t1, 0.5))
      .then([
        // attempt 2: cap 2000 ms, equal jitter 0.5 → 1000 + 500
        { type: 'DeliveryAttemptFailed', data: { paymentId: 'pay-1', attempt: 2, status: 503, error: 'HTTP 503', retryAt: '2030-01-01T10:00:02.500Z', payload } },
      ]);
  });

  for (const status of [400, 401, 403, 404, 409, 422]) {
    t.test(`${status} is dead-lettered at once`, async (t) => {
      given(t, delivery, [scheduled])
        .when(record(1, { ok: false, status, error: `HTTP ${status}` }))
        .then([deadLettered(1, status, `HTTP ${status}`, t1)]);
    });
  }

  t.test('the last allowed attempt failing is dead-lettered, with its error', async (t) => {
    given(t, delivery, [scheduled, failed(1, t1), failed(2, t1)])
      .when(record(3, { ok: false, status: null, error: 'ECONNREFUSED' }, t2))
      .then([deadLettered(3, null, 'ECONNREFUSED', t2)]);
  });

  t.test('a duplicate firing of an attempt already recorded changes nothing', async (t) => {
    given(t, delivery, [scheduled, failed(1, t1)]).when(record(1, { ok: true, status: 200 })).thenNothing();
  });

  t.test('an attempt from the future (skipping one) changes nothing', async (t) => {
    given(t, delivery, [scheduled]).when(record(2, { ok: true, status: 200 })).thenNothing();
  });

  t.test('a succeeded delivery takes no more outcomes', async (t) => {
    const succeeded: DeliveryEvent = { type: 'DeliverySucceeded', data: { paymentId: 'pay-1', attempt: 1, status: 200, deliveredAt: t1 } };
    given(t, delivery, [scheduled, succeeded]).when(record(2, { ok: false, status: 503, error: 'x' })).thenNothing();
  });

  t.test('a dead letter takes no more outcomes until redriven', async (t) => {
    given(t, delivery, [scheduled, deadLettered(1, 400, 'HTTP 400')]).when(record(2, { ok: true, status: 200 })).thenNothing();
  });

  t.test('an unknown delivery takes no outcome', async (t) => {
    given(t, delivery, []).when(record(1, { ok: true, status: 200 })).thenNothing();
  });

  t.test('maxAttempts 1 dead-letters the first retryable failure', async (t) => {
    given(t, delivery, [scheduled])
      .when({ type: 'RecordAttempt', data: { attempt: 1, outcome: { ok: false, status: 503, error: 'x' }, now: t1, jitter: 0, policy: { ...policy, maxAttempts: 1 } } })
      .then([deadLettered(1, 503, 'x', t1)]);
  });

  for (const maxAttempts of [0, -1, 2.5]) {
    t.test(`rejects maxAttempts ${maxAttempts}`, async (t) => {
      given(t, delivery, [scheduled])
        .when({ type: 'RecordAttempt', data: { attempt: 1, outcome: { ok: true, status: 200 }, now: t1, jitter: 0, policy: { ...policy, maxAttempts } } })
        .rejects('INVALID_POLICY');
    });
  }
});

t.test('Redrive', async (t) => {
  t.test('a dead letter starts a new round, due now', async (t) => {
    given(t, delivery, [scheduled, deadLettered(1, 400, 'HTTP 400')]).when({ type: 'Redrive', data: { now: t2 } }).then([redriven]);
  });

  t.test('attempts count from one again', async (t) => {
    given(t, delivery, [scheduled, failed(1, t1), failed(2, t1), deadLettered(3, 503, 'HTTP 503'), redriven])
      .when(record(1, { ok: true, status: 200 }, t2))
      .then([{ type: 'DeliverySucceeded', data: { paymentId: 'pay-1', attempt: 1, status: 200, deliveredAt: t2 } }]);
  });

  t.test('a pending delivery is not dead-lettered: conflict', async (t) => {
    given(t, delivery, [scheduled]).when({ type: 'Redrive', data: { now: t2 } }).rejects('NOT_DEAD_LETTERED');
    given(t, delivery, [scheduled, deadLettered(1, 400, 'x'), redriven]).when({ type: 'Redrive', data: { now: t2 } }).rejects('NOT_DEAD_LETTERED');
  });

  t.test('a succeeded delivery is not dead-lettered', async (t) => {
    const succeeded: DeliveryEvent = { type: 'DeliverySucceeded', data: { paymentId: 'pay-1', attempt: 1, status: 200, deliveredAt: t1 } };
    given(t, delivery, [scheduled, succeeded]).when({ type: 'Redrive', data: { now: t2 } }).rejects('NOT_DEAD_LETTERED');
  });

  t.test('an unknown delivery is not found', async (t) => {
    given(t, delivery, []).when({ type: 'Redrive', data: { now: t2 } }).rejects('DELIVERY_NOT_FOUND');
  });
});

t.test('evolve', async (t) => {
  t.same(fold(delivery, [scheduled, failed(1, t1, 429)]).delivery, {
    paymentId: 'pay-1',
    payload,
    status: 'PENDING',
    attempts: 1,
    dueAt: t1,
    lastStatus: 429,
    lastError: 'HTTP 429',
  });
  t.same(fold(delivery, [scheduled, deadLettered(1, 404, 'HTTP 404')]).delivery?.status, 'DEAD_LETTERED');
  const again = fold(delivery, [scheduled, deadLettered(1, 404, 'HTTP 404'), redriven]).delivery;
  t.same([again?.status, again?.attempts, again?.dueAt], ['PENDING', 0, t2]);
});

t.test('cancellations', async (t) => {
  const cancellation: CancellationPayload = {
    paymentId: 'pay-1',
    reservationId: 'res-1',
    userId: 'u-1',
    scheduleId: 's-1',
    seatNos: [7, 8],
    amount: 3000,
    refundedAt: t1,
    reason: 'USER',
  };
  const scheduleCancellation = { type: 'ScheduleCancellation', data: { payload: cancellation, dueAt: t1 } } as const;
  const succeeded = (attempt = 1, at = t1): DeliveryEvent => ({ type: 'DeliverySucceeded', data: { paymentId: 'pay-1', attempt, status: 201, deliveredAt: at } });
  const cancellationSucceeded = (at = t2): DeliveryEvent => ({
    type: 'DeliverySucceeded',
    data: { paymentId: 'pay-1', attempt: 1, status: 201, deliveredAt: at, kind: 'cancellation' },
  });
  const deferred: DeliveryEvent = { type: 'CancellationDeferred', data: { paymentId: 'pay-1', payload: cancellation, deferredAt: t1 } };
  const due = (at: string): DeliveryEvent => ({ type: 'DeliveryScheduled', data: { paymentId: 'pay-1', kind: 'cancellation', payload: cancellation, dueAt: at } });
  const recordCancellation = (attempt: number, outcome: DeliveryOutcome, now = t2, jitter = 0) =>
    ({ type: 'RecordAttempt', data: { attempt, outcome, now, jitter, policy, kind: 'cancellation' } }) as const;
  const cancellationFailed = (attempt: number, retryAt: string, status: number | null = 503): DeliveryEvent => ({
    type: 'DeliveryAttemptFailed',
    data: { paymentId: 'pay-1', attempt, status, error: `HTTP ${status}`, retryAt, kind: 'cancellation', payload: cancellation },
  });
  const cancellationDead = (attempts: number, status: number | null, error: string, at = t2): DeliveryEvent => ({
    type: 'DeliveryDeadLettered',
    data: { paymentId: 'pay-1', attempts, status, error, deadLetteredAt: at, kind: 'cancellation' },
  });

  t.test('scheduled after the reservation succeeded: due at once', async (t) => {
    given(t, delivery, [scheduled, succeeded()]).when(scheduleCancellation).then([due(t1)]);
  });

  t.test('scheduled after the reservation was dead-lettered: due at once', async (t) => {
    given(t, delivery, [scheduled, deadLettered(1, 400, 'HTTP 400')]).when(scheduleCancellation).then([due(t1)]);
  });

  t.test('scheduled while the reservation is pending: it waits', async (t) => {
    given(t, delivery, [scheduled]).when(scheduleCancellation).then([deferred]);
    given(t, delivery, [scheduled, failed(1, t1)]).when(scheduleCancellation).then([deferred], 'retrying is still pending');
    given(t, delivery, [scheduled, deadLettered(1, 400, 'x'), redriven]).when(scheduleCancellation).then([deferred], 'a redriven reservation is pending again');
  });

  t.test('scheduled before the reservation was even scheduled: it waits, and the reservation is scheduled as usual', async (t) => {
    given(t, delivery, []).when(scheduleCancellation).then([deferred]);
    given(t, delivery, [deferred]).when({ type: 'Schedule', data: { payload, dueAt: t0 } }).then([scheduled]);
  });

  t.test('a waiting cancellation becomes due when the reservation succeeds, in the same decision', async (t) => {
    given(t, delivery, [scheduled, deferred])
      .when(record(1, { ok: true, status: 201 }, t2))
      .then([succeeded(1, t2), due(t2)]);
  });

  t.test('a waiting cancellation becomes due when the reservation is dead-lettered', async (t) => {
    given(t, delivery, [scheduled, failed(1, t1), deferred])
      .when(record(2, { ok: false, status: 400, error: 'HTTP 400' }, t2))
      .then([deadLettered(2, 400, 'HTTP 400', t2), due(t2)]);
    given(t, delivery, [scheduled, failed(1, t1), failed(2, t1), deferred])
      .when(record(3, { ok: false, status: 503, error: 'HTTP 503' }, t2))
      .then([deadLettered(3, 503, 'HTTP 503', t2), due(t2)], 'out of attempts too');
  });

  t.test("a waiting cancellation stays waiting through the reservation's retries", async (t) => {
    given(t, delivery, [scheduled, deferred])
      .when(record(1, { ok: false, status: 503, error: 'HTTP 503' }, t1))
      .then([failed(1, '2030-01-01T10:00:01.500Z')]);
  });

  t.test('a redelivered schedule changes nothing, waiting or due or sent', async (t) => {
    given(t, delivery, [scheduled, deferred]).when(scheduleCancellation).thenNothing();
    given(t, delivery, [scheduled, succeeded(), due(t1)]).when(scheduleCancellation).thenNothing();
    given(t, delivery, [scheduled, deferred, succeeded(1, t2), due(t2)]).when(scheduleCancellation).thenNothing();
    given(t, delivery, [scheduled, succeeded(), due(t1), cancellationSucceeded()])
      .when(scheduleCancellation)
      .thenNothing();
  });

  t.test('a waiting cancellation takes no attempt', async (t) => {
    given(t, delivery, [scheduled, deferred]).when(recordCancellation(1, { ok: true, status: 201 })).thenNothing();
  });

  t.test('its attempts: success, retry with backoff, dead letter, like a reservation', async (t) => {
    const sent = [scheduled, succeeded(), due(t1)];
    given(t, delivery, sent)
      .when(recordCancellation(1, { ok: true, status: 201 }))
      .then([cancellationSucceeded()]);
    given(t, delivery, sent)
      .when(recordCancellation(1, { ok: false, status: 503, error: 'HTTP 503' }, t2, 0))
      .then([cancellationFailed(1, '2030-01-01T10:00:05.500Z')]);
    given(t, delivery, [...sent, cancellationFailed(1, t2)])
      .when(recordCancellation(2, { ok: false, status: null, error: 'ECONNREFUSED' }, t2, 0.5))
      .then([
        {
          type: 'DeliveryAttemptFailed',
          data: { paymentId: 'pay-1', attempt: 2, status: null, error: 'ECONNREFUSED', retryAt: '2030-01-01T10:00:06.500Z', kind: 'cancellation', payload: cancellation },
        },
      ]);
    given(t, delivery, sent).when(recordCancellation(1, { ok: false, status: 422, error: 'HTTP 422' })).then([cancellationDead(1, 422, 'HTTP 422')]);
    given(t, delivery, [...sent, cancellationFailed(1, t2), cancellationFailed(2, t2)])
      .when(recordCancellation(3, { ok: false, status: 503, error: 'HTTP 503' }))
      .then([cancellationDead(3, 503, 'HTTP 503')], 'the last allowed attempt');
    given(t, delivery, [...sent, cancellationFailed(1, t2)]).when(recordCancellation(1, { ok: true, status: 200 })).thenNothing('a duplicate firing');
  });

  t.test("the two messages' attempts are counted apart", async (t) => {
    given(t, delivery, [scheduled, failed(1, t1), failed(2, t1), deadLettered(3, 503, 'x'), due(t2)])
      .when(recordCancellation(1, { ok: true, status: 201 }))
      .then([cancellationSucceeded()]);
    given(t, delivery, [scheduled, succeeded(), due(t1)])
      .when(record(2, { ok: true, status: 200 }))
      .thenNothing("a reservation's outcome never lands on the cancellation");
  });

  t.test('redrive: the reservation is refused once its cancellation is under way or sent', async (t) => {
    const dead = [scheduled, deadLettered(1, 400, 'HTTP 400'), due(t2)];
    given(t, delivery, dead).when({ type: 'Redrive', data: { now: t2 } }).rejects('CANCELLATION_SENT', 'pending cancellation');
    given(t, delivery, [...dead, cancellationSucceeded()])
      .when({ type: 'Redrive', data: { now: t2, kind: 'reservation' } })
      .rejects('CANCELLATION_SENT', 'sent cancellation');
    given(t, delivery, [...dead, cancellationDead(1, 422, 'HTTP 422')])
      .when({ type: 'Redrive', data: { now: t2, kind: 'reservation' } })
      .rejects('CANCELLATION_SENT', 'even with the cancellation dead-lettered too');
  });

  t.test("redrive: a payment's dead-lettered cancellation is its dead letter", async (t) => {
    const redrivenCancellation: DeliveryEvent = {
      type: 'DeliveryRedriven',
      data: { paymentId: 'pay-1', kind: 'cancellation', redrivenAt: t2, dueAt: t2, payload: cancellation },
    };
    const dead = [scheduled, succeeded(), due(t1), cancellationDead(1, 422, 'HTTP 422')];
    given(t, delivery, dead).when({ type: 'Redrive', data: { now: t2 } }).then([redrivenCancellation]);
    given(t, delivery, dead).when({ type: 'Redrive', data: { now: t2, kind: 'cancellation' } }).then([redrivenCancellation]);
    given(t, delivery, [scheduled, deadLettered(1, 400, 'x'), due(t2), cancellationDead(1, 422, 'HTTP 422')])
      .when({ type: 'Redrive', data: { now: t2 } })
      .then([redrivenCancellation], 'the cancellation, not the reservation, when both are dead');
    given(t, delivery, [...dead, redrivenCancellation])
      .when(recordCancellation(1, { ok: true, status: 201 }))
      .then([cancellationSucceeded()], 'a new round from attempt 1');
    given(t, delivery, [...dead, redrivenCancellation]).when({ type: 'Redrive', data: { now: t2 } }).rejects('NOT_DEAD_LETTERED', 'a second redrive');
    given(t, delivery, [scheduled, succeeded(), due(t1)]).when({ type: 'Redrive', data: { now: t2, kind: 'cancellation' } }).rejects('NOT_DEAD_LETTERED');
    given(t, delivery, [scheduled, succeeded()]).when({ type: 'Redrive', data: { now: t2, kind: 'cancellation' } }).rejects('CANCELLATION_NOT_FOUND');
  });

  t.test('evolve', async (t) => {
    t.same(fold(delivery, [scheduled, deferred]).cancellation, {
      paymentId: 'pay-1',
      payload: cancellation,
      status: 'WAITING',
      attempts: 0,
      dueAt: null,
      lastStatus: null,
      lastError: null,
    });
    const state = fold(delivery, [scheduled, deferred, succeeded(1, t2), due(t2), cancellationFailed(1, t2, 429)]);
    t.same(state.cancellation, { paymentId: 'pay-1', payload: cancellation, status: 'PENDING', attempts: 1, dueAt: t2, lastStatus: 429, lastError: 'HTTP 429' });
    t.equal(state.delivery?.status, 'SUCCEEDED', "the cancellation's events leave the reservation alone");
    t.equal(state.delivery?.attempts, 1);
  });
});
