import t from 'tap';
import type { PaymentRef } from '../../../domains/payment/events.js';
import type { PointEvent } from '../../../domains/point/events.js';
import { fold } from '../../../bus/decider.js';
import { MAX_CHARGE, pointsStream, wallet } from '../../../domains/point/wallet.js';
import { given } from '../../support/given.js';

const userId = 'user-1';
const now = '2030-01-01T10:00:00.000Z';
const later = '2030-01-01T10:00:05.000Z';
const ref: PaymentRef = {
  paymentId: 'pay-1',
  reservationId: 'res-1',
  userId,
  concertId: 'c-1',
  scheduleId: 's-1',
  seatNo: 7,
  amount: 3000,
};

const charged = (amount: number, balanceAfter: number, chargeId = `ch-${balanceAfter}`): PointEvent => ({
  type: 'PointsCharged',
  data: { userId, chargeId, amount, balanceAfter, chargedAt: now },
});
const debited = (balanceAfter: number, r: PaymentRef = ref): PointEvent => ({
  type: 'PointsDebited',
  data: { ...r, balanceAfter, debitedAt: now },
});
const debitFailed = (balance: number): PointEvent => ({
  type: 'DebitFailed',
  data: { ...ref, reason: 'INSUFFICIENT_BALANCE', balance, failedAt: now },
});
const refunded = (balanceAfter: number): PointEvent => ({
  type: 'PointsRefunded',
  data: { ...ref, balanceAfter, refundedAt: later },
});
const voided: PointEvent = { type: 'DebitVoided', data: { ...ref, voidedAt: later } };

t.test('stream and category', async (t) => {
  t.equal(wallet.category, 'points');
  t.equal(pointsStream('u-9'), 'points-u-9');
});

