import t, { type Test } from 'tap';
import { startTestSystem, assertInvariants } from '../support/system.js';
import { startTestApi, schedule, type TestApi } from '../support/api.js';
import { registerConcert } from '../../domains/concert/register-concert.js';
import { encodeCursor } from '../../infra/http/paging.js';

/** The `next` link of an answer, or null on the last page; fails the test on any other shape. */
function nextLink(t: Test, headers: Record<string, unknown>): string | null {
  const link = headers.link;
  if (link === undefined) return null;
  const match = /^<([^>]+)>; rel="next"$/.exec(String(link));
  t.ok(match, `a Link header of one next link: ${String(link)}`);
  return match ? match[1]! : null;
}

/** Follows `next` links from `url` to the last page; `between` runs after each page (to grow the list meanwhile). */
async function pageThrough<T>(t: Test, api: TestApi, url: string, between: (page: number) => Promise<void> = async () => {}) {
  const pages: T[][] = [];
  const links: string[] = [];
  for (let at: string | null = url; at !== null; ) {
    const answer = await api.inject({ method: 'GET', url: at });
    t.equal(answer.statusCode, 200, `GET ${at}`);
    pages.push(answer.json() as T[]);
    at = nextLink(t, answer.headers);
    if (at !== null) links.push(at);
    await between(pages.length);
    if (pages.length > 100) throw new Error('paging does not end');
  }
  return { pages, links, items: pages.flat() };
}

const concertOf = (title: string) => ({ title, schedules: [{ startsAt: '2030-06-01T19:00:00.000Z', bookingOpensAt: '2030-01-01T09:00:00.000Z', seatCount: 1, price: 100 }] });

t.test('GET /concerts pages in registration order; concerts registered while paging are neither skipped nor repeated', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  for (let i = 1; i <= 5; i++) await api.registerConcert({ title: `Gala ${i}` });
  let added = 5;
  const { pages, links, items } = await pageThrough<{ title: string }>(t, api, '/concerts?limit=2', async (page) => {
    // Two more arrive after each of the first three pages: the list outgrows the pages the client has seen.
    if (page <= 3) for (let i = 0; i < 2; i++) await api.registerConcert({ title: `Gala ${++added}` });
  });
  const titles = items.map((c) => c.title);
  t.same(titles, Array.from({ length: added }, (_, i) => `Gala ${i + 1}`), 'every concert once, in registration order, the late ones included');
  t.ok(pages.slice(0, -1).every((p) => p.length === 2), 'every page but the last is full');
  t.ok(pages.at(-1)!.length >= 1 && pages.at(-1)!.length <= 2, 'the last page has what is left, and no next link');
  t.match(links[0], /^\/concerts\?limit=2&cursor=[A-Za-z0-9_-]+$/, 'the link keeps the path and the limit');
  t.same(await api.inject({ method: 'GET', url: '/concerts' }).then((r) => [r.json().length, r.headers.link]), [added, undefined], 'the default page holds them all: no link');
});

t.test('GET /concerts defaults to 50 a page and takes at most 100', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  // Registered in the domain, not through the route: the route is not what this test is about, and 101 round trips would be.
  for (let i = 1; i <= 101; i++) await registerConcert(system.store, concertOf(`Concert ${String(i).padStart(3, '0')}`), system.clock.now());
  await api.settle();
  const first = await api.inject({ method: 'GET', url: '/concerts' });
  t.equal(first.json().length, 50, 'default 50');
  t.match(nextLink(t, first.headers), /^\/concerts\?cursor=[^&]+&limit=50$/, 'the default limit is written into the link');
  const hundred = await api.inject({ method: 'GET', url: '/concerts?limit=100' });
  t.equal(hundred.json().length, 100);
  const rest = await api.inject({ method: 'GET', url: nextLink(t, hundred.headers)! });
  t.same(rest.json().map((c: { title: string }) => c.title), ['Concert 101'], 'the last one on the second page');
  t.equal(rest.headers.link, undefined, 'no link on the last page');
  const exact = await api.inject({ method: 'GET', url: '/concerts?limit=1&cursor=' + encodeURIComponent(new URL(nextLink(t, hundred.headers)!, 'http://x').searchParams.get('cursor')!) });
  t.same(exact.json().map((c: { title: string }) => c.title), ['Concert 101']);
  t.equal(exact.headers.link, undefined, 'a page that ends exactly at the last item has no link');
});

