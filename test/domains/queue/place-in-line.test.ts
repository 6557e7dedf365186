import t from 'tap';
import { join } from 'node:path';
import { SqliteReadStore } from '../../../infra/readstore/sqlite.js';
import { positionFromKey, positionKey } from '../../../infra/readstore/position-key.js';
import { changesOf } from '../../../bus/projection.js';
import { queueTokens, type QueueTokenDoc } from '../../../projections/queue-tokens.js';
import { placeInLine } from '../../../domains/queue/routes.js';
import { admit } from '../../../domains/queue/admission.js';
import type { QueueEvent, QueueServiceEvent } from '../../../domains/queue/events.js';
import type { RecordedEvent } from '../../../infra/eventstore/port.js';
import { recorded } from '../../support/recorded.js';

const AT = '2030-01-01T10:00:00.000Z';
/** EventStoreDB's packing: the commit position in the high 64 bits, the prepare position in the low. */
const packed = (commit: bigint, prepare: bigint) => (commit << 64n) | prepare;

t.test('places in line past 2^64: positions compare as keys, never as rounded numbers', async (t) => {
  const reads = new SqliteReadStore({ file: join(t.testdir(), 'readmodels.db') });
  t.teardown(() => reads.close());
  const wide = 1n << 64n;
  // Opaque positions one apart just past 2^64, and two events of one EventStoreDB transaction.
  const issued: Array<[user: string, position: bigint]> = [
    ['ana', wide + 1n],
    ['ben', wide + 2n],
    ['cy', wide + 3n],
    ['dee', packed(5_000n, 4_800n)],
    ['eve', packed(5_000n, 4_900n)],
  ];
  t.equal(Number(wide + 1n), Number(wide + 3n), 'as numbers the first three would be one place');
  t.equal(Number(packed(5_000n, 4_800n)), Number(packed(5_000n, 4_900n)), 'and so would the last two');

  const events = issued.map(([user, position]) =>
    recorded<QueueEvent>(`queue-${user}`, { type: 'QueueTokenIssued', data: { tokenId: `t-${user}`, userId: user, issuedAt: AT } }, new Date(AT), position),
  );
  events.push(
    recorded<QueueEvent>('queue-ana', { type: 'QueueTokenActivated', data: { tokenId: 't-ana', userId: 'ana', activatedAt: AT, expiresAt: AT } }, new Date(AT), packed(6_000n, 6_000n)),
  );
  const changes = await changesOf(reads, queueTokens, events);
  await reads.commit([{ projection: queueTokens.name, position: events.at(-1)!.position, changes }]);

  const line = await reads.collection<QueueTokenDoc>(queueTokens.collection);
  t.equal((await line.get('t-eve'))?.issuedPosition, positionKey(packed(5_000n, 4_900n)), 'the issue position is stored as its key');
  const places = await Promise.all(
    issued.map(async ([user, position]) => [user, await placeInLine(line, { status: user === 'ana' ? 'ACTIVE' : 'WAITING', issuedPosition: position })]),
  );
  t.same(places, [['ana', 0], ['ben', 1], ['cy', 2], ['dee', 3], ['eve', 4]], 'one place each, in issue order');

  const waiting = await line.find({ where: { status: 'WAITING' }, sort: [['issuedPosition', 'asc']] });
  t.same(waiting.map((doc) => doc.userId), ['ben', 'cy', 'dee', 'eve'], 'the admission reads the line in the same order');
  const next = admit({ waiting: waiting.map((doc) => ({ tokenId: doc.tokenId, userId: doc.userId, issuedAt: doc.issuedAt, position: positionFromKey(doc.issuedPosition) })), active: 1 }, 3);
  t.same(next.map((token) => token.userId), ['ben', 'cy'], 'and admits the first of it');
});

t.test('the line model: an admitted token takes a slot (ADMITTED) until its activation, and leaves the waiting line at once', async (t) => {
  const reads = new SqliteReadStore({ file: join(t.testdir(), 'readmodels.db') });
  t.teardown(() => reads.close());
  const issue = (user: string, position: bigint) =>
    recorded<QueueServiceEvent>(`queue-${user}`, { type: 'QueueTokenIssued', data: { tokenId: `t-${user}`, userId: user, issuedAt: AT } }, new Date(AT), position);
  const decision = recorded<QueueServiceEvent>(
    'admission-line',
    { type: 'QueueTokensAdmitted', data: { tokens: [{ tokenId: 't-ana', userId: 'ana', issuedPosition: positionKey(1n) }], admittedAt: AT, ttlMs: 1_000 } },
    new Date(AT),
    3n,
  );
  const apply = async (events: RecordedEvent[]) =>
    reads.commit([{ projection: queueTokens.name, position: events.at(-1)!.position, changes: await changesOf(reads, queueTokens, events) }]);
  await apply([issue('ana', 1n), issue('ben', 2n), decision]);
  const line = await reads.collection<QueueTokenDoc>(queueTokens.collection);
  t.equal((await line.get('t-ana'))?.status, 'ADMITTED', 'decided, not yet activated');
  t.equal(await placeInLine(line, { status: 'WAITING', issuedPosition: 2n }), 1, 'ben is next: the admitted token is no longer in the waiting line');

  await apply([
    recorded<QueueServiceEvent>('queue-ana', { type: 'QueueTokenActivated', data: { tokenId: 't-ana', userId: 'ana', activatedAt: AT, expiresAt: AT } }, new Date(AT), 4n),
    recorded<QueueServiceEvent>('queue-ana', { type: 'QueueTokenExpired', data: { tokenId: 't-ana', userId: 'ana', expiredAt: AT, reason: 'TTL' } }, new Date(AT), 5n),
  ]);
  t.equal((await line.get('t-ana'))?.status, 'EXPIRED');
  await apply([{ ...decision, id: 'a-copy', position: 6n }]);
  t.equal((await line.get('t-ana'))?.status, 'EXPIRED', 'a decision naming an expired token does not take a slot again');
});
