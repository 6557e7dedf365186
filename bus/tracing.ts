import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Metadata } from '../infra/eventstore/port.js';

/**
 * One payment is one trace: each event carries the W3C trace context of the
 * span that appended it (`traceparent`, and `tracestate` when there is one),
 * and whoever handles the event (a reaction, a timer) starts its span from
 * there, so parent links follow causation across services and processes.
 *
 * Tracing is off unless a process switched it on (infra/telemetry.ts, from
 * the OTEL_* variables): then every helper here is one boolean test, and no
 * span, context or metadata is made at all.
 */
let on = false;

export const tracingOn = (): boolean => on;

/** Only infra/telemetry.ts calls this, once its tracer provider and context manager are registered. */
export function switchTracing(value: boolean): void {
  on = value;
}

/** Which of the seven services (or `api`) a span belongs to: the process has one resource, so the service is an attribute. */
export const SERVICE_ATTRIBUTE = 'concert.service';
/** The saga a span is part of (a payment's id for a payment): what the trace viewer is searched by. */
export const CORRELATION_ATTRIBUTE = 'concert.correlation_id';
/** The event a reaction or timer span is handling. */
export const CAUSATION_ATTRIBUTE = 'concert.causation_id';

/** One tracer per service, named after it (the instrumentation scope a viewer shows). */
export const tracerOf = (service: string) => trace.getTracer(`concert.${service}`);

const propagator = new W3CTraceContextPropagator();

/** The context an event was appended in, as a parent for the spans it causes; the root when it carries none. */
export function contextOf(carrier: Metadata | { traceparent?: string; tracestate?: string }): Context {
  if (typeof carrier.traceparent !== 'string') return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}

/** The trace context of the active span as event metadata or headers; empty when no span is active. */
export function traceHeaders(): { traceparent?: string; tracestate?: string } {
  if (!on) return {};
  const carrier: { traceparent?: string; tracestate?: string } = {};
  propagator.inject(context.active(), carrier, defaultTextMapSetter);
  return carrier;
}

/** `metadata` with the active span's trace context added: what a traced append writes. */
export function withTraceContext(metadata: Metadata | undefined): Metadata | undefined {
  const headers = traceHeaders();
  return headers.traceparent === undefined ? metadata : { ...metadata, ...headers };
}

/** Adds to the active span what only the code inside it knows (which delivery attempt a timer makes). */
export function annotate(attributes: Attributes): void {
  if (on) trace.getActiveSpan()?.setAttributes(attributes);
}

/** What `work` is given while tracing is off: a span that records nothing, made once. */
const idle: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent; the active context when absent. */
  parent?: Context;
}

/**
 * Runs `work` in a span of `service`, active for everything it awaits; an
 * error ends the span as failed and is rethrown. Off: just `work`.
 */
export function inSpan<T>(service: string, name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  if (!on) return work(idle);
  const attributes = { [SERVICE_ATTRIBUTE]: service, ...options.attributes };
  return tracerOf(service).startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes },
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

export { SpanKind, SpanStatusCode, type Span };
