import t from 'tap';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from 'playwright-core';
import { startTestSystem } from '../support/system.js';
import { startTestApi, ADMIN_TOKEN, schedule } from '../support/api.js';
import { seatStream } from '../../domains/reservation/seat.js';
import { deliveryStream } from '../../domains/dataplatform/delivery.js';
import { switchablePlatform } from '../support/switchable-platform.js';

/**
 * The operator console in a real browser (headless Chromium, driven by
 * Playwright) against the real system on a real socket: sign in, watch a
 * payment's events arrive in the live tail, open its saga and see the
 * compensation, fold a seat's stream to an earlier revision, redrive a dead
 * letter and see it delivered. Every wait is on the page's state (Playwright's
 * locators wait for it); the timeout only bounds a hang.
 *
 * The browser is Debian's chromium (CHROMIUM_PATH, else `chromium` on PATH);
 * .ci/run installs it. Without one the file says so and skips, unless
 * CHROMIUM_REQUIRED (which .ci/run sets) or CI is set: there a missing browser is a failure.
 *
 * The screenshots go to the test's temp dir, or, with
 * CONSOLE_SCREENSHOTS=docs/console, where the README shows them from.
 */

function findChromium(): string | undefined {
  const executable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false; // not there, or not runnable: look further
    }
  };
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}


const executablePath = findChromium();
/** Waits on the page bound a hang on a busy machine; none of them paces the test. */
const PAGE_TIMEOUT_MS = 60_000;

const required = Boolean(process.env.CHROMIUM_REQUIRED || process.env.CI);

