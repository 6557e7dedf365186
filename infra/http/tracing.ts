import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SERVICE_ATTRIBUTE, SpanKind, SpanStatusCode, tracerOf, tracingOn, type Span } from '../../bus/tracing.js';

/**
 * A server span per request, the root of a payment's trace (or a child of the
 * caller's, when it sends a traceparent): active from the first preHandler
 * on, so the commands a route runs append inside it. Nothing is registered
 * while tracing is off. Probes and scrapes are left out: they would be most
 * of the traces and say nothing.
 */
export function traceRequests(app: FastifyInstance, quietRoutes: ReadonlySet<string>): void {
  if (!tracingOn()) return;
  const tracer = tracerOf('api');
  const spans = new WeakMap<FastifyRequest, Span>();

  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined && quietRoutes.has(route)) return done();
    const span = tracer.startSpan(
      route === undefined ? request.method : `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [SERVICE_ATTRIBUTE]: 'api',
          'http.request.method': request.method,
          'url.path': request.url.split('?', 1)[0],
          ...(route !== undefined ? { 'http.route': route } : {}),
        },
      },
      propagation.extract(ROOT_CONTEXT, request.headers),
    );
    spans.set(request, span);
    done();
  });

  // After the body is parsed: its stream events would not carry the context, the hooks and handler run from here do.
  app.addHook('preHandler', (request, _reply, done) => {
    const span = spans.get(request);
    if (span === undefined) return done();
    context.with(trace.setSpan(ROOT_CONTEXT, span), done);
  });

  app.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request);
    if (span === undefined) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });

  app.addHook('onRequestAbort', async (request) => {
    const span = spans.get(request);
    if (span === undefined) return;
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client went away' });
    span.end();
  });
}
