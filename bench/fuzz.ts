/**
 * `npm run bench:fuzz`: thousands of generated bad requests (fast-check)
 * across every route of API.md, against the running system in its own
 * process. Every one must be answered, never with a 5xx; none may append an
 * event (the event store's head is read after each request, on an otherwise
 * idle system); a request built to be refused must not be accepted; and
 * afterwards a whole normal journey must still work. Any failure is shrunk by
 * fast-check to its smallest form. The baseline is the same number of valid
 * GETs, one at a time over the same connection, in the same run.
 * Writes bench/results/fuzz.md.
 *
 * Knobs (environment variables, defaults in brackets):
 *   FUZZ_REQUESTS [20000]     bad requests, shared equally among the routes
 *   FUZZ_SEED     [20261125]  fast-check's seed; the same seed sends the same requests
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { Pool } from 'undici';
import { ROLES } from '../infra/runner.js';
import { badRequestsByRoute, describeRequest, oversizedBody, type BadRequest, type Fixtures } from './support/bad-requests.js';
import { freePort } from './support/free-port.js';
import { benchSystem } from './support/bench-system.js';
import { invariantVerdict, verdictSection } from './support/invariant-verdict.js';
import { integer } from './support/knobs.js';
import { describeMachine } from './support/machine.js';
import { emptyTallies, statusLabel, tally, writeReport, type Finding, type Outcome, type Shrunk } from './support/fuzz-report.js';
import { SagaTally } from './support/saga-tally.js';
import { describeUnsettled, waitUntilSettled } from './support/settle.js';

const env = process.env;
const knobs = {
  requests: integer(env, 'FUZZ_REQUESTS', 20_000, 1),
  seed: integer(env, 'FUZZ_SEED', 20_261_125, 0),
};
const ADMIN_TOKEN = 'fuzz-bench-admin-token';
const QUEUE_SECRET = 'fuzz-bench-queue-secret';
/** No answer within this is a hung request: a finding. */
const ANSWER_TIMEOUT_MS = 35_000;

const log = (line: string) => process.stderr.write(`[fuzz] ${line}\n`);

function findingOf(request: BadRequest, outcome: Outcome): Finding | undefined {
  if (outcome.status !== null && outcome.status >= 500) return 'server error';
  if (outcome.wrote) return 'wrote';
  if (request.expect === 'reject' && outcome.status !== null && outcome.status < 400) return 'accepted';
  // A bare socket of junk may be closed by the parser without an answer, and an upload the server refused at its
  // Content-Length may lose the 413 to the reset of its unread rest; any other request must be answered.
  if (outcome.status === null && request.raw === undefined && request.bodyBytes === undefined) return 'no answer';
  return undefined;
}

/** A bare request over a socket: the status of the first response line, or null if the server closed without one. */
function rawExchange(port: number, bytes: string): Promise<{ status: number | null; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let done = false;
    const finish = (status: number | null, error?: string) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(error === undefined ? { status } : { status, error });
    };
    socket.setTimeout(5_000, () => finish(null, 'no answer within 5 s'));
    socket.on('connect', () => socket.write(bytes, 'latin1'));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      if (match) finish(Number(match[1]));
      else if (received.length > 64) finish(null, `not an HTTP answer: ${JSON.stringify(received.slice(0, 64))}`);
    });
    // An upload cut off by an early answer fails with EPIPE, yet the answer may still be in the socket: wait for 'close'.
    let failure: string | undefined;
    socket.on('error', (error) => {
      failure = error.message;
    });
    socket.on('close', () => finish(null, failure ?? 'closed without an answer'));
  });
}

