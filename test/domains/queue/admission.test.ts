import t from 'tap';
import { admit, etaFromRate, etaMs, type WaitingToken } from '../../../domains/queue/admission.js';

const waiting = (tokenId: string, position: bigint | number, issuedAt = '2030-01-01T10:00:00.000Z'): WaitingToken => ({
  tokenId,
  userId: `user-${tokenId}`,
  issuedAt,
  position,
});

t.test('admit', async (t) => {
  // Issue times disagree with the global order on purpose: the store's order wins.
  const line = [
    waiting('c', 30n, '2030-01-01T09:00:00.000Z'),
    waiting('a', 10n, '2030-01-01T10:00:03.000Z'),
    waiting('d', 40n),
    waiting('b', 20n, '2030-01-01T10:00:01.000Z'),
  ];
  t.same(admit({ waiting: line, active: 0 }, 3), [
    { tokenId: 'a', userId: 'user-a' },
    { tokenId: 'b', userId: 'user-b' },
    { tokenId: 'c', userId: 'user-c' },
  ], 'the first issued, up to the free slots');
  t.same(admit({ waiting: line, active: 2 }, 3), [{ tokenId: 'a', userId: 'user-a' }], 'only the free slots');
  t.same(admit({ waiting: line, active: 3 }, 3), [], 'no free slot');
  t.same(admit({ waiting: line, active: 5 }, 3), [], 'more active than allowed (max lowered): none, never negative');
  t.same(admit({ waiting: [], active: 0 }, 3), [], 'nobody waiting');
  t.same(admit({ waiting: line, active: 0 }, 100).map((a) => a.tokenId), ['a', 'b', 'c', 'd'], 'all when there is room');
  t.same(line.map((w) => w.tokenId), ['c', 'a', 'd', 'b'], 'the input line is not reordered');
  t.same(
    admit({ waiting: [waiting('y', 2), waiting('x', 1), waiting('z', 1_000_000_000_000)], active: 0 }, 2).map((a) => a.tokenId),
    ['x', 'y'],
    'numeric positions (from a read model) order the same way',
  );
  t.same(
    admit({ waiting: [waiting('big', 2n ** 64n), waiting('small', 2n ** 63n)], active: 0 }, 1).map((a) => a.tokenId),
    ['small'],
    'bigint positions beyond 2^53 keep their order',
  );
});

t.test('etaMs', async (t) => {
  const now = Date.parse('2030-01-01T10:01:00.000Z');
  // One admission per second for the last ten seconds.
  const steady = Array.from({ length: 10 }, (_, i) => now - 10_000 + i * 1000);
  t.equal(etaMs(1, steady, now), 1112, 'next in line: about a second at 9 admissions in 10 s');
  t.equal(etaMs(9, steady, now), 10_000);
  t.equal(etaMs(90, steady, now), 100_000, 'grows with the place in line');
  t.ok(etaMs(2, steady, now)! < etaMs(3, steady, now)!, 'monotone');

  const fast = Array.from({ length: 10 }, (_, i) => now - 1000 + i * 100);
  t.ok(etaMs(50, fast, now)! < etaMs(50, steady, now)!, 'a faster line waits less');

  t.equal(etaMs(5, [], now), null, 'no admissions: unknown');
  t.equal(etaMs(5, [now - 500, now - 500, now - 500], now), null, 'one batch alone gives no rate');
  t.equal(etaMs(5, [now - 120_000, now - 110_000], now), null, 'admissions outside the window are forgotten');
  t.equal(etaMs(5, [now + 1000, now + 2000], now), null, 'future timestamps are ignored');
  t.equal(etaMs(5, ['not a date', Number.NaN], now), null, 'unreadable timestamps are ignored');

  const stalled = etaMs(10, steady, now + 50_000);
  t.ok(stalled !== null && stalled > etaMs(10, steady, now)!, 'a line that stopped moving looks slower as time passes');

  t.equal(etaMs(0, steady, now), 0, 'not waiting: no wait');

  const iso = steady.map((ms) => new Date(ms).toISOString());
  t.equal(etaMs(9, iso, new Date(now)), 10_000, 'ISO strings and Dates read the same as epoch ms');
  t.equal(etaMs(9, steady, now, 5_000), etaMs(9, steady.slice(6), now), 'the window bounds what counts');
});

t.test('etaFromRate gives what etaMs gives for the same admissions, from a summary', async (t) => {
  const now = '2030-01-01T00:01:00.000Z';
  const times = ['2030-01-01T00:00:10.000Z', '2030-01-01T00:00:20.000Z', '2030-01-01T00:00:30.000Z', '2030-01-01T00:00:40.000Z'];
  const fromList = etaMs(5, times, now, 60_000);
  t.equal(etaFromRate(5, { oldest: times[0]!, admittedSince: 3 }, now), fromList, 'the same estimate');
  t.equal(fromList, Math.ceil((5 * 50_000) / 3), '5 places at 3 admissions per 50 s');
  t.equal(etaFromRate(5, { oldest: times[0]!, admittedSince: 0 }, now), null, 'one batch gives no rate');
  t.equal(etaFromRate(0, { oldest: times[0]!, admittedSince: 3 }, now), 0, 'not in line: no wait');
});
