// The OpenAPI keywords (tags, summary, security) on route schemas come from this plugin's types.
import type {} from '@fastify/swagger';
import type { ErrorBody } from './errors.js';

/**
 * JSON schema pieces shared by the routes: the input limits of API.md in one
 * place, and the error shape for the OpenAPI document.
 */

/** Ids in paths and bodies. */
export const id = { type: 'string', minLength: 1, maxLength: 128 } as const;

export const userId = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' } as const;

export const dateTime = { type: 'string', format: 'date-time' } as const;

/** A payment's status as the API shows it (the payments read model's). */
export const paymentStatus = {
  type: 'string',
  enum: ['PENDING', 'COMPLETED', 'FAILED', 'REFUNDED'],
  description: 'A payment being refunded is COMPLETED until the refund is done',
} as const;

/** What every view of a payment shows: its own route's and the console's saga search. */
export const paymentFields = {
  paymentId: { type: 'string' },
  reservationId: { type: 'string' },
  userId: { type: 'string' },
  scheduleId: { type: 'string' },
  seatNo: { type: 'integer' },
  amount: { type: 'integer' },
  status: paymentStatus,
  requestedAt: dateTime,
} as const;

/** Points: charges, prices, amounts. */
export const points = { type: 'integer', minimum: 1, maximum: 10_000_000 } as const;

export const nullable = <S extends { type: string }>(schema: S) => ({ ...schema, type: [schema.type, 'null'] }) as const;

const errorShape = {
  type: 'object',
  required: ['statusCode', 'code', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string' },
    error: { type: 'string' },
    message: { type: 'string' },
    unavailable: { type: 'array', items: { type: 'integer' }, description: 'SEAT_UNAVAILABLE: the seats asked for that are taken' },
  },
} as const;

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Bad input: the message says what is wrong',
  401: 'Missing, forged or unknown credentials',
  403: 'Genuine credentials that may not do this',
  404: 'Unknown id',
  409: 'Refused by the current state',
  413: 'Body larger than 1 MiB',
  422: 'Idempotency-Key reused with a different request',
  503: 'A store does not answer, or a read model is behind the latest writes: try again (Retry-After)',
};

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 503;

/** An error answer as the system gave it (see examples.ts): documents its status, its code and what it looks like. */
export interface ErrorExample extends ErrorBody {
  statusCode: ErrorStatus;
}

/**
 * Response schemas for the errors a route answers with, one recorded answer
 * per code: each status lists its codes in its description (client teams
 * switch on `code`) and shows every one as a named example. `code` stays an
 * open string in the schema: Fastify's own client errors (a malformed body,
 * 415, a contended stream) can add codes no route lists.
 */
export function errors(...answers: readonly ErrorExample[]): Record<number, object> {
  const byStatus = new Map<ErrorStatus, ErrorExample[]>();
  for (const answer of answers) byStatus.set(answer.statusCode, [...(byStatus.get(answer.statusCode) ?? []), answer]);
  return Object.fromEntries(
    [...byStatus].map(([status, examples]) => {
      const codes = examples.map((e) => e.code);
      // Examples are named by their code: two of one code would overwrite each other in the document.
      if (new Set(codes).size !== codes.length) throw new Error(`status ${status} lists a code twice: ${codes.join(', ')}`);
      return [
        status,
        {
          ...errorShape,
          description: `${ERROR_DESCRIPTIONS[status]}. Codes: ${codes.join(', ')}`,
          'x-examples': Object.fromEntries(examples.map((e) => [e.code, { value: e }])),
        },
      ];
    }),
  );
}

export const idempotencyKeyHeader = {
  ...id,
  description: 'Retries with the same key get the first successful answer again',
} as const;

export const queueTokenHeader = {
  type: 'string',
  description: 'The token from POST /queue/tokens; it must be ACTIVE',
} as const;

/** The request's Idempotency-Key, once the header schema has checked it is one string. */
export const idempotencyKeyOf = (request: { headers: Record<string, string | string[] | undefined> }): string | undefined => {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' ? key : undefined;
};
