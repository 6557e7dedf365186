import t from 'tap';
import type { PaymentCompleted, PaymentRef } from '../../../domains/payment/events.js';
import type { QueueEvent, QueueTokensAdmitted } from '../../../domains/queue/events.js';
import { activateAdmittedTokens, expireTokenOnPaymentCompleted, reactions } from '../../../domains/queue/reactions.js';
import { ticket } from '../../../domains/queue/ticket.js';
import { timers, tokenExpiry } from '../../../domains/queue/timers.js';
import { recorded } from '../../support/recorded.js';

const ref: PaymentRef = {
  paymentId: 'pay-1',
  reservationId: 'res-1',
  userId: 'user-1',
  concertId: 'c-1',
  scheduleId: 's-1',
  seatNo: 7,
  amount: 3000,
};
const created = new Date('2030-01-01T10:05:00.250Z');

t.test('expireTokenOnPaymentCompleted', async (t) => {
  t.same(reactions, [expireTokenOnPaymentCompleted, activateAdmittedTokens]);
  t.equal(expireTokenOnPaymentCompleted.aggregate, ticket);
  t.same(expireTokenOnPaymentCompleted.eventTypes, ['PaymentCompleted']);
  const event: PaymentCompleted = {
    type: 'PaymentCompleted',
    data: { ...ref, requestedAt: '2030-01-01T10:04:59.000Z', completedAt: '2030-01-01T10:05:00.000Z' },
  };
  t.same(expireTokenOnPaymentCompleted.react(recorded('payment-pay-1', event, created)), [
    {
      streamId: 'queue-user-1',
      command: { type: 'Expire', data: { now: '2030-01-01T10:05:00.250Z', reason: 'PAYMENT_COMPLETED' } },
    },
  ]);
  const issued: QueueEvent = { type: 'QueueTokenIssued', data: { tokenId: 't', userId: 'user-1', issuedAt: 'x' } };
  t.same(expireTokenOnPaymentCompleted.react(recorded('queue-user-1', issued)), [], 'ignores other types');
});

t.test('activateAdmittedTokens', async (t) => {
  t.equal(activateAdmittedTokens.aggregate, ticket);
  t.same(activateAdmittedTokens.eventTypes, ['QueueTokensAdmitted']);
  const decision: QueueTokensAdmitted = {
    type: 'QueueTokensAdmitted',
    data: {
      tokens: [
        { tokenId: 'tok-a', userId: 'ana', issuedPosition: '1'.padStart(40, '0') },
        { tokenId: 'tok-b', userId: 'ben', issuedPosition: '2'.padStart(40, '0') },
      ],
      admittedAt: '2030-01-01T10:00:01.000Z',
      ttlMs: 60_000,
    },
  };
  // Created much later than the decision (a reaction that lagged): the decision's time still rules.
  t.same(activateAdmittedTokens.react(recorded('admission-line', decision, new Date('2030-01-01T11:00:00.000Z'))), [
    { streamId: 'queue-ana', command: { type: 'Activate', data: { tokenId: 'tok-a', now: '2030-01-01T10:00:01.000Z', ttlMs: 60_000 } }, correlationId: 'tok-a' },
    { streamId: 'queue-ben', command: { type: 'Activate', data: { tokenId: 'tok-b', now: '2030-01-01T10:00:01.000Z', ttlMs: 60_000 } }, correlationId: 'tok-b' },
  ], "one Activate per admitted token, on its user's stream, at the decision's time, in the token's correlation");
  const issued: QueueEvent = { type: 'QueueTokenIssued', data: { tokenId: 't', userId: 'ana', issuedAt: 'x' } };
  t.same(activateAdmittedTokens.react(recorded('queue-ana', issued)), [], 'ignores other types');
});

t.test('tokenExpiry timer', async (t) => {
  t.same(timers, [tokenExpiry]);
  t.equal(tokenExpiry.aggregate, ticket);
  t.same([...tokenExpiry.eventTypes].sort(), ['QueueTokenActivated', 'QueueTokenExpired']);

  const activated: QueueEvent = {
    type: 'QueueTokenActivated',
    data: { tokenId: 'tok-1', userId: 'user-1', activatedAt: '2030-01-01T10:00:00.000Z', expiresAt: '2030-01-01T10:10:00.000Z' },
  };
  t.same(tokenExpiry.schedule(recorded('queue-user-1', activated)), [
    { op: 'set', key: 'tok-1', dueAt: '2030-01-01T10:10:00.000Z', streamId: 'queue-user-1', payload: { tokenId: 'tok-1' } },
  ], 'set at expiresAt when the token is activated');

  const expired: QueueEvent = {
    type: 'QueueTokenExpired',
    data: { tokenId: 'tok-1', userId: 'user-1', expiredAt: '2030-01-01T10:05:00.000Z', reason: 'PAYMENT_COMPLETED' },
  };
  t.same(tokenExpiry.schedule(recorded('queue-user-1', expired)), [{ op: 'cancel', key: 'tok-1' }], 'cancelled once expired');

  const issued: QueueEvent = { type: 'QueueTokenIssued', data: { tokenId: 'tok-1', userId: 'user-1', issuedAt: 'x' } };
  t.same(tokenExpiry.schedule(recorded('queue-user-1', issued)), [], 'issuing sets no timer');

  const fired = await tokenExpiry.fire(
    { key: 'tok-1', dueAt: '2030-01-01T10:10:00.000Z', streamId: 'queue-user-1', payload: { tokenId: 'tok-1' } },
    new Date('2030-01-01T10:10:00.020Z'),
  );
  t.same(fired, [
    { streamId: 'queue-user-1', command: { type: 'Expire', data: { tokenId: 'tok-1', now: '2030-01-01T10:10:00.020Z', reason: 'TTL' } } },
  ], 'fires Expire TTL at the firing time');

  t.throws(
    () => tokenExpiry.fire({ key: 'tok-1', dueAt: 'x', streamId: 'queue-user-1', payload: {} }, new Date()),
    TypeError,
    'a payload without a tokenId is an error, not a silent no-op',
  );
});
