import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits for a state other processes bring about: `probe` is asked every
 * `everyMs` until it gives a value. `ms` bounds a failure, not a pace: on a
 * busy machine processes start and answer late, and the test only waits longer.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 180_000, everyMs = 50): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