t.test('Charge', async (t) => {
  t.test('adds to the balance', async (t) => {
    given(t, wallet, [charged(1000, 1000)])
      .when({ type: 'Charge', data: { userId, chargeId: 'ch-new', amount: 500, now: later } })
      .then([{ type: 'PointsCharged', data: { userId, chargeId: 'ch-new', amount: 500, balanceAfter: 1500, chargedAt: later } }]);
  });

  t.test('a first charge starts from zero', async (t) => {
    given(t, wallet, [])
      .when({ type: 'Charge', data: { userId, chargeId: 'ch-a', amount: MAX_CHARGE, now } })
      .then([{ type: 'PointsCharged', data: { userId, chargeId: 'ch-a', amount: MAX_CHARGE, balanceAfter: MAX_CHARGE, chargedAt: now } }]);
  });

  t.test('a repeated charge id changes nothing', async (t) => {
    given(t, wallet, [charged(1000, 1000, 'ch-a')])
      .when({ type: 'Charge', data: { userId, chargeId: 'ch-a', amount: 1000, now: later } })
      .thenNothing();
  });

  for (const amount of [0, -5, 1.5, MAX_CHARGE + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
    t.test(`rejects amount ${amount}`, async (t) => {
      given(t, wallet, [])
        .when({ type: 'Charge', data: { userId, chargeId: 'ch-x', amount, now } })
        .rejects('INVALID_AMOUNT');
    });
  }

  t.test('an invalid amount is rejected even for a known charge id', async (t) => {
    given(t, wallet, [charged(1000, 1000, 'ch-a')])
      .when({ type: 'Charge', data: { userId, chargeId: 'ch-a', amount: 0, now } })
      .rejects('INVALID_AMOUNT');
  });
});

t.test('Debit', async (t) => {
  t.test('takes the amount when the balance covers it', async (t) => {
    given(t, wallet, [charged(5000, 5000)])
      .when({ type: 'Debit', data: { ...ref, now: later } })
      .then([{ type: 'PointsDebited', data: { ...ref, balanceAfter: 2000, debitedAt: later } }]);
  });

  t.test('a balance exactly equal to the amount is enough, down to zero', async (t) => {
    given(t, wallet, [charged(3000, 3000)])
      .when({ type: 'Debit', data: { ...ref, now: later } })
      .then([{ type: 'PointsDebited', data: { ...ref, balanceAfter: 0, debitedAt: later } }]);
  });

  t.test('fails with INSUFFICIENT_BALANCE when short, and says the balance', async (t) => {
    given(t, wallet, [charged(2999, 2999)])
      .when({ type: 'Debit', data: { ...ref, now: later } })
      .then([{ type: 'DebitFailed', data: { ...ref, reason: 'INSUFFICIENT_BALANCE', balance: 2999, failedAt: later } }]);
  });

  t.test('a user never charged has nothing', async (t) => {
    given(t, wallet, [])
      .when({ type: 'Debit', data: { ...ref, now } })
      .then([{ type: 'DebitFailed', data: { ...ref, reason: 'INSUFFICIENT_BALANCE', balance: 0, failedAt: now } }]);
  });

  t.test('a payment is debited at most once', async (t) => {
    given(t, wallet, [charged(10000, 10000), debited(7000)])
      .when({ type: 'Debit', data: { ...ref, now: later } })
      .thenNothing();
  });

  t.test('a failed debit is not retried by a duplicate', async (t) => {
    given(t, wallet, [debitFailed(0), charged(10000, 10000)])
      .when({ type: 'Debit', data: { ...ref, now: later } })
      .thenNothing();
  });

  t.test('a voided payment never debits (the TIMEOUT race)', async (t) => {
    given(t, wallet, [charged(10000, 10000), voided])
      .when({ type: 'Debit', data: { ...ref, now: later } })
      .thenNothing();
  });

  t.test('a refunded payment never debits again', async (t) => {
    given(t, wallet, [charged(10000, 10000), debited(7000), refunded(10000)])
      .when({ type: 'Debit', data: { ...ref, now: later } })
      .thenNothing();
  });

  t.test('other payments debit independently', async (t) => {
    const other = { ...ref, paymentId: 'pay-2', reservationId: 'res-2', seatNo: 8, amount: 4000 };
    given(t, wallet, [charged(10000, 10000), debited(7000)])
      .when({ type: 'Debit', data: { ...other, now: later } })
      .then([{ type: 'PointsDebited', data: { ...other, balanceAfter: 3000, debitedAt: later } }]);
  });

  t.test('fields beyond the saga reference never reach the event', async (t) => {
    const command = { type: 'Debit' as const, data: { ...ref, now: later, reservedAt: now } };
    given(t, wallet, [charged(5000, 5000)])
      .when(command)
      .then([{ type: 'PointsDebited', data: { ...ref, balanceAfter: 2000, debitedAt: later } }]);
  });
});

t.test('Refund', async (t) => {
  t.test('gives a debited payment back', async (t) => {
    given(t, wallet, [charged(5000, 5000), debited(2000)])
      .when({ type: 'Refund', data: { ...ref, now: later } })
      .then([{ type: 'PointsRefunded', data: { ...ref, balanceAfter: 5000, refundedAt: later } }]);
  });

  t.test('refunds what was debited, not what the failure says', async (t) => {
    given(t, wallet, [charged(5000, 5000), debited(2000)])
      .when({ type: 'Refund', data: { ...ref, amount: 99999, now: later } })
      .then([{ type: 'PointsRefunded', data: { ...ref, balanceAfter: 5000, refundedAt: later } }]);
  });

  t.test('voids a payment that was never debited', async (t) => {
    given(t, wallet, [charged(5000, 5000)])
      .when({ type: 'Refund', data: { ...ref, now: later } })
      .then([{ type: 'DebitVoided', data: { ...ref, voidedAt: later } }]);
  });

  t.test('refunds once', async (t) => {
    given(t, wallet, [charged(5000, 5000), debited(2000), refunded(5000)])
      .when({ type: 'Refund', data: { ...ref, now: later } })
      .thenNothing();
  });

  t.test('voids once', async (t) => {
    given(t, wallet, [voided])
      .when({ type: 'Refund', data: { ...ref, now: later } })
      .thenNothing();
  });

  t.test('a failed debit has nothing to give back and needs no void', async (t) => {
    given(t, wallet, [debitFailed(0)])
      .when({ type: 'Refund', data: { ...ref, now: later } })
      .thenNothing();
  });
});

t.test('evolve: balance = charged − debited + refunded, never negative', async (t) => {
  const other = { ...ref, paymentId: 'pay-2', amount: 1000 };
  const history: PointEvent[] = [charged(5000, 5000), debited(2000), debited(1000, other), refunded(4000)];
  const state = fold(wallet, history);
  t.equal(state.balance, 4000);
  t.same(state.payments.get('pay-1'), { status: 'REFUNDED', amount: 3000 });
  t.same(state.payments.get('pay-2'), { status: 'DEBITED', amount: 1000 });
  t.ok(state.charges.has('ch-5000'));

  // Whatever order the saga drives, a wallet that is short never goes below zero.
  let s = fold(wallet, [charged(100, 100)]);
  for (let i = 0; i < 5; i += 1) {
    const r = { ...ref, paymentId: `p-${i}`, amount: 60 };
    for (const e of wallet.decide({ type: 'Debit', data: { ...r, now } }, s)) s = wallet.evolve(s, e);
    t.ok(s.balance >= 0, `balance ${s.balance} after debit ${i}`);
  }
  t.equal(s.balance, 40, 'only one 60-point debit fits in 100');
});

t.test('evolve does not change the state it was given', async (t) => {
  const before = fold(wallet, [charged(5000, 5000)]);
  wallet.evolve(before, debited(2000));
  t.equal(before.balance, 5000);
  t.equal(before.payments.size, 0);
});
