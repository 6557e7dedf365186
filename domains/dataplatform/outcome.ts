import type { Message } from './events.js';

/** How one POST to the data platform went. `status: null` means no HTTP answer at all (network error, timeout). */
export type DeliveryOutcome =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string };

/**
 * Sends one message (a reservation, or with `kind: 'cancellation'` its
 * cancellation); resolves with the outcome and never rejects for an HTTP or network failure.
 */
export type Send = (message: Message) => Promise<DeliveryOutcome>;

/**
 * Worth another try: no answer, a server error, a timeout or being told to
 * slow down. Any other refusal (400, 404, 409, 422…) will not change by asking again.
 */
export function isRetryable(status: number | null): boolean {
  return status === null || status === 408 || status === 429 || status >= 500;
}
