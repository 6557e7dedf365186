import type { FastifyRequest } from 'fastify';
import { annotate, CORRELATION_ATTRIBUTE } from '../../bus/tracing.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The saga this request is about (a paymentId): on its log lines, so one payment's story can be grepped. */
    correlationId: string | null;
  }
}

/**
 * Names the saga of this request on every log line it writes from here on, on
 * its request line, and on its trace span: a trace viewer finds a payment's
 * trace by its id.
 */
export function correlate(request: FastifyRequest, correlationId: string): void {
  request.correlationId = correlationId;
  annotate({ [CORRELATION_ATTRIBUTE]: correlationId, 'concert.payment_id': correlationId });
  request.log = request.log.child({ correlationId });
}
