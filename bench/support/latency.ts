import { percentile } from './percentiles.js';

/** A latency distribution with the tail the issue asks about (p99), beside the median and the worst. */
export interface Quantiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function quantiles(samples: readonly number[]): Quantiles {
  if (samples.length === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(samples).sort();
  const values = Array.from(sorted);
  let sum = 0;
  for (const value of values) sum += value;
  return {
    count: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.at(-1)!,
    mean: sum / values.length,
  };
}

/** Milliseconds at a precision that reads: 0.42 ms, 12.3 ms, 1,234 ms. */
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

export const formatQuantiles = (q: Quantiles): string =>
  q.count === 0 ? 'no samples' : `${formatLatency(q.p50)} / ${formatLatency(q.p95)} / ${formatLatency(q.p99)} / ${formatLatency(q.max)}`;