t.test('GET /concerts?q keeps titles that contain q in any case, and keeps q in the next link', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  for (const title of ['Spring Gala', 'Autumn Nights', 'SPRING fling', 'Night of Spring', 'Winter', 'Ünïcode SPRÎNG', 'spring again']) {
    await api.registerConcert({ title });
  }
  const all = await api.inject({ method: 'GET', url: '/concerts?q=SpRiNg' });
  t.same(all.json().map((c: { title: string }) => c.title), ['Spring Gala', 'SPRING fling', 'Night of Spring', 'spring again'], 'case-insensitive substring, registration order');
  t.same((await api.inject({ method: 'GET', url: `/concerts?q=${encodeURIComponent('sprîng')}` })).json().map((c: { title: string }) => c.title), ['Ünïcode SPRÎNG'], 'beyond ASCII too');
  t.same((await api.inject({ method: 'GET', url: '/concerts?q=opera' })).json(), [], 'no match: an empty list');
  const { pages, links } = await pageThrough<{ title: string }>(t, api, '/concerts?q=spring&limit=3');
  t.same(pages.map((p) => p.map((c) => c.title)), [['Spring Gala', 'SPRING fling', 'Night of Spring'], ['spring again']]);
  t.match(links, [/^\/concerts\?q=spring&limit=3&cursor=[A-Za-z0-9_-]+$/], 'the same query, with the cursor');
  // A search among many non-matching titles reads past them in batches.
  for (let i = 0; i < 250; i++) await registerConcert(system.store, concertOf(`Filler ${i}`), system.clock.now());
  await api.registerConcert({ title: 'Late spring' });
  const late = await pageThrough<{ title: string }>(t, api, '/concerts?q=spring&limit=4');
  t.same(late.items.map((c) => c.title), ['Spring Gala', 'SPRING fling', 'Night of Spring', 'spring again', 'Late spring'], 'found past 250 others');
  t.same(late.pages.map((p) => p.length), [4, 1]);
});

t.test('bad limits, queries and cursors are 400s and write nothing', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  await api.registerConcert({ title: 'Spring Gala' });
  await api.registerConcert({ title: 'Autumn' });
  const page = await api.inject({ method: 'GET', url: '/concerts?limit=1' });
  const cursor = new URL(nextLink(t, page.headers)!, 'http://x').searchParams.get('cursor')!;
  const lists = ['/concerts', '/users/ana/points/history', '/users/ana/reservations'];
  for (const list of lists) {
    for (const [name, query] of [
      ['limit 0', 'limit=0'],
      ['limit 101', 'limit=101'],
      ['limit -1', 'limit=-1'],
      ['a fractional limit', 'limit=1.5'],
      ['a limit in words', 'limit=ten'],
      ['an empty cursor', 'cursor='],
      ['an unknown parameter', 'page=2'],
      [`a cursor of ${401} characters`, `cursor=${'A'.repeat(401)}`],
    ] as const) {
      await api.refused(t, { method: 'GET', url: `${list}?${query}` }, 400, 'FST_ERR_VALIDATION', `${list}: ${name}`);
    }
    for (const [name, bad] of [
      ['made up', 'hello'],
      ['base64url of something else', Buffer.from('not-a-key').toString('base64url')],
      ['bytes that are no text', Buffer.from([0xff, 0xfe, 0xfd]).toString('base64url')],
      ['a real cursor with padding', `${cursor}=`],
      ['standard base64', Buffer.from(Buffer.from(cursor, 'base64url')).toString('base64').replace(/=+$/, '') + '+/'],
      ['a key with no id', encodeCursor('0'.repeat(40))],
      ['a key of 39 digits', encodeCursor(`${'0'.repeat(39)}:x`)],
    ] as const) {
      await api.refused(t, { method: 'GET', url: `${list}?cursor=${encodeURIComponent(bad)}` }, 400, 'INVALID_CURSOR', `${list}: ${name}`);
    }
  }
  for (const [name, query] of [
    ['an empty q', 'q='],
    ['a q of 101 characters', `q=${'x'.repeat(101)}`],
  ] as const) {
    await api.refused(t, { method: 'GET', url: `/concerts?${query}` }, 400, 'FST_ERR_VALIDATION', name);
  }
  t.equal((await api.inject({ method: 'GET', url: `/concerts?q=${'x'.repeat(100)}` })).statusCode, 200, 'a q of 100 characters');
  await api.refused(t, { method: 'GET', url: '/users/ana!/points/history' }, 400, 'FST_ERR_VALIDATION', 'a bad user id');
  await api.refused(t, { method: 'GET', url: `/users/${'u'.repeat(65)}/reservations` }, 400, 'FST_ERR_VALIDATION', 'a user id of 65 characters');
});

