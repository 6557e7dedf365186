import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Subscription } from 'rxjs';
import type { EventStore, RecordedEvent } from '../eventstore/port.js';
import { silentLog, type Log } from '../log.js';
import type { PaymentEvent } from '../../domains/payment/events.js';

export interface MetricsOptions {
  /** Node's own metrics (heap, event loop lag, GC); on by default. */
  processMetrics?: boolean;
}

/** Saga endings the API process has seen, from the events themselves; a refund is a completed payment's second ending. */
const SAGA_ENDINGS = ['PaymentCompleted', 'PaymentFailed', 'PaymentRefunded'] as const;

/**
 * What /metrics exposes, on a registry of its own (so that several APIs in one
 * process, as in tests, never collide): HTTP requests by route and status,
 * saga outcomes and latency, and how far each subscriber lags behind $all.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly requestSeconds: Histogram<'method' | 'route' | 'status'>;
  private readonly sagaOutcomes: Counter<'status' | 'reason'>;
  private readonly sagaSeconds: Histogram<'status'>;
  private readonly lag: Gauge<'subscriber'>;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.sagaOutcomes = new Counter({
      name: 'saga_outcomes_total',
      help: 'Payments that ended, by status and reason: the failure reason, who cancelled for REFUNDED (USER, SCHEDULE_CANCELLED), "" for COMPLETED',
      labelNames: ['status', 'reason'],
      registers,
    });
    this.sagaSeconds = new Histogram({
      name: 'saga_duration_seconds',
      help: 'From PaymentRequested to PaymentCompleted or PaymentFailed, by the times in the events',
      labelNames: ['status'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.lag = new Gauge({
      name: 'projection_lag',
      help: 'How far a read model, reaction or timer subscriber is behind the head of $all: events on SQLite, bytes of transaction log on EventStoreDB',
      labelNames: ['subscriber'],
      registers,
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void {
    const values = { method: labels.method, route: labels.route, status: String(labels.status) };
    this.requests.inc(values);
    this.requestSeconds.observe(values, seconds);
  }

  /** Counts a saga's ending; other events are ignored. */
  observeSaga(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as PaymentEvent;
    if (event.type === 'PaymentCompleted') {
      this.sagaOutcomes.inc({ status: 'COMPLETED', reason: '' });
      this.observeLatency('COMPLETED', event.data.requestedAt, event.data.completedAt);
    } else if (event.type === 'PaymentFailed') {
      this.sagaOutcomes.inc({ status: 'FAILED', reason: event.data.reason });
      this.observeLatency('FAILED', event.data.requestedAt, event.data.failedAt);
    } else if (event.type === 'PaymentRefunded') {
      this.sagaOutcomes.inc({ status: 'REFUNDED', reason: event.data.reason });
    }
  }

  private observeLatency(status: string, from: string, to: string): void {
    const seconds = (Date.parse(to) - Date.parse(from)) / 1000;
    if (Number.isFinite(seconds) && seconds >= 0) this.sagaSeconds.observe({ status }, seconds);
  }

  /**
   * Follows saga endings live from the end of $all: counters of this process's
   * lifetime, as Prometheus expects (it handles restarts). Returns the stop.
   */
  watchSagas(store: EventStore, log: Log = silentLog, retryMs = 1_000): () => void {
    let subscription: Subscription | undefined;
    let retry: NodeJS.Timeout | undefined;
    let stopped = false;
    const follow = () => {
      if (stopped) return;
      subscription = store.subscribe({ from: 'end', filter: { eventTypes: SAGA_ENDINGS } }).subscribe({
        next: (message) => {
          if (message.kind === 'event') this.observeSaga(message.event);
        },
        error: (error: unknown) => {
          log.warn({ err: error }, 'saga metrics subscription failed; following again from the end');
          if (!stopped) retry = setTimeout(follow, retryMs);
        },
      });
    };
    follow();
    return () => {
      stopped = true;
      clearTimeout(retry);
      subscription?.unsubscribe();
    };
  }

  setLag(subscriber: string, lag: number): void {
    this.lag.set({ subscriber }, lag);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
