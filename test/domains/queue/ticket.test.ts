import t from 'tap';
import { fold } from '../../../bus/decider.js';
import type { QueueEvent } from '../../../domains/queue/events.js';
import { queueStream, ticket } from '../../../domains/queue/ticket.js';
import { given } from '../../support/given.js';

const userId = 'user-1';
const t0 = '2030-01-01T10:00:00.000Z';
const t1 = '2030-01-01T10:00:10.000Z';
const ttlMs = 600_000;
const expiresAt = '2030-01-01T10:10:10.000Z'; // t1 + ttl
const beforeExpiry = '2030-01-01T10:10:09.999Z';

const issued = (tokenId = 'tok-1', issuedAt = t0): QueueEvent => ({ type: 'QueueTokenIssued', data: { tokenId, userId, issuedAt } });
const activated = (tokenId = 'tok-1', activatedAt = t1, at = expiresAt): QueueEvent => ({
  type: 'QueueTokenActivated',
  data: { tokenId, userId, activatedAt, expiresAt: at },
});
const expired = (tokenId = 'tok-1', reason: 'TTL' | 'PAYMENT_COMPLETED' = 'TTL', expiredAt = expiresAt): QueueEvent => ({
  type: 'QueueTokenExpired',
  data: { tokenId, userId, expiredAt, reason },
});

t.test('stream and category', async (t) => {
  t.equal(ticket.category, 'queue');
  t.equal(queueStream('u-2'), 'queue-u-2');
});

t.test('IssueToken', async (t) => {
  t.test('a first token waits', async (t) => {
    given(t, ticket, []).when({ type: 'IssueToken', data: { tokenId: 'tok-1', userId, now: t0 } }).then([issued()]);
  });

  t.test('after the last token expired, a new one is issued', async (t) => {
    given(t, ticket, [issued(), activated(), expired()])
      .when({ type: 'IssueToken', data: { tokenId: 'tok-2', userId, now: '2030-01-01T11:00:00.000Z' } })
      .then([issued('tok-2', '2030-01-01T11:00:00.000Z')]);
  });

  t.test('a waiting token is still live: nothing new', async (t) => {
    given(t, ticket, [issued()]).when({ type: 'IssueToken', data: { tokenId: 'tok-2', userId, now: t1 } }).thenNothing();
  });

  t.test('an active token before its expiry is still live: nothing new', async (t) => {
    given(t, ticket, [issued(), activated()])
      .when({ type: 'IssueToken', data: { tokenId: 'tok-2', userId, now: beforeExpiry } })
      .thenNothing();
  });

  t.test('an active token past its expiry is closed and a new one issued, in one decision', async (t) => {
    given(t, ticket, [issued(), activated()])
      .when({ type: 'IssueToken', data: { tokenId: 'tok-2', userId, now: expiresAt } })
      .then([expired('tok-1', 'TTL', expiresAt), issued('tok-2', expiresAt)]);
  });
});

t.test('Activate', async (t) => {
  t.test('a waiting token becomes active for ttlMs', async (t) => {
    given(t, ticket, [issued()]).when({ type: 'Activate', data: { tokenId: 'tok-1', now: t1, ttlMs } }).then([activated()]);
  });

  t.test('activating twice changes nothing', async (t) => {
    given(t, ticket, [issued(), activated()])
      .when({ type: 'Activate', data: { tokenId: 'tok-1', now: beforeExpiry, ttlMs } })
      .thenNothing();
  });

  t.test('an expired token is not revived', async (t) => {
    given(t, ticket, [issued(), activated(), expired()])
      .when({ type: 'Activate', data: { tokenId: 'tok-1', now: '2030-01-01T11:00:00.000Z', ttlMs } })
      .thenNothing();
  });

  t.test('a token that expired before an admission reached it stays expired', async (t) => {
    // Admitted, then expired by a payment before the admission's Activate ran (a lagging reaction), then a new token issued.
    given(t, ticket, [issued(), activated(), expired('tok-1', 'PAYMENT_COMPLETED', t1)])
      .when({ type: 'Activate', data: { tokenId: 'tok-1', now: t0, ttlMs } })
      .thenNothing('a late or replayed activation, even dated before the expiry, does not revive it');
  });

  t.test('an older token id is not the waiting one', async (t) => {
    given(t, ticket, [issued(), activated(), expired(), issued('tok-2', '2030-01-01T11:00:00.000Z')])
      .when({ type: 'Activate', data: { tokenId: 'tok-1', now: '2030-01-01T11:00:01.000Z', ttlMs } })
      .thenNothing();
  });

  t.test('an unknown user has nothing to activate', async (t) => {
    given(t, ticket, []).when({ type: 'Activate', data: { tokenId: 'tok-1', now: t1, ttlMs } }).thenNothing();
  });

  for (const bad of [0, -1, 1.5]) {
    t.test(`rejects ttlMs ${bad}`, async (t) => {
      given(t, ticket, [issued()]).when({ type: 'Activate', data: { tokenId: 'tok-1', now: t1, ttlMs: bad } }).rejects('INVALID_TTL');
    });
  }
});

