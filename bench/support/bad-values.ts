import fc from 'fast-check';
import { sign } from '../../domains/queue/token.js';
import type { Fixtures } from './bad-requests.js';

/**
 * The bad values the generated requests are made of: ids, users, dates,
 * tokens and bodies that each break one rule. Kept apart from the routes
 * (bad-requests.ts), which combine them with otherwise valid requests.
 */

export const JSON_TYPE = { 'content-type': 'application/json' };
const ONE_MIB = 1024 * 1024;

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-'.split('');
export const validChars = (min: number, max: number) => fc.array(fc.constantFrom(...ID_CHARS), { minLength: min, maxLength: max }).map((c) => c.join(''));

/** Any JSON value that is not a string. */
export const notString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

/** Any JSON value that is not an integer ("10" and 1.5 included). */
export const notInteger = fc.oneof(
  fc.integer({ min: 1, max: 1_000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)),
  fc.string({ maxLength: 10 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

/** Not a userId: empty, too long, or a character outside A–Z a–z 0–9 . _ @ -. */
export const badUserId = fc.oneof(
  fc.constant(''),
  validChars(65, 300),
  fc
    .tuple(validChars(0, 30), fc.constantFrom(' ', '/', '#', '%', '?', 'é', '😀', '\u0000', '"', '\\', '+', ':', ',', '*', '\n', '~'), validChars(0, 30))
    .map(([a, bad, b]) => `${a}${bad}${b}`),
);

/** An id in a path: over 128 characters (400), or one nobody issued (404). */
export const badPathId = fc.oneof(
  fc.uuid(),
  validChars(129, 3_000),
  fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }),
);

const NOT_DATES = ['2030-13-01T00:00:00Z', '2030-02-30T10:00:00Z', '2030-06-30T23:59:60Z', '31/12/2030', '2030-12-31', '2030-12-31T25:00:00Z', 'tomorrow', '', 'T', '2030-12-31T10:00:00'];
export const notDate = fc.oneof(fc.constantFrom(...NOT_DATES), fc.string({ maxLength: 30 }).filter((s) => !/^\d{4}-\d\d-\d\dT/.test(s)), fc.integer());

/** Headers only the admin guard looks at, none of them the admin. */
export const notAdmin = (adminToken: string) =>
  fc.oneof(
    fc.constant<Record<string, string>>({}),
    fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s.trim() !== '' && s !== adminToken && !/\s/.test(s)).map((t) => ({ authorization: `Bearer ${t}` })),
    fc.constant({ authorization: `Basic ${Buffer.from(`admin:${adminToken}`).toString('base64')}` }),
    fc.constant({ authorization: 'Bearer' }),
    fc.constant({ authorization: adminToken }),
    fc.constant({ authorization: `Bearer ${adminToken}x` }),
    fc.constant({ authorization: `Bearer ${adminToken.slice(0, -1)}` }),
  );

const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Queue tokens that are not genuine: missing, junk, altered, resigned, or genuine-looking but never issued. */
export function notAToken(fixtures: Fixtures): fc.Arbitrary<{ what: string; headers: Record<string, string> }> {
  const genuine = fixtures.idle.token;
  const [body, signature] = genuine.split('.') as [string, string];
  return fc.oneof(
    fc.constant({ what: 'no Queue-Token', headers: {} }),
    fc.constant({ what: 'empty Queue-Token', headers: { 'queue-token': '' } }),
    fc.string({ minLength: 1, maxLength: 200 }).map((t) => ({ what: 'junk token', headers: { 'queue-token': t } })),
    fc
      .tuple(fc.nat({ max: genuine.length - 1 }), fc.constantFrom(...b64.split('')))
      .filter(([i, c]) => genuine[i] !== c && genuine[i] !== '.')
      .map(([i, c]) => ({ what: 'genuine token with one character changed', headers: { 'queue-token': `${genuine.slice(0, i)}${c}${genuine.slice(i + 1)}` } })),
    fc.constant({ what: 'body of one token, signature of another', headers: { 'queue-token': `${body}.${fixtures.holder.token.split('.')[1]}` } }),
    fc.constant({ what: 'token with three parts', headers: { 'queue-token': `${genuine}.${signature}` } }),
    fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.uuid()).map(([secret, tokenId]) => ({
      what: 'signed with another secret',
      headers: { 'queue-token': sign(`${fixtures.queueSecret}${secret}`, { tokenId, userId: fixtures.idle.userId }) },
    })),
    fc.uuid().map((tokenId) => ({ what: 'genuine signature, token never issued', headers: { 'queue-token': sign(fixtures.queueSecret, { tokenId, userId: fixtures.idle.userId }) } })),
    fc.integer({ min: 2_049, max: 8_000 }).map((n) => ({ what: 'token over 2048 characters', headers: { 'queue-token': `${'A'.repeat(n)}.${signature}` } })),
  );
}

/** Text that is not JSON, or JSON that a safe parser refuses. */
export function malformedJson(): fc.Arbitrary<{ what: string; body: string }> {
  return fc.oneof(
    fc.string({ minLength: 1, maxLength: 60 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }).map((body) => ({ what: 'not JSON', body })),
    fc.constantFrom('{', '{"userId":', '{"a":1}}', '[1,2', '{\'a\':1}', '{"a":1,}', 'nul', '\u0000', '{"a":"\\x"}').map((body) => ({ what: 'truncated or invalid JSON', body })),
    fc.constantFrom('{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}').map((body) => ({ what: 'prototype poisoning', body })),
    fc.constant({ what: 'empty body with a JSON content type', body: '' }),
  );
}

/** A JSON body that is not an object, or a body in another media type. */
export function wrongBodies(): fc.Arbitrary<{ what: string; body: string; headers: Record<string, string> }> {
  return fc.oneof(
    fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.boolean()).map((value) => ({
      what: `body ${JSON.stringify(value)}`,
      body: JSON.stringify(value),
      headers: JSON_TYPE,
    })),
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', '*/*').map((type) => ({
      what: `content type ${type}`,
      body: '{"a":1}',
      headers: { 'content-type': type },
    })),
  );
}

export const oversize = () => fc.integer({ min: ONE_MIB + 1, max: 3 * ONE_MIB });

export const junkQuery = fc
  .dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 20 }), { minKeys: 1, maxKeys: 3 })
  .map((q) => new URLSearchParams(q).toString());
