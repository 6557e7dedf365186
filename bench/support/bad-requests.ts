import fc from 'fast-check';
import { badPathId, badUserId, JSON_TYPE, junkQuery, malformedJson, notAdmin, notAToken, notDate, notInteger, notString, oversize, validChars, wrongBodies } from './bad-values.js';

/**
 * Generated bad requests for every route of API.md. Each one breaks exactly
 * one rule (a valid request with one thing wrong), so that a request the
 * server accepts is a finding, not noise: a forged token is sent with a body
 * that would be accepted with a genuine one, an over-long Idempotency-Key with
 * a body that would otherwise write, and so on.
 */

/** What the running system holds before the fuzzing starts (made by a normal journey). */
export interface Fixtures {
  adminToken: string;
  queueSecret: string;
  concertId: string;
  /** Booking open now; seat `heldSeat` is HELD by the holder, `reservedSeat` RESERVED for the payer. */
  openScheduleId: string;
  openSeatCount: number;
  heldSeat: number;
  reservedSeat: number;
  freeSeat: number;
  /** Booking opens in the future. */
  notOpenScheduleId: string;
  /** ACTIVE token, a HELD reservation, one charge made with `chargeKey`. */
  holder: { userId: string; token: string; reservationId: string; chargeKey: string; chargeAmount: number };
  /** Paid: the payment COMPLETED, so the token is EXPIRED. */
  payer: { userId: string; token: string; reservationId: string; paymentId: string };
  /** ACTIVE token, nothing held. */
  idle: { userId: string; token: string };
}

/** reject: must be a 4xx. read: may be a 2xx (a GET with junk it ignores, a repeat), never a write. */
export type Expectation = 'reject' | 'read';

export type BadInputKind =
  | 'wrong type'
  | 'missing field'
  | 'out of range'
  | 'huge string'
  | 'unknown id'
  | 'malformed JSON'
  | 'oversized body'
  | 'forged token'
  | 'admin token'
  | 'bad query'
  | 'garbage header'
  | 'refused by state'
  | 'extra field'
  | 'no such route';

export interface BadRequest {
  route: string;
  kind: BadInputKind;
  /** What exactly is wrong, for the report. */
  what: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body's exact text. */
  body?: string;
  /** Instead of `body`: a well-formed JSON body of this many bytes, built at send time (over the 1 MiB limit). */
  bodyBytes?: number;
  /** Instead of all the above: these bytes over a bare socket (what an HTTP client would refuse to send). */
  raw?: string;
  expect: Expectation;
}

const request = (route: string, kind: BadInputKind, what: string, fields: Omit<BadRequest, 'route' | 'kind' | 'what' | 'expect'>, expect: Expectation = 'reject'): BadRequest => ({
  route,
  kind,
  what,
  expect,
  ...fields,
});

// ---- routes (the bad values they use are in bad-values.ts) -----------------

