import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { HttpProblem } from './errors.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The credentials of `Authorization: Bearer <credentials>`, or null when the header is absent or of another scheme. */
export function bearerToken(header: unknown): string | null {
  const match = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header) : null;
  return match ? match[1]! : null;
}

/**
 * `Authorization: Bearer $ADMIN_TOKEN`, compared in constant time (over
 * digests, so that the length leaks nothing either). Without a configured
 * token nobody is the admin.
 */
export function adminGuard(adminToken: string | undefined): onRequestAsyncHookHandler {
  const expected = adminToken ? digest(adminToken) : null;
  return async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    const challenge = { 'www-authenticate': 'Bearer realm="admin"' };
    if (token === null) throw new HttpProblem(401, 'ADMIN_TOKEN_REQUIRED', 'this route needs Authorization: Bearer <admin token>', challenge);
    if (expected === null || !timingSafeEqual(digest(token), expected)) {
      throw new HttpProblem(401, 'ADMIN_TOKEN_INVALID', 'the admin token is wrong', challenge);
    }
  };
}
