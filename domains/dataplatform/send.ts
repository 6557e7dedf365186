import { CORRELATION_ATTRIBUTE, inSpan, SpanKind, SpanStatusCode, traceHeaders, tracingOn } from '../../bus/tracing.js';
import { messageKey, type Message } from './events.js';
import type { DeliveryOutcome, Send } from './outcome.js';

export interface DataPlatformOptions {
  /** DATA_PLATFORM_URL: the base; reservations go to `${url}/reservations`, cancellations to `${url}/reservations/:paymentId/cancellation`. */
  url: string;
  /** Give up on one request after this long; the attempt then counts as a network error (retried). */
  timeoutMs?: number;
}

/** Enough of an error body to tell what went wrong in a dead letter, not the whole page. */
const MAX_ERROR_BODY = 200;

/** Where one message goes, and the span's name for it (the route, not the URL: one name for every payment). */
function routeOf(base: string, message: Message): { endpoint: string; route: string } {
  if (message.kind === 'cancellation') {
    return {
      endpoint: `${base}/reservations/${encodeURIComponent(message.payload.paymentId)}/cancellation`,
      route: 'POST /reservations/:paymentId/cancellation',
    };
  }
  return { endpoint: `${base}/reservations`, route: 'POST /reservations' };
}

/**
 * The real sender: POST with the message's key as Idempotency-Key (the
 * paymentId for a reservation, `cancel-<paymentId>` for its cancellation), so
 * a retry after a lost answer is one effect.
 */
export function dataPlatformSender({ url, timeoutMs = 5000 }: DataPlatformOptions): Send {
  const base = url.replace(/\/+$/, '');
  // Off: the request alone. On: a span of its own, whose context goes to the data platform in the traceparent header.
  return (message: Message) => (tracingOn() ? tracedPost(message) : post(message));

  function tracedPost(message: Message): Promise<DeliveryOutcome> {
    const { endpoint, route } = routeOf(base, message);
    const attributes = { 'http.request.method': 'POST', 'url.full': endpoint, [CORRELATION_ATTRIBUTE]: message.payload.paymentId };
    return inSpan('dataplatform', route, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const outcome = await post(message);
      if (outcome.status !== null) span.setAttribute('http.response.status_code', outcome.status);
      if (!outcome.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error });
      return outcome;
    });
  }

  async function post(message: Message): Promise<DeliveryOutcome> {
    const { endpoint } = routeOf(base, message);
    const idempotencyKey = messageKey(message.kind, message.payload.paymentId);
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, ...traceHeaders() },
        body: JSON.stringify(message.payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return { ok: false, status: null, error: describe(error, timeoutMs) };
    }
    const body = await readBody(response);
    if (response.ok) return { ok: true, status: response.status };
    return { ok: false, status: response.status, error: `HTTP ${response.status}${body ? `: ${body}` : ''}` };
  }
}

/**
 * Reads (and so releases) the body. A body cut off midway, or one that times
 * out, leaves the status as the answer: the status alone decides the outcome.
 */
async function readBody(response: Response): Promise<string> {
  try {
    return (await response.text()).slice(0, MAX_ERROR_BODY);
  } catch (error) {
    return `(body unreadable: ${error instanceof Error ? error.message : String(error)})`;
  }
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  if (error instanceof Error) {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is in its cause.
    const cause = error.cause instanceof Error ? error.cause : undefined;
    const code = (cause as { code?: unknown } | undefined)?.code;
    return cause ? `${error.message}: ${typeof code === 'string' ? `${code} ` : ''}${cause.message}`.trim() : error.message;
  }
  return String(error);
}