function concerts(f: Fixtures): fc.Arbitrary<BadRequest> {
  const route = 'POST /concerts';
  const startsAt = new Date(Date.now() + 60 * 24 * 3600_000).toISOString();
  const schedule = { startsAt, seatCount: 10, price: 100 };
  const valid = { title: 'Fuzzed night', schedules: [schedule] };
  const admin = { ...JSON_TYPE, authorization: `Bearer ${f.adminToken}` };
  const post = (kind: BadInputKind, what: string, body: unknown, headers: Record<string, string> = admin) =>
    request(route, kind, what, { method: 'POST', path: '/concerts', headers, body: JSON.stringify(body) });
  const withSchedule = (kind: BadInputKind, what: string, change: Record<string, unknown>, drop?: string) => {
    const s: Record<string, unknown> = { ...schedule, ...change };
    if (drop) delete s[drop];
    return post(kind, what, { ...valid, schedules: [s] });
  };
  return fc.oneof(
    notAdmin(f.adminToken).map((auth) => post('admin token', `not the admin: ${JSON.stringify(auth).slice(0, 60)}`, valid, { ...JSON_TYPE, ...auth })),
    fc.constantFrom('title', 'schedules').map((field) => {
      const body: Record<string, unknown> = { ...valid };
      delete body[field];
      return post('missing field', `no ${field}`, body);
    }),
    fc.constantFrom('startsAt', 'seatCount', 'price').map((field) => withSchedule('missing field', `schedule without ${field}`, {}, field)),
    notString.map((title) => post('wrong type', 'title not a string', { ...valid, title })),
    fc.constant(post('out of range', 'empty title', { ...valid, title: '' })),
    fc.integer({ min: 201, max: 5_000 }).map((n) => post('huge string', `title of ${n} characters`, { ...valid, title: 't'.repeat(n) })),
    fc.constant(post('out of range', 'no schedules', { ...valid, schedules: [] })),
    fc.integer({ min: 101, max: 300 }).map((n) => post('out of range', `${n} schedules`, { ...valid, schedules: Array.from({ length: n }, () => schedule) })),
    notString.filter((v) => !Array.isArray(v)).map((schedules) => post('wrong type', 'schedules not an array', { ...valid, schedules })),
    fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 1_001 })).map((seatCount) => withSchedule('out of range', `seatCount ${seatCount}`, { seatCount })),
    notInteger.map((seatCount) => withSchedule('wrong type', `seatCount ${JSON.stringify(seatCount)}`, { seatCount })),
    fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 10_000_001 })).map((price) => withSchedule('out of range', `price ${price}`, { price })),
    notInteger.map((price) => withSchedule('wrong type', `price ${JSON.stringify(price)}`, { price })),
    notDate.map((value) => withSchedule('wrong type', `startsAt ${JSON.stringify(value)}`, { startsAt: value })),
    notDate.map((value) => withSchedule('wrong type', `bookingOpensAt ${JSON.stringify(value)}`, { bookingOpensAt: value })),
    fc.integer({ min: 1, max: 1_000_000 }).map((minutes) =>
      withSchedule('out of range', 'bookingOpensAt after startsAt', { bookingOpensAt: new Date(Date.parse(startsAt) + minutes * 60_000).toISOString() }),
    ),
    fc.integer({ min: 1, max: 3_650 }).map((days) =>
      withSchedule('out of range', 'a show that started in the past', { startsAt: new Date(Date.now() - days * 24 * 3600_000).toISOString() }),
    ),
    fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !['title', 'schedules'].includes(k)).map((key) => post('extra field', `extra field ${JSON.stringify(key)}`, { ...valid, [key]: 1 })),
    fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !['startsAt', 'bookingOpensAt', 'seatCount', 'price'].includes(k)).map((key) => withSchedule('extra field', `extra schedule field ${JSON.stringify(key)}`, { [key]: 1 })),
    malformedJson().map(({ what, body }) => request(route, 'malformed JSON', what, { method: 'POST', path: '/concerts', headers: admin, body })),
    wrongBodies().map(({ what, body, headers }) => request(route, 'wrong type', what, { method: 'POST', path: '/concerts', headers: { authorization: admin.authorization, ...headers }, body })),
    oversize().map((bytes) => request(route, 'oversized body', `${bytes} bytes`, { method: 'POST', path: '/concerts', headers: admin, bodyBytes: bytes })),
    fc.integer({ min: 129, max: 1_000 }).map((n) => post('huge string', `Idempotency-Key of ${n} characters`, valid, { ...admin, 'idempotency-key': 'k'.repeat(n) })),
  );
}

function queueTokens(_fixtures: Fixtures): fc.Arbitrary<BadRequest> {
  const route = 'POST /queue/tokens';
  const post = (kind: BadInputKind, what: string, body: string, headers: Record<string, string> = JSON_TYPE) =>
    request(route, kind, what, { method: 'POST', path: '/queue/tokens', headers, body });
  return fc.oneof(
    fc.constant(post('missing field', 'no userId', '{}')),
    badUserId.map((userId) => post('out of range', `userId ${JSON.stringify(userId).slice(0, 40)}`, JSON.stringify({ userId }))),
    notString.map((userId) => post('wrong type', `userId ${JSON.stringify(userId)}`, JSON.stringify({ userId }))),
    fc.string({ minLength: 1, maxLength: 10 }).filter((k) => k !== 'userId').map((key) => post('extra field', `extra field ${JSON.stringify(key)}`, JSON.stringify({ userId: 'fuzz-new-user', [key]: 1 }))),
    malformedJson().map(({ what, body }) => post('malformed JSON', what, body)),
    wrongBodies().map(({ what, body, headers }) => post('wrong type', what, body, headers)),
    oversize().map((bytes) => request(route, 'oversized body', `${bytes} bytes`, { method: 'POST', path: '/queue/tokens', headers: JSON_TYPE, bodyBytes: bytes })),
    fc.integer({ min: 129, max: 1_000 }).map((n) => post('huge string', `Idempotency-Key of ${n} characters`, JSON.stringify({ userId: `fuzz-fresh-${n}` }), { ...JSON_TYPE, 'idempotency-key': 'k'.repeat(n) })),
    fc.constant(post('huge string', 'userId of 100,000 characters', JSON.stringify({ userId: 'u'.repeat(100_000) }))),
  );
}

