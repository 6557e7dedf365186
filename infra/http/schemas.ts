// The OpenAPI keywords (tags, summary, security) on route schemas come from this plugin's types.
import type {} from '@fastify/swagger';

/**
 * JSON schema pieces shared by the routes: the input limits of API.md in one
 * place, and the error shape for the OpenAPI document.
 */

/** Ids in paths and bodies. */
export const id = { type: 'string', minLength: 1, maxLength: 128 } as const;

export const userId = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' } as const;

export const dateTime = { type: 'string', format: 'date-time' } as const;

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
  },
} as const;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input: the message says what is wrong',
  401: 'Missing, forged or unknown credentials',
  403: 'Genuine credentials that may not do this',
  404: 'Unknown id',
  409: 'Refused by the current state',
  413: 'Body larger than 1 MiB',
  422: 'Idempotency-Key reused with a different request',
  503: 'A store does not answer, or a read model is behind the latest writes: try again (Retry-After)',
};

/** Response schemas for the error statuses a route can answer with. */
export function errors(...statuses: number[]): Record<number, object> {
  return Object.fromEntries(statuses.map((status) => [status, { ...errorShape, description: ERROR_DESCRIPTIONS[status] ?? 'Error' }]));
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
