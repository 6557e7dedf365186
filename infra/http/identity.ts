import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { FastifyRequest, onRequestAsyncHookHandler, preValidationAsyncHookHandler } from 'fastify';
import type { Config } from '../config.js';
import type { Clock } from '../clock.js';
import { bearerToken } from './admin.js';
import { HttpProblem } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The `sub` of the request's verified user token; null in the demo (no identity configured) or on routes that name no user. */
    verifiedUser: string | null;
  }
}

export type IdentityConfig = Pick<Config, 'userJwtSecret' | 'userJwksUrl' | 'userJwtIssuer' | 'userJwtAudience'>;

/** What jose throws when the key set could not be fetched or read (a non-200, bad JSON, a timeout); a network failure is a TypeError. */
const KEY_SET_FAILURES = new Set(['ERR_JOSE_GENERIC', 'ERR_JWKS_INVALID', 'ERR_JWKS_TIMEOUT']);

const challenge = (error?: string) => ({ 'www-authenticate': `Bearer realm="user"${error ? `, error="${error}"` : ''}` });

/**
 * Who the caller is, on every route that names a user. With USER_JWT_SECRET
 * (HS256) or USER_JWKS_URL the caller proves it with `Authorization: Bearer
 * <JWT>` and may act only as the token's `sub`; without either (the demo) user
 * ids are taken as sent. The admin token shares the header but not the
 * routes: no route asks for both, so each guard reads the header as its own.
 */
export class Identity {
  private readonly key: Uint8Array | JWTVerifyGetKey | null;
  private readonly options: JWTVerifyOptions;

  constructor(
    config: IdentityConfig,
    private readonly clock: Clock,
  ) {
    if (config.userJwtSecret) {
      this.key = new TextEncoder().encode(config.userJwtSecret);
      // Pinned: a token may not pick its own algorithm (an "alg: none" or an asymmetric one against the secret).
      this.options = { algorithms: ['HS256'] };
    } else if (config.userJwksUrl) {
      // jose fetches the set once, caches it, and fetches again (rate-limited) when a token names a key it has not seen: key rotation needs no restart.
      this.key = createRemoteJWKSet(new URL(config.userJwksUrl));
      this.options = {};
    } else {
      this.key = null;
      this.options = {};
    }
    if (config.userJwtIssuer) this.options.issuer = config.userJwtIssuer;
    if (config.userJwtAudience) this.options.audience = config.userJwtAudience;
  }

  /** False in the demo: user ids are taken as sent. */
  get enabled(): boolean {
    return this.key !== null;
  }

  /** The user a bearer token proves, or a 401 that says why not. */
  async verify(header: unknown): Promise<string> {
    const token = bearerToken(header);
    if (token === null) throw new HttpProblem(401, 'USER_TOKEN_REQUIRED', 'this route needs Authorization: Bearer <user token>', challenge());
    let sub: string | undefined;
    try {
      const options = { ...this.options, currentDate: this.clock.now() };
      const { payload } =
        this.key instanceof Uint8Array ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key as JWTVerifyGetKey, options);
      sub = payload.sub;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new HttpProblem(401, 'USER_TOKEN_EXPIRED', 'the user token has expired', challenge('invalid_token'));
      if (error instanceof joseErrors.JOSEError && !KEY_SET_FAILURES.has(error.code)) {
        throw new HttpProblem(401, 'USER_TOKEN_INVALID', 'the user token is forged, altered, malformed or not yet valid', challenge('invalid_token'));
      }
      // The key set could not be fetched or read: not the caller's fault, and no reason to call a genuine token forged.
      throw new HttpProblem(503, 'IDENTITY_UNAVAILABLE', 'the user token cannot be checked now; try again', { 'retry-after': '1' });
    }
    if (!sub) throw new HttpProblem(401, 'USER_TOKEN_INVALID', 'the user token names no user (sub)', challenge('invalid_token'));
    return sub;
  }

  /** onRequest: with identity on, the route needs a valid user token; its `sub` is the request's verifiedUser. */
  guard(): onRequestAsyncHookHandler {
    return async (request: FastifyRequest) => {
      if (!this.enabled) return;
      request.verifiedUser = await this.verify(request.headers.authorization);
    };
  }

  /** Refuses with 403 NOT_OWNER when a verified caller names another user; does nothing in the demo. */
  requireOwner(request: FastifyRequest, userId: string): void {
    if (!this.enabled) return;
    if (request.verifiedUser !== userId) throw new HttpProblem(403, 'NOT_OWNER', `the user token is not ${userId}'s`);
  }

  /**
   * preValidation: the user the request names (a path parameter, a body
   * field) must be the token's. A request that names none is left to its
   * schema, which refuses it with a 400.
   */
  owner(named: (request: FastifyRequest) => unknown): preValidationAsyncHookHandler {
    return async (request: FastifyRequest) => {
      const userId = named(request);
      if (typeof userId === 'string') this.requireOwner(request, userId);
    };
  }
}

/** The user a path names: /users/:userId/... */
export const pathUser = (request: FastifyRequest): unknown => (request.params as { userId?: unknown } | undefined)?.userId;

/** The user a JSON body names: `{userId}`. */
export const bodyUser = (request: FastifyRequest): unknown => {
  const body = request.body;
  return typeof body === 'object' && body !== null ? (body as { userId?: unknown }).userId : undefined;
};