function currentToken(f: Fixtures): fc.Arbitrary<BadRequest> {
  return notAToken(f).map(({ what, headers }) => request('GET /queue/tokens/current', 'forged token', what, { method: 'GET', path: '/queue/tokens/current', headers }));
}

function reservations(f: Fixtures): fc.Arbitrary<BadRequest> {
  const route = 'POST /reservations';
  const valid = { scheduleId: f.openScheduleId, seatNo: f.freeSeat };
  const idle = { ...JSON_TYPE, 'queue-token': f.idle.token };
  const post = (kind: BadInputKind, what: string, body: unknown, headers: Record<string, string> = idle) =>
    request(route, kind, what, { method: 'POST', path: '/reservations', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return fc.oneof(
    notAToken(f).map(({ what, headers }) => post('forged token', what, valid, { ...JSON_TYPE, ...headers })),
    fc.constant(post('refused by state', 'an EXPIRED token (its payment completed)', valid, { ...JSON_TYPE, 'queue-token': f.payer.token })),
    fc.constantFrom('scheduleId', 'seatNo').map((field) => {
      const body: Record<string, unknown> = { ...valid };
      delete body[field];
      return post('missing field', `no ${field}`, body);
    }),
    notString.map((scheduleId) => post('wrong type', `scheduleId ${JSON.stringify(scheduleId)}`, { ...valid, scheduleId })),
    fc.constant(post('out of range', 'empty scheduleId', { ...valid, scheduleId: '' })),
    validChars(129, 2_000).map((scheduleId) => post('huge string', `scheduleId of ${scheduleId.length} characters`, { ...valid, scheduleId })),
    fc.uuid().map((scheduleId) => post('unknown id', 'unknown scheduleId', { ...valid, scheduleId })),
    fc.integer({ max: 0 }).map((seatNo) => post('out of range', `seatNo ${seatNo}`, { ...valid, seatNo })),
    fc.integer({ min: f.openSeatCount + 1 }).map((seatNo) => post('unknown id', `seatNo ${seatNo}, past the seat count`, { ...valid, seatNo })),
    notInteger.map((seatNo) => post('wrong type', `seatNo ${JSON.stringify(seatNo)}`, { ...valid, seatNo })),
    fc.constantFrom(f.heldSeat, f.reservedSeat).map((seatNo) => post('refused by state', `seat ${seatNo}, taken`, { ...valid, seatNo })),
    fc.integer({ min: 1, max: 10 }).map((seatNo) => post('refused by state', 'a schedule whose booking has not opened', { scheduleId: f.notOpenScheduleId, seatNo })),
    fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !['scheduleId', 'seatNo'].includes(k)).map((key) => post('extra field', `extra field ${JSON.stringify(key)}`, { ...valid, [key]: 1 })),
    malformedJson().map(({ what, body }) => post('malformed JSON', what, body)),
    wrongBodies().map(({ what, body, headers }) => post('wrong type', what, body, { 'queue-token': f.idle.token, ...headers })),
    oversize().map((bytes) => request(route, 'oversized body', `${bytes} bytes`, { method: 'POST', path: '/reservations', headers: idle, bodyBytes: bytes })),
    fc.integer({ min: 129, max: 1_000 }).map((n) => post('huge string', `Idempotency-Key of ${n} characters`, valid, { ...idle, 'idempotency-key': 'k'.repeat(n) })),
  );
}

function charge(f: Fixtures): fc.Arbitrary<BadRequest> {
  const route = 'POST /users/:userId/points/charge';
  const path = (userId: string) => `/users/${encodeURIComponent(userId)}/points/charge`;
  const user = fc.constantFrom(f.holder.userId, 'fuzz-charged-user');
  const post = (kind: BadInputKind, what: string, userId: string, body: unknown, headers: Record<string, string> = JSON_TYPE) =>
    request(route, kind, what, { method: 'POST', path: path(userId), headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return fc.oneof(
    badUserId.filter((u) => u !== '').map((userId) => post('out of range', `userId ${JSON.stringify(userId).slice(0, 40)} in the path`, userId, { amount: 10 })),
    user.map((userId) => post('missing field', 'no amount', userId, {})),
    fc.tuple(user, fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 10_000_001 }), fc.constant(1e300))).map(([userId, amount]) => post('out of range', `amount ${amount}`, userId, { amount })),
    fc.tuple(user, notInteger).map(([userId, amount]) => post('wrong type', `amount ${JSON.stringify(amount)}`, userId, { amount })),
    fc.tuple(user, fc.string({ minLength: 1, maxLength: 10 }).filter((k) => k !== 'amount')).map(([userId, key]) => post('extra field', `extra field ${JSON.stringify(key)}`, userId, { amount: 10, [key]: 1 })),
    fc.integer({ min: 1, max: 10_000_000 }).filter((amount) => amount !== f.holder.chargeAmount).map((amount) =>
      post('refused by state', 'Idempotency-Key reused with another amount', f.holder.userId, { amount }, { ...JSON_TYPE, 'idempotency-key': f.holder.chargeKey }),
    ),
    fc.integer({ min: 129, max: 1_000 }).map((n) => post('huge string', `Idempotency-Key of ${n} characters`, f.holder.userId, { amount: 10 }, { ...JSON_TYPE, 'idempotency-key': 'k'.repeat(n) })),
    fc.tuple(user, malformedJson()).map(([userId, { what, body }]) => post('malformed JSON', what, userId, body)),
    fc.tuple(user, wrongBodies()).map(([userId, { what, body, headers }]) => post('wrong type', what, userId, body, headers)),
    fc.tuple(user, oversize()).map(([userId, bytes]) => request(route, 'oversized body', `${bytes} bytes`, { method: 'POST', path: path(userId), headers: JSON_TYPE, bodyBytes: bytes })),
  );
}