t.test('Expire', async (t) => {
  t.test('TTL: at expiresAt the active token expires', async (t) => {
    given(t, ticket, [issued(), activated()])
      .when({ type: 'Expire', data: { tokenId: 'tok-1', now: expiresAt, reason: 'TTL' } })
      .then([expired()]);
  });

  t.test('TTL: before expiresAt nothing happens', async (t) => {
    given(t, ticket, [issued(), activated()])
      .when({ type: 'Expire', data: { tokenId: 'tok-1', now: beforeExpiry, reason: 'TTL' } })
      .thenNothing();
  });

  t.test('TTL: a waiting token does not expire', async (t) => {
    given(t, ticket, [issued()])
      .when({ type: 'Expire', data: { tokenId: 'tok-1', now: '2031-01-01T00:00:00.000Z', reason: 'TTL' } })
      .thenNothing();
  });

  t.test('TTL: another token id changes nothing', async (t) => {
    given(t, ticket, [issued(), activated()])
      .when({ type: 'Expire', data: { tokenId: 'tok-0', now: expiresAt, reason: 'TTL' } })
      .thenNothing();
  });

  t.test('TTL: an expired token does not expire twice', async (t) => {
    given(t, ticket, [issued(), activated(), expired('tok-1', 'PAYMENT_COMPLETED', t1)])
      .when({ type: 'Expire', data: { tokenId: 'tok-1', now: expiresAt, reason: 'TTL' } })
      .thenNothing();
  });

  const paid = '2030-01-01T10:05:00.000Z';
  t.test('PAYMENT_COMPLETED: the active token expires before its TTL', async (t) => {
    given(t, ticket, [issued(), activated()])
      .when({ type: 'Expire', data: { now: paid, reason: 'PAYMENT_COMPLETED' } })
      .then([expired('tok-1', 'PAYMENT_COMPLETED', paid)]);
  });

  t.test('PAYMENT_COMPLETED: no active token, nothing (waiting)', async (t) => {
    given(t, ticket, [issued()]).when({ type: 'Expire', data: { now: paid, reason: 'PAYMENT_COMPLETED' } }).thenNothing();
  });

  t.test('PAYMENT_COMPLETED: no active token, nothing (never queued)', async (t) => {
    given(t, ticket, []).when({ type: 'Expire', data: { now: paid, reason: 'PAYMENT_COMPLETED' } }).thenNothing();
  });

  t.test('PAYMENT_COMPLETED: a token activated after the payment completed is not the one that paid', async (t) => {
    const later = '2030-01-01T10:30:00.000Z';
    given(t, ticket, [issued(), activated(), expired('tok-1', 'PAYMENT_COMPLETED', paid), issued('tok-2', later), activated('tok-2', later, '2030-01-01T10:40:00.000Z')])
      .when({ type: 'Expire', data: { now: paid, reason: 'PAYMENT_COMPLETED' } })
      .thenNothing('a replayed PaymentCompleted leaves the newer token alone');
  });
});

t.test('evolve keeps the latest token', async (t) => {
  const state = fold(ticket, [issued(), activated(), expired(), issued('tok-2', t1)]);
  t.same(state.current, { tokenId: 'tok-2', userId, status: 'WAITING', issuedAt: t1 });
  const active = fold(ticket, [issued(), activated()]);
  t.same(active.current, { tokenId: 'tok-1', userId, status: 'ACTIVE', issuedAt: t0, activatedAt: t1, expiresAt });
  const stale = ticket.evolve(state, activated('tok-1'));
  t.equal(stale, state, 'an event about an older token leaves the state as it is');
});