interface Movement {
  kind: string;
  amount: number;
  balanceAfter: number;
  paymentId?: string;
  at: string;
}

t.test("GET /users/:userId/points/history: every charge, debit and refund, newest first; a user never seen has none", async (t) => {
  // The point service is down while the payment's deadline passes: the late debit is then refunded (a TIMEOUT).
  const system = await startTestSystem(t, { without: ['point'] });
  const api = await startTestApi(t, system);
  const never = await api.inject({ method: 'GET', url: '/users/nobody/points/history' });
  t.same([never.statusCode, never.json(), never.headers.link], [200, [], undefined], 'a user never seen: 200 []');

  const charged = await api.inject({ method: 'POST', url: '/users/ana/points/charge', payload: { amount: 300 } });
  t.equal(charged.statusCode, 200);
  t.same((await api.inject({ method: 'GET', url: '/users/ana/points/history' })).json(), [{ kind: 'CHARGE', amount: 300, balanceAfter: 300, at: '2030-01-01T10:00:00.000Z' }], 'a charge reads back at once');

  const schedule = await system.openSchedule(1, 100);
  const { paymentId } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  system.clock.advance(system.config.paymentDeadlineMs);
  await system.settle();
  await system.start(['point']);
  await api.settle();
  const late = new Date(Date.parse('2030-01-01T10:00:00.000Z') + system.config.paymentDeadlineMs).toISOString();
  const history = (await api.inject({ method: 'GET', url: '/users/ana/points/history' })).json() as Movement[];
  t.same(
    history,
    [
      { kind: 'REFUND', amount: 100, balanceAfter: 300, paymentId, at: late },
      // A reaction takes its time from the event it answers: the late debit is dated by the seat's reservation.
      { kind: 'DEBIT', amount: 100, balanceAfter: 200, paymentId, at: '2030-01-01T10:00:00.000Z' },
      { kind: 'CHARGE', amount: 300, balanceAfter: 300, at: '2030-01-01T10:00:00.000Z' },
    ],
    'newest first, each with the balance after it',
  );
  t.same((await api.inject({ method: 'GET', url: '/users/ben/points/history' })).json(), [], "one user's history is not another's");
  await assertInvariants(t, system);
});

t.test('paging through a history while new movements arrive: the pages are the history as it was, newest first, nothing twice', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  for (let i = 1; i <= 7; i++) await api.inject({ method: 'POST', url: '/users/ana/points/charge', payload: { amount: i } });
  let amount = 100;
  const { pages, links, items } = await pageThrough<Movement>(t, api, '/users/ana/points/history?limit=3', async () => {
    await api.inject({ method: 'POST', url: '/users/ana/points/charge', payload: { amount: ++amount } });
  });
  t.same(items.map((m) => m.amount), [7, 6, 5, 4, 3, 2, 1], 'the movements there when paging began, each once: later ones are above the first page');
  t.same(pages.map((p) => p.length), [3, 3, 1]);
  t.match(links[0], /^\/users\/ana\/points\/history\?limit=3&cursor=[A-Za-z0-9_-]+$/);
  const now = (await api.inject({ method: 'GET', url: '/users/ana/points/history?limit=100' })).json() as Movement[];
  t.same(now.map((m) => m.amount), [103, 102, 101, 7, 6, 5, 4, 3, 2, 1], 'a fresh first page starts with them');
});

