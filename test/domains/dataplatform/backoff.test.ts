import t from 'tap';
import { backoffMs } from '../../../domains/dataplatform/backoff.js';

const policy = { baseMs: 1000, maxMs: 60_000 };

t.test('exponential: the cap doubles per attempt', async (t) => {
  const caps = [1, 2, 3, 4, 5, 6].map((attempt) => backoffMs(attempt, policy, 0.9999999));
  t.same(caps, [999, 1999, 3999, 7999, 15999, 31999], 'just under base·2^(attempt−1)');
  const floors = [1, 2, 3, 4, 5, 6].map((attempt) => backoffMs(attempt, policy, 0));
  t.same(floors, [500, 1000, 2000, 4000, 8000, 16000], 'equal jitter: never less than half the cap');
});

t.test('capped at maxMs however many attempts', async (t) => {
  for (const attempt of [7, 8, 10, 50, 1100, Number.MAX_SAFE_INTEGER]) {
    const low = backoffMs(attempt, policy, 0);
    const high = backoffMs(attempt, policy, 0.999999);
    t.equal(low, 30_000, `attempt ${attempt}: floor is half of maxMs`);
    t.ok(high <= 60_000 && high >= 59_999, `attempt ${attempt}: at most maxMs (${high})`);
  }
});

t.test('bounds over many jitters', async (t) => {
  let outside = 0;
  for (let attempt = 1; attempt <= 12; attempt += 1) {
    const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
    for (let i = 0; i < 200; i += 1) {
      const jitter = i / 200;
      const wait = backoffMs(attempt, policy, jitter);
      if (!(Number.isInteger(wait) && wait >= Math.floor(cap / 2) && wait <= cap)) outside += 1;
    }
  }
  t.equal(outside, 0, 'every wait is a whole number of ms in [cap/2, cap]');
  t.ok(backoffMs(3, policy, 0.2) < backoffMs(3, policy, 0.8), 'jitter spreads the wait');
});

t.test('odd inputs stay in bounds', async (t) => {
  t.equal(backoffMs(0, policy, 0), 500, 'attempt 0 reads as the first');
  t.equal(backoffMs(-3, policy, 0), 500, 'negative attempt reads as the first');
  t.equal(backoffMs(1, policy, -1), 500, 'jitter below 0 is clamped');
  t.equal(backoffMs(1, policy, 7), 1000, 'jitter above 1 is clamped to the cap');
  t.equal(backoffMs(1, policy, Number.NaN), 500, 'NaN jitter counts as 0');
  t.equal(backoffMs(5, { baseMs: 0, maxMs: 100 }, 0.5), 0, 'zero base: no wait');
  t.equal(backoffMs(5, { baseMs: 1000, maxMs: 3000 }, 0), 1500, 'maxMs below the exponential');
});
