import t from 'tap';
import { fold } from '../../../bus/decider.js';
import type { DeliveryPolicy } from '../../../domains/dataplatform/commands.js';
import { delivery, deliveryStream } from '../../../domains/dataplatform/delivery.js';
import type { DeliveryEvent, DeliveryPayload } from '../../../domains/dataplatform/events.js';
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