interface Listed {
  reservationId: string;
  scheduleId: string;
  concertId: string;
  title: string;
  seatNos: number[];
  amount: number;
  status: string;
  paymentId?: string;
  updatedAt: string;
}

t.test("GET /users/:userId/reservations: each hold with its concert, seats, amount and status, newest first", async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  t.same((await api.inject({ method: 'GET', url: '/users/ana/reservations' })).json(), [], 'a user never seen: []');
  const concert = await api.registerConcert({ title: 'Spring Gala', schedules: [schedule({ seatCount: 3, price: 120 })] });
  const scheduleId = concert.schedules[0]!.scheduleId;
  const token = await api.activeToken('ana');
  const hold = async (seatNo: number) => {
    const answer = await api.inject({ method: 'POST', url: '/reservations', headers: { 'queue-token': token }, payload: { scheduleId, seatNo } });
    t.equal(answer.statusCode, 201);
    return answer.json().reservationId as string;
  };
  const first = await hold(1);
  const listed = (await api.inject({ method: 'GET', url: '/users/ana/reservations' })).json() as Listed[];
  t.same(
    listed,
    [{ reservationId: first, scheduleId, concertId: concert.concertId, title: 'Spring Gala', seatNos: [1], amount: 120, status: 'HELD', updatedAt: '2030-01-01T10:00:00.000Z' }],
    'a hold is listed at once',
  );

  system.clock.advance(system.config.holdTtlMs);
  await api.settle();
  const second = await hold(2);
  await api.inject({ method: 'POST', url: '/users/ana/points/charge', payload: { amount: 500 } });
  const paid = await api.inject({ method: 'POST', url: '/payments', headers: { 'queue-token': token }, payload: { reservationId: second } });
  t.equal(paid.statusCode, 202);
  const { paymentId } = paid.json();
  await api.settle();
  const later = new Date(Date.parse('2030-01-01T10:00:00.000Z') + system.config.holdTtlMs).toISOString();
  t.same(
    (await api.inject({ method: 'GET', url: '/users/ana/reservations' })).json(),
    [
      { reservationId: second, scheduleId, concertId: concert.concertId, title: 'Spring Gala', seatNos: [2], amount: 120, status: 'RESERVED', paymentId, updatedAt: later },
      { reservationId: first, scheduleId, concertId: concert.concertId, title: 'Spring Gala', seatNos: [1], amount: 120, status: 'EXPIRED', updatedAt: later },
    ],
    'newest hold first; the expired one keeps its place',
  );
  t.same((await api.inject({ method: 'GET', url: '/users/ben/reservations' })).json(), [], "ana's holds are not ben's");
  await assertInvariants(t, system);
});

t.test("paging through a user's reservations while new holds arrive: nothing skipped or repeated", async (t) => {
  // One user's list of eight holds: more than the default MAX_SEATS_PER_USER lets one user hold.
  const system = await startTestSystem(t, { env: { MAX_SEATS_PER_USER: '20' } });
  const api = await startTestApi(t, system);
  const scheduleId = (await api.registerConcert({ schedules: [schedule({ seatCount: 20 })] })).schedules[0]!.scheduleId;
  const token = await api.activeToken('ana');
  let seat = 0;
  const hold = async () => {
    const answer = await api.inject({ method: 'POST', url: '/reservations', headers: { 'queue-token': token }, payload: { scheduleId, seatNo: ++seat } });
    return answer.json().reservationId as string;
  };
  const before: string[] = [];
  for (let i = 0; i < 5; i++) before.unshift(await hold());
  const { items, pages } = await pageThrough<Listed>(t, api, '/users/ana/reservations?limit=2', async () => {
    await hold();
  });
  t.same(items.map((r) => r.reservationId), before, 'the holds there when paging began, newest first, each once');
  t.same(pages.map((p) => p.length), [2, 2, 1]);
  t.equal((await api.inject({ method: 'GET', url: '/users/ana/reservations?limit=100' })).json().length, 5 + pages.length, 'the later holds are there too');
});
