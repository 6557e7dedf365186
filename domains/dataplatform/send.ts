import { CORRELATION_ATTRIBUTE, inSpan, SpanKind, SpanStatusCode, traceHeaders, tracingOn } from '../../bus/tracing.js';
import type { DeliveryPayload } from './events.js';
import type { DeliveryOutcome, Send } from './outcome.js';

export interface DataPlatformOptions {
  /** DATA_PLATFORM_URL: the base; deliveries go to `${url}/reservations`. */
  url: string;
  /** Give up on one request after this long; the attempt then counts as a network error (retried). */
  timeoutMs?: number;
}

/** Enough of an error body to tell what went wrong in a dead letter, not the whole page. */
const MAX_ERROR_BODY = 200;

/** The real sender: POST with the paymentId as Idempotency-Key, so a retry after a lost answer is one effect. */
export function dataPlatformSender({ url, timeoutMs = 5000 }: DataPlatformOptions): Send {
  const endpoint = `${url.replace(/\/+$/, '')}/reservations`;
  const attributes = { 'http.request.method': 'POST', 'url.full': endpoint };
  // Off: the request alone. On: a span of its own, whose context goes to the data platform in the traceparent header.
  return (payload: DeliveryPayload) => (tracingOn() ? tracedPost(payload) : post(payload));

  function tracedPost(payload: DeliveryPayload): Promise<DeliveryOutcome> {
    const spanAttributes = { ...attributes, [CORRELATION_ATTRIBUTE]: payload.paymentId };
    return inSpan('dataplatform', 'POST /reservations', { kind: SpanKind.CLIENT, attributes: spanAttributes }, async (span) => {
      const outcome = await post(payload);
      if (outcome.status !== null) span.setAttribute('http.response.status_code', outcome.status);
      if (!outcome.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error });
      return outcome;
    });
  }

  async function post(payload: DeliveryPayload): Promise<DeliveryOutcome> {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': payload.paymentId, ...traceHeaders() },
        body: JSON.stringify(payload),
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
