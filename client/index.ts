import createClient, { type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };

/**
 * Every error answer: Fastify's shape. Which codes each operation answers
 * with, per status, is in the document (the description and examples of each
 * error response).
 */
export type ApiError = operations['holdSeat']['responses'][409]['content']['application/json'];

/**
 * A typed client of the HTTP API: paths, parameters, bodies and answers are
 * checked against the OpenAPI document at compile time. Credentials go with
 * each call: `params.header['queue-token']` for holds and payments,
 * `headers: { authorization: 'Bearer <admin token>' }` for POST /concerts.
 */
export function createApiClient(baseUrl: string, options: Omit<ClientOptions, 'baseUrl'> = {}) {
  return createClient<paths>({ ...options, baseUrl });
}

export type ApiClient = ReturnType<typeof createApiClient>;