/** A journey over HTTP, step by step, for the fixtures and for the check that normal traffic still works. */
class Client {
  constructor(private readonly base: string) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> & Array<Record<string, unknown>>;
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      parsed = {} as typeof parsed;
    }
    return { status: response.status, body: parsed };
  }

  async expect(step: string, status: number, method: string, path: string, body?: unknown, headers?: Record<string, string>) {
    const answer = await this.call(method, path, body, headers);
    if (answer.status !== status) throw new Error(`${step}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
    return answer.body;
  }

  async until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await sleep(50);
    }
  }

  /** Token, ACTIVE, charge: a user ready to hold. */
  async admitted(userId: string, chargeKey: string, amount: number) {
    const issued = await this.expect('token', 201, 'POST', '/queue/tokens', { userId });
    const token = String(issued.token);
    await this.until(`${userId}'s token to be ACTIVE`, async () => {
      const current = await this.call('GET', '/queue/tokens/current', undefined, { 'queue-token': token });
      return current.body.status === 'ACTIVE' ? true : undefined;
    });
    await this.expect('charge', 200, 'POST', `/users/${userId}/points/charge`, { amount }, { 'idempotency-key': chargeKey });
    return token;
  }

  async hold(token: string, scheduleId: string, seatNo: number) {
    const held = await this.expect('hold', 201, 'POST', '/reservations', { scheduleId, seatNo }, { 'queue-token': token });
    return String(held.reservationId);
  }

  async pay(token: string, reservationId: string) {
    const requested = await this.expect('pay', 202, 'POST', '/payments', { reservationId }, { 'queue-token': token });
    const paymentId = String(requested.paymentId);
    const ended = await this.until('the payment to end', async () => {
      const payment = await this.call('GET', `/payments/${paymentId}?waitMs=2000`);
      return payment.body.status === 'PENDING' ? undefined : payment.body;
    });
    if (ended.status !== 'COMPLETED') throw new Error(`payment ${paymentId} ended ${String(ended.status)} (${String(ended.reason)})`);
    return paymentId;
  }
}

async function setUp(client: Client): Promise<Fixtures> {
  const inMonth = Date.now() + 30 * 24 * 3600_000;
  const concert = await client.expect('concert', 201, 'POST', '/concerts', {
    title: 'Fuzz night',
    schedules: [
      { startsAt: new Date(inMonth).toISOString(), seatCount: 10, price: 100 },
      { startsAt: new Date(inMonth + 3600_000).toISOString(), bookingOpensAt: new Date(inMonth - 24 * 3600_000).toISOString(), seatCount: 10, price: 100 },
    ],
  }, { authorization: `Bearer ${ADMIN_TOKEN}` });
  const [open, notOpen] = concert.schedules as unknown as Array<{ scheduleId: string }>;
  const holderToken = await client.admitted('fuzz-holder', 'fuzz-holder-charge', 1_000);
  const holderReservation = await client.hold(holderToken, open!.scheduleId, 1);
  const payerToken = await client.admitted('fuzz-payer', 'fuzz-payer-charge', 1_000);
  const payerReservation = await client.hold(payerToken, open!.scheduleId, 2);
  const paymentId = await client.pay(payerToken, payerReservation);
  // The completed payment expires the payer's token: the fixture for "token not ACTIVE".
  await client.until('the payer token to expire', async () => {
    const current = await client.call('GET', '/queue/tokens/current', undefined, { 'queue-token': payerToken });
    return current.body.status === 'EXPIRED' ? true : undefined;
  });
  const idleToken = await client.admitted('fuzz-idle', 'fuzz-idle-charge', 1_000);
  return {
    adminToken: ADMIN_TOKEN,
    queueSecret: QUEUE_SECRET,
    concertId: String(concert.concertId),
    openScheduleId: open!.scheduleId,
    openSeatCount: 10,
    heldSeat: 1,
    reservedSeat: 2,
    freeSeat: 5,
    notOpenScheduleId: notOpen!.scheduleId,
    holder: { userId: 'fuzz-holder', token: holderToken, reservationId: holderReservation, chargeKey: 'fuzz-holder-charge', chargeAmount: 1_000 },
    payer: { userId: 'fuzz-payer', token: payerToken, reservationId: payerReservation, paymentId },
    idle: { userId: 'fuzz-idle', token: idleToken },
  };
}

