import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The saga this request is about (a paymentId): on its log lines, so one payment's story can be grepped. */
    correlationId: string | null;
  }
}

/** Names the saga of this request on every log line it writes from here on, and on its request line. */
export function correlate(request: FastifyRequest, correlationId: string): void {
  request.correlationId = correlationId;
  request.log = request.log.child({ correlationId });
}
