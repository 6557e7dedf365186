import { quantiles, type Quantiles } from './latency.js';

/**
 * What a load generator saw, per route: every answer's latency, status codes
 * and failures by kind. Plain data, so a child process can send it to the
 * benchmark over IPC.
 */
export interface RouteRecord {
  latencies: number[];
  statuses: Record<string, number>;
  /** Network errors and timeouts by kind (no answer at all). */
  errors: Record<string, number>;
}

export type Recording = Record<string, RouteRecord>;

export class Recorder {
  readonly routes: Recording = {};

  private route(name: string): RouteRecord {
    return (this.routes[name] ??= { latencies: [], statuses: {}, errors: {} });
  }

  answered(name: string, status: number, ms: number): void {
    const route = this.route(name);
    route.latencies.push(ms);
    route.statuses[status] = (route.statuses[status] ?? 0) + 1;
  }

  failed(name: string, error: unknown): void {
    const route = this.route(name);
    const kind = error instanceof Error ? ((error as { code?: string }).code ?? error.name) : String(error);
    route.errors[kind] = (route.errors[kind] ?? 0) + 1;
  }
}

export interface RouteSummary {
  route: string;
  requests: number;
  latency: Quantiles;
  statuses: Record<string, number>;
  errors: Record<string, number>;
}

export function summarize(recording: Recording): RouteSummary[] {
  return Object.entries(recording).map(([route, record]) => ({
    route,
    requests: record.latencies.length + Object.values(record.errors).reduce((a, b) => a + b, 0),
    latency: quantiles(record.latencies),
    statuses: record.statuses,
    errors: record.errors,
  }));
}

/** "201×980, 409×31": what the answers were. */
export const formatCounts = (counts: Record<string, number>): string =>
  Object.keys(counts).length === 0
    ? '—'
    : Object.entries(counts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, n]) => `${key}×${n.toLocaleString('en-US')}`)
        .join(', ');