function payments(f: Fixtures): fc.Arbitrary<BadRequest> {
  const route = 'POST /payments';
  const idle = { ...JSON_TYPE, 'queue-token': f.idle.token };
  const post = (kind: BadInputKind, what: string, body: unknown, headers: Record<string, string> = idle, expect: Expectation = 'reject') =>
    request(route, kind, what, { method: 'POST', path: '/payments', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }, expect);
  return fc.oneof(
    notAToken(f).map(({ what, headers }) => post('forged token', what, { reservationId: f.holder.reservationId }, { ...JSON_TYPE, ...headers })),
    fc.constantFrom(f.holder.reservationId, f.payer.reservationId).map((reservationId) => post('refused by state', "another user's reservation", { reservationId })),
    fc.uuid().map((reservationId) => post('unknown id', 'unknown reservationId', { reservationId })),
    fc.uuid().map((reservationId) => post('unknown id', "unknown reservationId with the holder's token", { reservationId }, { ...JSON_TYPE, 'queue-token': f.holder.token })),
    fc.constant(post('refused by state', 'a repeat of a completed payment (answered, writes nothing)', { reservationId: f.payer.reservationId }, { ...JSON_TYPE, 'queue-token': f.payer.token }, 'read')),
    fc.constant(post('missing field', 'no reservationId', {})),
    notString.map((reservationId) => post('wrong type', `reservationId ${JSON.stringify(reservationId)}`, { reservationId })),
    fc.constant(post('out of range', 'empty reservationId', { reservationId: '' })),
    validChars(129, 2_000).map((reservationId) => post('huge string', `reservationId of ${reservationId.length} characters`, { reservationId })),
    fc.string({ minLength: 1, maxLength: 10 }).filter((k) => k !== 'reservationId').map((key) => post('extra field', `extra field ${JSON.stringify(key)}`, { reservationId: f.holder.reservationId, [key]: 1 }, { ...JSON_TYPE, 'queue-token': f.holder.token })),
    fc.integer({ min: 129, max: 1_000 }).map((n) => post('huge string', `Idempotency-Key of ${n} characters`, { reservationId: f.holder.reservationId }, { ...JSON_TYPE, 'queue-token': f.holder.token, 'idempotency-key': 'k'.repeat(n) })),
    malformedJson().map(({ what, body }) => post('malformed JSON', what, body)),
    wrongBodies().map(({ what, body, headers }) => post('wrong type', what, body, { 'queue-token': f.idle.token, ...headers })),
    oversize().map((bytes) => request(route, 'oversized body', `${bytes} bytes`, { method: 'POST', path: '/payments', headers: idle, bodyBytes: bytes })),
  );
}

