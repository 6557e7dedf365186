import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, envDetector, detectResources, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { switchTracing } from '../bus/tracing.js';
import type { Config } from './config.js';

export interface Tracing {
  /** Exports what is buffered (tests read the in-memory exporter after it). */
  flush(): Promise<void>;
  /** Flushes, unregisters and switches tracing off again. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  exporter: SpanExporter;
  /** Batch exports in the background (the OTLP default); off, each span is exported as it ends (tests). */
  batch?: boolean;
  serviceName?: string;
  sampler?: Sampler;
  /** More resource attributes (the process's roles). */
  attributes?: Record<string, string>;
}

/**
 * Registers a tracer provider, an AsyncLocalStorage context manager and the
 * W3C propagator with the OpenTelemetry API, and switches the bus's spans on.
 * A process that never calls this keeps the API's no-op and the bus makes no
 * span at all (bus/tracing.ts).
 */
export function startTracing(options: TracingOptions): Tracing {
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName ?? 'concert-saga', ...options.attributes }))
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win, as everywhere in OpenTelemetry.
    .merge(detectResources({ detectors: [envDetector] }));
  const processor = options.batch ? new BatchSpanProcessor({ exporter: options.exporter }) : new SimpleSpanProcessor({ exporter: options.exporter });
  const provider = new TracerProvider({ resource, sampler: options.sampler, spanProcessors: [processor] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  switchTracing(true);
  return {
    flush: () => provider.forceFlush(),
    async shutdown() {
      switchTracing(false);
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** OTEL_TRACES_SAMPLER and its argument, as the specification names them; parent-based always-on by default. */
function samplerOf(config: Config['tracing']): Sampler {
  const ratio = () => new TraceIdRatioBasedSampler(config.samplerArg);
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio();
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio() });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * Tracing as the OTEL_* variables ask (see Config['tracing']), or nothing:
 * exporting is off unless OTEL_TRACES_EXPORTER or an OTLP endpoint is set.
 * The OTLP exporter reads its own endpoint, headers and timeout variables.
 */
export function startTracingFromConfig(config: Config, roles: readonly string[]): Tracing | undefined {
  const { exporter } = config.tracing;
  if (exporter === 'none') return undefined;
  return startTracing({
    exporter: exporter === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter(),
    batch: true,
    sampler: samplerOf(config.tracing),
    attributes: { 'concert.roles': roles.join(',') },
  });
}