if (!executablePath && !required) {
  t.plan(0, 'no Chromium to drive: install Debian\'s chromium package (.ci/run does) or set CHROMIUM_PATH');
} else {
  t.test('the operator console, in Chromium, against the running system', async (t) => {
    t.ok(executablePath, 'a Chromium to drive (CHROMIUM_PATH, or chromium on PATH): CI installs it');
    if (!executablePath) return;
    const shots = process.env.CONSOLE_SCREENSHOTS ? resolve(process.env.CONSOLE_SCREENSHOTS) : t.testdir();
    mkdirSync(shots, { recursive: true });

    const { platform, state } = switchablePlatform();
    const system = await startTestSystem(t, { dataPlatform: platform });
    const api = await startTestApi(t, system);
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;

    const concert = await api.registerConcert({ title: 'Spring Gala', schedules: [schedule({ seatCount: 12 })] });
    const gala = { concertId: concert.concertId, scheduleId: concert.schedules[0]!.scheduleId, price: 100 };
    // A one-seat matinee that sells out, for the ranking.
    const matinee = await api.registerConcert({ title: 'Matinee', schedules: [schedule({ seatCount: 1, price: 40 })] });
    await system.charge('ana', 50); // less than a seat: her payment fails and the seat is released
    await system.charge('ben', 100);
    await system.charge('cy', 40);
    await system.holdAndPay({ concertId: matinee.concertId, scheduleId: matinee.schedules[0]!.scheduleId, price: 40 }, 'cy', 1);
    await api.settle();

    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    t.teardown(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    context.setDefaultTimeout(PAGE_TIMEOUT_MS);
    const page: Page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && problems.push(`console error: ${message.text()}`));
    page.on('request', (request) => !request.url().startsWith(base) && problems.push(`a request left the server: ${request.url()}`));
    const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`) });

    // Sign in: a wrong token is refused with the server's reason, the right one opens the console.
    await page.goto(`${base}/console`);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'the admin token is wrong' }).waitFor();
    t.match(problems, [/status of 401/], 'the browser logs the refused sign-in, and nothing else went wrong');
    problems.length = 0;
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Live tail' }).waitFor();

    // Live tail: follow payments and seats, then a payment that fails arrives event by event.
    await page.getByLabel('Categories').fill('payment,seat');
    await page.getByRole('button', { name: 'Follow' }).click();
    await page.getByText('Following new events after position').waitFor();
    const { paymentId: failed } = await system.holdAndPay(gala, 'ana', 1);
    await system.settle();
    const tail = page.locator('table.tail tbody');
    for (const type of ['SeatHeld', 'PaymentRequested', 'SeatReserved', 'PaymentFailed', 'SeatReleased']) await tail.locator(`tr[data-type="${type}"]`).waitFor();
    t.equal(await tail.locator('tr[data-type^="Points"]').count(), 0, 'no points events: they are outside the categories followed');
    t.equal(await tail.locator('tr').first().getAttribute('data-type'), 'SeatReleased', 'newest first');
    await shot('live-tail');

    // Its saga, from the tail: the lanes, the failure and the seat's release as a compensation.
    await tail.locator('tr[data-type="PaymentFailed"] a.saga-link').click();
    await page.locator('[data-outcome="FAILED"]').filter({ hasText: 'INSUFFICIENT_BALANCE' }).waitFor();
    t.match(page.url(), `#sagas/${failed}`);
    await page.locator('svg.lanes g.node.compensation[data-type="SeatReleased"]').waitFor();
    t.equal(await page.locator('dd.compensations').textContent(), 'SeatReleased');
    await page.locator('svg.lanes g.node[data-type="PaymentFailed"]').click();
    await page.locator('.detail pre').filter({ hasText: 'INSUFFICIENT_BALANCE' }).waitFor();
    await shot('saga');

    // The seat's stream, from the saga: all three revisions, then folded back to the hold.
    const seat = seatStream(gala.scheduleId, 1);
    await page.locator(`table.events a[href="#streams/${seat}"]`).first().click();
    await page.locator('.fold .status[data-revision="2"]').waitFor();
    t.match(await page.locator('pre.state').textContent(), '"status": "AVAILABLE"', 'released, at the head');
    await page.locator('tr[data-type="SeatHeld"] button.fold-here').click();
    await page.locator('.fold .status[data-revision="0"]').waitFor();
    await page.locator('pre.state').filter({ hasText: '"status": "HELD"' }).waitFor();
    t.match(await page.locator('pre.state').textContent(), '"userId": "ana"', 'held by ana at revision 0');
    await shot('stream');

    // A payment the data platform refuses: dead-lettered, redriven from the console once it takes deliveries again.
    const { paymentId: paid } = await system.holdAndPay(gala, 'ben', 2);
    await system.settle();
    t.same(await system.streamTypes(deliveryStream(paid)), ['DeliveryScheduled', 'DeliveryDeadLettered']);
    await page.getByRole('link', { name: 'Failures' }).click();
    const letter = page.locator(`table.dead-letters tr[data-payment="${paid}"]`);
    await letter.filter({ hasText: '400' }).waitFor();
    await shot('failures');
    state.refusing = false;
    await letter.getByRole('button', { name: 'Redrive' }).click();
    await page.getByRole('status').filter({ hasText: `Redriven ${paid}` }).waitFor();
    await letter.waitFor({ state: 'detached' });
    await system.settle();
    t.same(state.received, [paid], 'delivered, once');
    await page.goto(`${base}/console#sagas/${paid}`);
    await page.locator('dd.delivery').filter({ hasText: 'SUCCEEDED' }).waitFor();
    await page.locator('svg.lanes g.node[data-type="DeliverySucceeded"]').waitFor();
    await page.locator('svg.lanes g.node[data-type="DeliveryRedriven"]').waitFor();

    // Health: every subscriber's position, the ranking with the sold-out matinee, the gala's seat map.
    await api.settle();
    await page.getByRole('link', { name: 'Health' }).click();
    await page.locator('table.subscribers tr', { hasText: 'reactions-payment' }).waitFor();
    await page.locator('table.ranking tr', { hasText: 'Matinee' }).waitFor();
    await page.getByLabel('Concert').selectOption({ label: 'Spring Gala' });
    await page.locator('.seats button.seat.RESERVED', { hasText: /^2$/ }).waitFor();
    t.equal(await page.locator('.seats button.seat').count(), 12, 'every seat of the gala');
    await shot('health');

    // The matinee called off: its refund runs through the saga, and the schedule says how far it has come.
    const called = await api.inject({ method: 'POST', url: `/schedules/${matinee.schedules[0]!.scheduleId}/cancel`, headers: api.admin });
    t.equal(called.statusCode, 202, 'the matinee is cancelled');
    await system.settle();
    await api.settle();
    // Choosing the concert loads its schedules afresh.
    await page.getByLabel('Concert').selectOption({ label: 'Matinee' });
    await page.getByLabel('Schedule').locator('option', { hasText: '(CANCELLED)' }).waitFor({ state: 'attached' });

    t.same(problems, [], 'no page errors, no console errors (a CSP violation is one), no request to anywhere but the server');
  });
}
