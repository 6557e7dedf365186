export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentile: always one of the samples, never an interpolation between two. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('no samples');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function distribution(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)! };
}

/** The middle sample (the upper one of an even count): one run disturbed by the OS or the GC does not decide it. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('no samples');
  return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}