/** A buyer's cancel that must be refused: not theirs, unknown, or a bad body. The fixtures' own cancels would write, so none is sent. */
function cancelReservation(f: Fixtures): fc.Arbitrary<BadRequest> {
  const route = 'POST /reservations/:reservationId/cancel';
  const post = (kind: BadInputKind, what: string, reservationId: string, body: unknown, headers: Record<string, string> = JSON_TYPE) =>
    request(route, kind, what, {
      method: 'POST',
      path: `/reservations/${encodeURIComponent(reservationId)}/cancel`,
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const theirs = fc.constantFrom(f.holder, f.payer);
  return fc.oneof(
    theirs.map(({ reservationId }) => post('refused by state', "another user's reservation", reservationId, { userId: f.idle.userId })),
    fc.uuid().map((reservationId) => post('unknown id', 'unknown reservationId', reservationId, { userId: f.holder.userId })),
    validChars(129, 2_000).map((reservationId) => post('huge string', `reservationId of ${reservationId.length} characters`, reservationId, { userId: f.holder.userId })),
    theirs.map(({ reservationId }) => post('missing field', 'no userId', reservationId, {})),
    fc.tuple(theirs, notString).map(([{ reservationId }, userId]) => post('wrong type', `userId ${JSON.stringify(userId)}`, reservationId, { userId })),
    fc.tuple(theirs, badUserId).map(([{ reservationId }, userId]) => post('out of range', `userId ${JSON.stringify(userId).slice(0, 40)}`, reservationId, { userId })),
    fc
      .tuple(theirs, fc.string({ minLength: 1, maxLength: 10 }).filter((k) => k !== 'userId'))
      .map(([{ reservationId, userId }, key]) => post('extra field', `extra field ${JSON.stringify(key)}`, reservationId, { userId, [key]: 1 })),
    fc
      .tuple(theirs, fc.integer({ min: 129, max: 1_000 }))
      .map(([{ reservationId, userId }, n]) =>
        post('huge string', `Idempotency-Key of ${n} characters`, reservationId, { userId }, { ...JSON_TYPE, 'idempotency-key': 'k'.repeat(n) }),
      ),
    fc.tuple(theirs, malformedJson()).map(([{ reservationId }, { what, body }]) => post('malformed JSON', what, reservationId, body)),
    fc.tuple(theirs, wrongBodies()).map(([{ reservationId }, { what, body, headers }]) => post('wrong type', what, reservationId, body, headers)),
    fc.tuple(theirs, oversize()).map(([{ reservationId }, bytes]) =>
      request(route, 'oversized body', `${bytes} bytes`, { method: 'POST', path: `/reservations/${reservationId}/cancel`, headers: JSON_TYPE, bodyBytes: bytes }),
    ),
  );
}

/** A schedule cancel that must be refused: not the admin, or a schedule that does not exist. The fixtures' schedules are never cancelled. */
function cancelSchedule(f: Fixtures): fc.Arbitrary<BadRequest> {
  const route = 'POST /schedules/:scheduleId/cancel';
  const post = (kind: BadInputKind, what: string, scheduleId: string, headers: Record<string, string>) =>
    request(route, kind, what, { method: 'POST', path: `/schedules/${encodeURIComponent(scheduleId)}/cancel`, headers });
  const admin = { authorization: `Bearer ${f.adminToken}` };
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(f.openScheduleId, f.notOpenScheduleId), notAdmin(f.adminToken))
      .map(([scheduleId, auth]) => post('admin token', `not the admin: ${JSON.stringify(auth).slice(0, 60)}`, scheduleId, auth)),
    fc.uuid().map((scheduleId) => post('unknown id', 'unknown scheduleId', scheduleId, admin)),
    validChars(129, 2_000).map((scheduleId) => post('huge string', `scheduleId of ${scheduleId.length} characters`, scheduleId, admin)),
  );
}

