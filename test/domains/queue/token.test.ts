import t from 'tap';
import { sign, verify } from '../../../domains/queue/token.js';

const secret = 'queue-secret';
const claims = { tokenId: '3f1c2e9a-7b7d-4c1e-9d7e-5a4b3c2d1e0f', userId: 'alice.smith@example-1' };

t.test('a signed token verifies to its claims', async (t) => {
  const token = sign(secret, claims);
  t.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'opaque, URL- and header-safe');
  t.same(verify(secret, token), claims);
  t.same(verify(secret, sign(secret, { tokenId: 'a.b', userId: 'c.d' })), { tokenId: 'a.b', userId: 'c.d' }, 'dots in ids are safe');
  t.not(sign(secret, claims), sign(secret, { ...claims, userId: 'bob' }), 'each user gets its own token');
});

t.test('a wrong secret fails', async (t) => {
  t.equal(verify('another-secret', sign(secret, claims)), null);
});

t.test('a forged token fails', async (t) => {
  const body = Buffer.from(JSON.stringify([claims.tokenId, 'mallory'])).toString('base64url');
  const [, signature] = sign(secret, claims).split('.');
  t.equal(verify(secret, `${body}.${signature}`), null, 'a real signature on another body');
  t.equal(verify(secret, `${body}.${'A'.repeat(43)}`), null, 'a made-up signature');
  t.equal(verify(secret, `${body}.`), null, 'no signature');
});

t.test('any altered character fails', async (t) => {
  const token = sign(secret, claims);
  let accepted = 0;
  for (let i = 0; i < token.length; i += 1) {
    for (const replacement of ['A', 'B', '_', '-', '.', '=']) {
      if (token[i] === replacement) continue;
      const altered = token.slice(0, i) + replacement + token.slice(i + 1);
      if (verify(secret, altered) !== null) accepted += 1;
    }
  }
  t.equal(accepted, 0, `none of the single-character changes over ${token.length} positions verifies`);
  t.equal(verify(secret, `${token}A`), null, 'appended');
  t.equal(verify(secret, token.slice(0, -1)), null, 'truncated');
  t.equal(verify(secret, `${token}=`), null, 'padded');
  t.equal(verify(secret, ` ${token}`), null, 'leading space');
});

t.test('malformed input is null, never a throw', async (t) => {
  const inputs: unknown[] = [
    '',
    '.',
    '..',
    'abc',
    'a.b.c',
    'a.b',
    '%%%.%%%',
    'ü.ö',
    '\u0000.\u0000',
    'x'.repeat(100_000),
    `${'a'.repeat(5000)}.${'b'.repeat(43)}`,
    undefined,
    null,
    42,
    {},
  ];
  for (const input of inputs) {
    t.doesNotThrow(() => verify(secret, input as string));
    t.equal(verify(secret, input as string), null, `null for ${JSON.stringify(input)?.slice(0, 20)}`);
  }
});

t.test('a validly signed body that does not hold two ids fails', async (t) => {
  // Only someone holding the secret could make these; they are refused anyway.
  const { createHmac } = await import('node:crypto');
  const forge = (body: string) => {
    const encoded = Buffer.from(body).toString('base64url');
    return `${encoded}.${createHmac('sha256', secret).update(encoded).digest('base64url')}`;
  };
  t.same(verify(secret, forge(JSON.stringify(['a', 'b']))), { tokenId: 'a', userId: 'b' }, 'the forge helper itself is sound');
  for (const body of ['not json', '{"tokenId":"a","userId":"b"}', '["a"]', '["a","b","c"]', '["",""]', '[1,2]', 'null']) {
    t.equal(verify(secret, forge(body)), null, body);
  }
});
