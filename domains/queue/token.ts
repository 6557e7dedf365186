import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The opaque queue token a client carries: `base64url(JSON [tokenId, userId]).base64url(HMAC-SHA256)`.
 * The MAC covers the encoded body exactly as sent, so any change to either part fails.
 */

export interface TokenClaims {
  tokenId: string;
  userId: string;
}

const mac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64url');

export function sign(secret: string, { tokenId, userId }: TokenClaims): string {
  const body = Buffer.from(JSON.stringify([tokenId, userId]), 'utf8').toString('base64url');
  return `${body}.${mac(secret, body)}`;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
// Generous bounds on the body: ids are at most 128 characters each.
const MAX_TOKEN_LENGTH = 2048;

/** The claims of a genuine token; null for anything forged, altered or malformed. Never throws. */
export function verify(secret: string, token: string): TokenClaims | null {
  if (typeof token !== 'string' || typeof secret !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [body, signature] = parts as [string, string];
  if (!BASE64URL.test(body) || !BASE64URL.test(signature)) return null;

  // Compare the encoded MACs: equal strings of one canonical encoding, so no two spellings of one MAC pass.
  const expected = Buffer.from(mac(secret, body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;

  return claimsOf(body);
}

function claimsOf(body: string): TokenClaims | null {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null; // signed by us yet unreadable: only possible with a leaked secret; refuse it all the same
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) return null;
  const [tokenId, userId] = decoded as unknown[];
  if (typeof tokenId !== 'string' || typeof userId !== 'string' || tokenId === '' || userId === '') return null;
  return { tokenId, userId };
}