/** A GET of one resource by id: unknown (404) or over-long (400). */
function byId(route: string, path: (id: string) => string): fc.Arbitrary<BadRequest> {
  return badPathId.map((id) =>
    request(route, id.length > 128 ? 'huge string' : 'unknown id', id.length > 128 ? `id of ${id.length} characters` : `unknown id ${JSON.stringify(id).slice(0, 40)}`, {
      method: 'GET',
      path: path(encodeURIComponent(id)),
      headers: {},
    }),
  );
}

function getPayment(f: Fixtures): fc.Arbitrary<BadRequest> {
  const route = 'GET /payments/:paymentId';
  const at = (query: string, what: string, kind: BadInputKind = 'bad query') =>
    request(route, kind, what, { method: 'GET', path: `/payments/${f.payer.paymentId}?${query}`, headers: {} });
  return fc.oneof(
    byId(route, (id) => `/payments/${id}`),
    fc.tuple(fc.uuid(), fc.integer({ min: 0, max: 200 })).map(([id, waitMs]) =>
      request(route, 'unknown id', 'unknown paymentId with a valid waitMs', { method: 'GET', path: `/payments/${id}?waitMs=${waitMs}`, headers: {} }),
    ),
    fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 30_001 })).map((n) => at(`waitMs=${n}`, `waitMs ${n}`)),
    fc.constantFrom('abc', '1.5', '', '1e3', '0x10', ' 5', '5 ', 'true', '99999999999999999999999').map((v) => at(`waitMs=${encodeURIComponent(v)}`, `waitMs ${JSON.stringify(v)}`)),
    fc.constant(at('waitMs=1&waitMs=2', 'waitMs given twice')),
    junkQuery.filter((q) => !q.startsWith('waitMs=')).map((q) => at(q, 'unknown query parameter')),
  );
}

function rankings(): fc.Arbitrary<BadRequest> {
  const route = 'GET /rankings/sold-out';
  const at = (query: string, what: string) => request(route, 'bad query', what, { method: 'GET', path: `/rankings/sold-out?${query}`, headers: {} });
  return fc.oneof(
    fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 101 })).map((n) => at(`limit=${n}`, `limit ${n}`)),
    fc.constantFrom('abc', '1.5', '', '1e1', '-', 'null', '10abc').map((v) => at(`limit=${encodeURIComponent(v)}`, `limit ${JSON.stringify(v)}`)),
    fc.constant(at('limit=1&limit=2', 'limit given twice')),
    junkQuery.filter((q) => !q.startsWith('limit=')).map((q) => at(q, 'unknown query parameter')),
  );
}