/** A newcomer's whole journey after the fuzzing: every step must answer as API.md says. */
async function normalJourney(client: Client, f: Fixtures): Promise<{ ok: boolean; steps: string[] }> {
  const steps: string[] = [];
  try {
    const token = await client.admitted('fuzz-after', 'fuzz-after-charge', 500);
    steps.push('token 201, ACTIVE, charge 200');
    const reservationId = await client.hold(token, f.openScheduleId, 3);
    steps.push('hold 201');
    const paymentId = await client.pay(token, reservationId);
    steps.push('pay 202, COMPLETED');
    await client.until('the reservation to read RESERVED', async () => {
      const reservation = await client.call('GET', `/reservations/${reservationId}`);
      return reservation.body.status === 'RESERVED' ? true : undefined;
    });
    steps.push('reservation RESERVED');
    const balance = await client.expect('balance', 200, 'GET', '/users/fuzz-after/points');
    if (balance.balance !== 400) throw new Error(`balance ${String(balance.balance)}, expected 400`);
    steps.push('balance 400');
    const trace = await client.expect('trace', 200, 'GET', `/payments/${paymentId}/events`);
    steps.push(`trace 200 (${(trace as unknown as unknown[]).length} events)`);
    const seats = await client.expect('seats', 200, 'GET', `/schedules/${f.openScheduleId}/seats`);
    steps.push(`seat map 200 (${(seats as unknown as unknown[]).length} seats)`);
    await client.expect('ranking', 200, 'GET', '/rankings/sold-out?limit=5');
    steps.push('ranking 200');
    return { ok: true, steps };
  } catch (error) {
    steps.push(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return { ok: false, steps };
  }
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const started = new Date();
  const mockPort = await freePort();
  const system = await benchSystem('fuzz', {
    ADMIN_TOKEN,
    QUEUE_SECRET,
    QUEUE_ADMIT_INTERVAL_MS: '100',
    // Long enough that no hold or token lapses (and appends) while the fuzzer watches the head.
    HOLD_TTL_MS: String(3 * 3600_000),
    QUEUE_TOKEN_TTL_MS: String(3 * 3600_000),
    MOCK_DATA_PLATFORM_PORT: String(mockPort),
    MOCK_DATA_PLATFORM_FAILURE_RATE: '0',
    LOG_LEVEL: 'warn',
    // The mock data platform inside the system, not one this shell may name.
    DATA_PLATFORM_URL: undefined,
  });
  const { dir, base, port, processes, config, stores } = system;
  const pool = new Pool(base, { connections: 1, headersTimeout: ANSWER_TIMEOUT_MS, bodyTimeout: ANSWER_TIMEOUT_MS });
  let head = await stores.events.headPosition();

  /** Sends one request and reads the head after it: a moved head means this request wrote. */
  const exchange = async (request: BadRequest): Promise<Outcome> => {
    let status: number | null = null;
    let error: string | undefined;
    if (request.raw !== undefined) {
      ({ status, error } = await rawExchange(port, request.raw));
    } else if (request.bodyBytes !== undefined) {
      // Over a bare socket: the server answers 413 and closes while the upload is still going, which an HTTP
      // client reports as a broken pipe; reading the socket shows the answer itself.
      const headers = Object.entries({ host: 'fuzz', ...request.headers, 'content-length': String(request.bodyBytes) }).map(([k, v]) => `${k}: ${v}`);
      ({ status, error } = await rawExchange(port, `${request.method} ${request.path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n${oversizedBody(request.bodyBytes)}`));
    } else {
      try {
        const response = await pool.request({
          method: request.method as 'GET',
          path: request.path,
          headers: request.headers,
          body: request.body,
        });
        await response.body.dump();
        status = response.statusCode;
      } catch (caught) {
        error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
      }
    }
    const now = await stores.events.headPosition();
    const wrote = now !== head;
    head = now;
    return error === undefined ? { status, wrote } : { status, error, wrote };
  };

  try {
    log(`starting the system (every role in one process) on ${dir}`);
    await processes.start('system', ROLES);
    const client = new Client(base);
    const fixtures = await setUp(client);
    const tallyOfSagas = new SagaTally();
    const settled = await waitUntilSettled(stores, config, tallyOfSagas, { timeoutMs: 30_000 });
    if (!settled.state.settled) throw new Error(`the fixtures did not settle: ${describeUnsettled(settled.state)}`);
    // Idle: nothing may append on its own while the fuzzer watches the head.
    head = await stores.events.headPosition();
    await sleep(2_000);
    if ((await stores.events.headPosition()) !== head) throw new Error('the system is not idle: the head moved with no request');
    // The write detector must be able to fail: a valid charge, sent the same way, has to show up as a write.
    const control = await exchange({
      route: 'control',
      kind: 'refused by state',
      what: 'a valid charge',
      method: 'POST',
      path: '/users/fuzz-control/points/charge',
      headers: { 'content-type': 'application/json' },
      body: '{"amount":1}',
      expect: 'read',
    });
    if (control.status !== 200 || !control.wrote) throw new Error(`the control charge answered ${statusLabel(control)}, wrote ${control.wrote}: the write detector is blind`);

    const routes = badRequestsByRoute(fixtures);
    const counted = emptyTallies();
    const shrinking = emptyTallies();
    const shrunk: Shrunk[] = [];
    const share = (i: number) => Math.floor(knobs.requests / routes.length) + (i < knobs.requests % routes.length ? 1 : 0);
    log(`${knobs.requests} bad requests over ${routes.length} routes, seed ${knobs.seed}`);
    const fuzzStart = performance.now();
    let shrinkMs = 0;
    for (const [index, [name, arbitrary]] of routes.entries()) {
      let remaining = share(index);
      let seed = knobs.seed + index * 1_000;
      while (remaining > 0) {
        let failedAt: number | undefined;
        let firstFinding: Finding | undefined;
        let runs = 0;
        const result = await fc.check(
          fc.asyncProperty(arbitrary, async (request) => {
            const outcome = await exchange(request);
            // After the first failure fast-check only shrinks: those requests are counted apart.
            if (failedAt === undefined) {
              runs++;
              tally(counted, request, outcome);
            } else tally(shrinking, request, outcome);
            const finding = findingOf(request, outcome);
            if (finding && failedAt === undefined) {
              failedAt = performance.now();
              firstFinding = finding;
            }
            return finding === undefined;
          }),
          { numRuns: remaining, seed },
        );
        remaining -= runs;
        if (result.failed && result.counterexample) {
          const [request] = result.counterexample;
          const outcome = await exchange(request);
          shrinkMs += performance.now() - (failedAt ?? performance.now());
          const again = findingOf(request, outcome);
          shrunk.push({ route: name, finding: again ?? firstFinding ?? 'no answer', reproduced: again !== undefined, request, outcome });
          log(`${name}: ${again ?? `${String(firstFinding)}, not reproduced`}: ${describeRequest(request)} → ${statusLabel(outcome)}`);
          if (shrunk.length > 50) break;
        }
        seed++;
      }
      log(`${name}: done (${counted.sent} sent so far)`);
    }
    const fuzzMs = performance.now() - fuzzStart - shrinkMs;

    // The baseline: as many valid GETs, one at a time on the same connection, the head read after each.
    const valid = [
      '/concerts',
      `/concerts/${fixtures.concertId}/schedules`,
      `/schedules/${fixtures.openScheduleId}/seats`,
      `/reservations/${fixtures.holder.reservationId}`,
      `/users/${fixtures.holder.userId}/points`,
      `/payments/${fixtures.payer.paymentId}`,
      `/payments/${fixtures.payer.paymentId}/events`,
      '/rankings/sold-out?limit=10',
    ];
    const baselineStart = performance.now();
    let baselineBad = 0;
    for (let i = 0; i < counted.sent; i++) {
      const outcome = await exchange({ route: 'valid', kind: 'bad query', what: 'valid GET', method: 'GET', path: valid[i % valid.length]!, headers: {}, expect: 'read' });
      if (outcome.status !== 200 || outcome.wrote) baselineBad++;
    }
    const baselineMs = performance.now() - baselineStart;

    log('a normal journey after the fuzzing');
    const journey = await normalJourney(client, fixtures);
    const after = await waitUntilSettled(stores, config, tallyOfSagas, { timeoutMs: 30_000 });
    const records = (await (await fetch(`http://127.0.0.1:${mockPort}/reservations`)).json()) as Array<{ paymentId: string }>;
    await pool.close();
    await processes.stopAll();
    const verdict = await invariantVerdict(stores, config, records);
    log(verdict.ok ? 'invariants hold' : 'INVARIANTS FAIL');

    writeReport({
      knobs,
      started,
      machine,
      main: counted,
      shrinking,
      shrunk,
      fuzzMs,
      baselineMs,
      baselineBad,
      journey,
      settledAfter: after.state.settled,
      processes,
      verdictText: verdictSection(verdict, `the in-process mock data platform's ${records.length} records (read over its HTTP port) for invariant 5`),
      verdictOk: verdict.ok,
    });
  } finally {
    await pool.destroy();
    await system.close();
  }
}

await main();
