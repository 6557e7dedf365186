export interface Backoff {
  /** The wait before the first retry, before jitter. */
  baseMs: number;
  /** No wait is longer than this. */
  maxMs: number;
}

/**
 * The wait after failed attempt `attempt` (1 = the first): exponential,
 * capped, with "equal jitter": half of the capped wait is fixed, the other
 * half is spread by `jitter` ∈ [0, 1). Unlike full jitter, the wait never
 * collapses to zero, so a struggling receiver always gets a real pause, while
 * retries of many deliveries still spread out. Whole milliseconds in
 * [⌊cap/2⌋, cap] where cap = min(maxMs, baseMs·2^(attempt−1)).
 */
export function backoffMs(attempt: number, { baseMs, maxMs }: Backoff, jitter: number): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const cap = Math.max(0, Math.min(maxMs, baseMs * 2 ** exponent));
  const spread = Number.isFinite(jitter) ? Math.min(Math.max(jitter, 0), 1) : 0;
  return Math.floor(cap / 2 + (spread * cap) / 2);
}