/** The paged lists: limits out of 1–100, cursors the server never handed out, a q out of 1–100 characters, a bad user. */
function lists(f: Fixtures): fc.Arbitrary<BadRequest> {
  const user = f.holder.userId;
  const paths = ['/concerts', `/users/${user}/points/history`, `/users/${user}/reservations`];
  const at = (path: string, query: string, what: string, kind: BadInputKind = 'bad query') =>
    request(`GET ${path.replace(user, ':userId')}`, kind, what, { method: 'GET', path: `${path}?${query}`, headers: {} });
  const notCursor = fc.oneof(
    fc.string({ minLength: 1, maxLength: 60 }),
    fc.string({ minLength: 1, maxLength: 60 }).map((text) => Buffer.from(text).toString('base64url')),
    fc.integer({ min: 401, max: 3_000 }).map((n) => 'A'.repeat(n)),
    fc.constant(Buffer.from(`${'0'.repeat(40)}`).toString('base64url')),
  );
  return fc.oneof(
    fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 101 }))).map(([path, n]) => at(path, `limit=${n}`, `limit ${n}`)),
    fc.tuple(fc.constantFrom(...paths), fc.constantFrom('abc', '1.5', '', '1e1', '-', 'null')).map(([path, v]) => at(path, `limit=${encodeURIComponent(v)}`, `limit ${JSON.stringify(v)}`)),
    fc.tuple(fc.constantFrom(...paths), notCursor).map(([path, cursor]) => at(path, `cursor=${encodeURIComponent(cursor)}`, `cursor ${JSON.stringify(cursor).slice(0, 40)}`)),
    fc.constantFrom(...paths).map((path) => at(path, 'cursor=', 'an empty cursor')),
    fc.oneof(fc.constant(''), fc.integer({ min: 101, max: 2_000 }).map((n) => 'q'.repeat(n))).map((q) => at('/concerts', `q=${q}`, `q of ${q.length} characters`)),
    fc.tuple(fc.constantFrom('points/history', 'reservations'), badUserId.filter((u) => u !== '')).map(([rest, userId]) =>
      request(`GET /users/:userId/${rest}`, 'out of range', `userId ${JSON.stringify(userId).slice(0, 40)}`, { method: 'GET', path: `/users/${encodeURIComponent(userId)}/${rest}`, headers: {} }),
    ),
  );
}

/** Routes without input: junk in the query is ignored (a 200), but must write nothing. */
function readOnly(): fc.Arbitrary<BadRequest> {
  return fc.tuple(fc.constantFrom('/concerts', '/health', '/metrics', '/docs/json'), junkQuery).map(([path, query]) =>
    request(`GET ${path} (ignored junk)`, 'bad query', 'junk query parameters', { method: 'GET', path: `${path}?${query}`, headers: {} }, 'read'),
  );
}

function points(): fc.Arbitrary<BadRequest> {
  return badUserId.filter((u) => u !== '').map((userId) =>
    request('GET /users/:userId/points', 'out of range', `userId ${JSON.stringify(userId).slice(0, 40)}`, { method: 'GET', path: `/users/${encodeURIComponent(userId)}/points`, headers: {} }),
  );
}

function noSuchRoute(): fc.Arbitrary<BadRequest> {
  return fc.oneof(
    fc.tuple(fc.constantFrom('PUT', 'DELETE', 'PATCH'), fc.constantFrom('/concerts', '/reservations', '/payments', '/queue/tokens', '/users/a/points/charge', '/health')).map(([method, path]) =>
      request('(no such route)', 'no such route', `${method} ${path}`, { method, path, headers: {} }),
    ),
    fc.webPath().filter((p) => p.length > 1 && !/^\/(concerts|schedules|queue|reservations|users|payments|rankings|health|metrics|docs)/.test(p)).map((path) =>
      request('(no such route)', 'no such route', 'unknown path', { method: 'GET', path, headers: {} }),
    ),
  );
}

