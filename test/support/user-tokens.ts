import type { Test } from 'tap';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';

/** USER_JWT_SECRET for tests: HS256 wants at least 32 characters. */
export const USER_JWT_SECRET = 'test-user-jwt-secret-of-32-chars!';

export interface UserTokenOptions {
  /** `iat`, and the base of `expiresInS` (the test clock's now, not the machine's). */
  now: Date;
  expiresInS?: number;
  issuer?: string;
  audience?: string;
  /** `nbf`: not valid before. */
  notBefore?: Date;
}

function claims(sub: string, options: UserTokenOptions): SignJWT {
  const iat = Math.floor(options.now.getTime() / 1000);
  const jwt = new SignJWT({})
    .setSubject(sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.expiresInS ?? 3_600));
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.notBefore) jwt.setNotBefore(Math.floor(options.notBefore.getTime() / 1000));
  if (options.audience) jwt.setAudience(options.audience);
  return jwt;
}

/** A user token as an identity provider sharing USER_JWT_SECRET would sign it. */
export const hs256Token = (sub: string, options: UserTokenOptions, secret = USER_JWT_SECRET) =>
  claims(sub, options).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * An identity provider on a real loopback socket: it serves its public key as
 * a JWKS at `url` and signs tokens with the private one. `fetches` counts the
 * key-set requests (jose caches the set).
 */
export async function startJwksServer(t: Test) {
  const kid = 'test-key-1';
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] });
  let fetches = 0;
  const server = createServer((request, response) => {
    fetches++;
    if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const sign = (sub: string, options: UserTokenOptions, key: CryptoKey = privateKey) => claims(sub, options).setProtectedHeader({ alg: 'ES256', kid }).sign(key);
  return { url: `http://127.0.0.1:${port}/.well-known/jwks.json`, sign, fetches: () => fetches };
}
