import type { FastifyRequest, preValidationAsyncHookHandler } from 'fastify';

const DIGITS = /^-?[0-9]+$/;

/**
 * A URL carries only strings, and the server validates without coercion (a
 * body's "10" is not a number). Query integers alone are read as numbers here,
 * and only when they are written as plain digits; the schema then checks them.
 */
export function integerQuery(...names: string[]): preValidationAsyncHookHandler {
  return async (request: FastifyRequest) => {
    const query = request.query as Record<string, unknown> | undefined;
    if (!query) return;
    for (const name of names) {
      const value = query[name];
      if (typeof value === 'string' && DIGITS.test(value)) query[name] = Number(value);
    }
  };
}