/** What no HTTP client library would send: answered by Node's parser (400, 431) before any route runs. */
function garbage(): fc.Arbitrary<BadRequest> {
  const raw = (what: string, bytes: string) => request('(raw HTTP)', 'garbage header', what, { method: 'RAW', path: '', headers: {}, raw: bytes }, 'read');
  const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
  return fc.oneof(
    fc.string({ minLength: 1, maxLength: 40 }).map((line) => raw('request line of junk', head([line]))),
    fc.constantFrom('Bad Header', 'X(y)', 'a:b', '"q"', 'é').map((name) => raw(`header name ${JSON.stringify(name)}`, head(['GET /concerts HTTP/1.1', 'Host: x', `${name}: 1`]))),
    fc.constantFrom('\u0001', '\u007f', '\u0000').map((c) => raw('control character in a header value', head(['GET /concerts HTTP/1.1', 'Host: x', `X-A: a${c}b`]))),
    fc.integer({ min: 17_000, max: 80_000 }).map((n) => raw('one header of 17–80 kB (over the 16 KiB limit)', head(['GET /concerts HTTP/1.1', 'Host: x', `X-Big: ${'a'.repeat(n)}`]))),
    fc.constant(raw('no Host header in HTTP/1.1', head(['GET /concerts HTTP/1.1']))),
    fc.constantFrom('abc', '-1', '1, 2', '99999999999999999999').map((v) =>
      raw(`Content-Length ${JSON.stringify(v)}`, `${head(['POST /queue/tokens HTTP/1.1', 'Host: x', 'Content-Type: application/json', `Content-Length: ${v}`])}{"userId":"z"}`),
    ),
    fc.constant(
      raw(
        'Content-Length with Transfer-Encoding',
        `${head(['POST /queue/tokens HTTP/1.1', 'Host: x', 'Content-Type: application/json', 'Content-Length: 5', 'Transfer-Encoding: chunked'])}0\r\n\r\n`,
      ),
    ),
    fc.constantFrom('zz', '-1', 'ffffffffffffffffff', ' ').map((size) =>
      raw(`chunk size ${JSON.stringify(size)}`, `${head(['POST /queue/tokens HTTP/1.1', 'Host: x', 'Content-Type: application/json', 'Transfer-Encoding: chunked'])}${size}\r\n{}\r\n0\r\n\r\n`),
    ),
    fc.constantFrom('HTTP/9.9', 'HTTP/1', 'FTP/1.0', '').map((version) => raw(`version ${JSON.stringify(version)}`, head([`GET /concerts ${version}`.trim(), 'Host: x']))),
  );
}

/** Every route, equally often: the arbitrary for each, by name. */
export function badRequestsByRoute(f: Fixtures): Array<[string, fc.Arbitrary<BadRequest>]> {
  return [
    ['POST /concerts', concerts(f)],
    ['GET /concerts (ignored junk), /health, /metrics, /docs/json', readOnly()],
    ['GET /concerts/:concertId/schedules', byId('GET /concerts/:concertId/schedules', (id) => `/concerts/${id}/schedules`)],
    ['GET /schedules/:scheduleId', byId('GET /schedules/:scheduleId', (id) => `/schedules/${id}`)],
    ['GET /schedules/:scheduleId/seats', byId('GET /schedules/:scheduleId/seats', (id) => `/schedules/${id}/seats`)],
    ['POST /queue/tokens', queueTokens(f)],
    ['GET /queue/tokens/current', currentToken(f)],
    ['POST /reservations', reservations(f)],
    ['GET /reservations/:reservationId', byId('GET /reservations/:reservationId', (id) => `/reservations/${id}`)],
    ['POST /reservations/:reservationId/cancel', cancelReservation(f)],
    ['POST /schedules/:scheduleId/cancel', cancelSchedule(f)],
    ['POST /users/:userId/points/charge', charge(f)],
    ['GET /users/:userId/points', points()],
    ['POST /payments', payments(f)],
    ['GET /payments/:paymentId', getPayment(f)],
    ['GET /payments/:paymentId/events', byId('GET /payments/:paymentId/events', (id) => `/payments/${id}/events`)],
    ['GET /rankings/sold-out', rankings()],
    ['GET /concerts, /users/:userId/points/history, /users/:userId/reservations (paging)', lists(f)],
    ['(no such route)', noSuchRoute()],
    ['(raw HTTP)', garbage()],
  ];
}

/** A well-formed JSON body of exactly `bytes` bytes. */
export function oversizedBody(bytes: number): string {
  const shell = '{"userId":""}';
  return `{"userId":"${'u'.repeat(Math.max(0, bytes - shell.length))}"}`;
}

/** The request as one short line for the report. */
export function describeRequest(r: BadRequest): string {
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);
  if (r.raw !== undefined) return `raw ${JSON.stringify(cut(r.raw, 160))}`;
  const headers = Object.entries(r.headers).map(([k, v]) => `${k}: ${cut(v, 60)}`);
  const body = r.bodyBytes !== undefined ? ` body: ${r.bodyBytes} bytes of JSON` : r.body !== undefined ? ` body: ${JSON.stringify(cut(r.body, 160))}` : '';
  return `${r.method} ${cut(r.path, 120)}${headers.length > 0 ? ` [${headers.join('; ')}]` : ''}${body}`;
}
