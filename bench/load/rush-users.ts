import { readFileSync, writeFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Recorder, type Recording } from '../support/recorder.js';
import { TimedPool } from './http.js';

/**
 * The load generator of the ticket rush, a process of its own: N users each
 * join the line, wait for admission as the server's etaMs advises, look for a
 * free seat, hold it (another seat on a 409), top up, pay and follow the
 * payment to its end. It stops when every seat is paid for or its time is up.
 * Arguments: an input JSON file (RushInput) and the file to write RushOutput to.
 */

export interface RushSchedule {
  scheduleId: string;
  seatCount: number;
  price: number;
}

export interface RushInput {
  url: string;
  users: number;
  userPrefix: string;
  schedules: RushSchedule[];
  /** The run stops after this, sold out or not. */
  maxMs: number;
  /** Users arrive spread evenly over this (0: all at once). */
  arrivalMs: number;
  /** Connections for joining the line and polling it, and for everything an admitted user does. */
  lineConnections: number;
  shopConnections: number;
  /** A waiting user polls after the server's etaMs, kept within these bounds (and jittered ±25%). */
  pollMinMs: number;
  pollMaxMs: number;
  /** The poll interval while the server cannot estimate the wait (etaMs null). */
  pollUnknownMs: number;
  /** Seat maps looked at before giving up, and holds tried in all. */
  seatLooks: number;
  holdAttempts: number;
  /** Pause before looking at another seat map when one had no free seat. */
  lookPauseMs: number;
  /** The long poll on a payment, and how many of them before giving up on it. */
  payWaitMs: number;
  payWaitRounds: number;
}

export interface RushOutput {
  /** Wall-clock ms (epoch) when the first user arrived: booking opens. */
  startedAt: number;
  endedAt: number;
  stoppedBy: 'sold-out' | 'time' | 'all-done';
  recording: Recording;
  /** Every user's ending, by kind. */
  outcomes: Record<string, number>;
  /** Wall-clock ms of every successful hold. */
  holdsAt: number[];
  /** The server's completedAt (epoch ms) of every payment the users saw complete. */
  completedAt: number[];
  /** completedAt − requestedAt of every completed payment, from the payment itself. */
  sagaMs: number[];
  /** Issue → ACTIVE, per admitted user. */
  lineWaitMs: number[];
  paymentIds: string[];
}

const [inputFile, outputFile] = process.argv.slice(2);
if (!inputFile || !outputFile) throw new Error('usage: rush-users <input.json> <output.json>');
const input = JSON.parse(readFileSync(inputFile, 'utf8')) as RushInput;

const recorder = new Recorder();
const line = new TimedPool(input.url, input.lineConnections, recorder);
const shop = new TimedPool(input.url, input.shopConnections, recorder);
const stop = new AbortController();
const signal = stop.signal;
// Every waiting fan listens for the end of the run.
setMaxListeners(0, signal);
const totalSeats = input.schedules.reduce((sum, s) => sum + s.seatCount, 0);

const outcomes: Record<string, number> = {};
const holdsAt: number[] = [];
const completedAt: number[] = [];
const sagaMs: number[] = [];
const lineWaitMs: number[] = [];
const paymentIds: string[] = [];
let completed = 0;
let stoppedBy: RushOutput['stoppedBy'] = 'all-done';

const end = (kind: string) => {
  outcomes[kind] = (outcomes[kind] ?? 0) + 1;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const jitter = (ms: number) => ms * (0.75 + Math.random() * 0.5);
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

interface TokenView {
  token?: string;
  status: 'WAITING' | 'ACTIVE' | 'EXPIRED';
  etaMs?: number | null;
}
interface PaymentView {
  paymentId: string;
  status: 'PENDING' | 'COMPLETED' | 'FAILED';
  reason?: string;
  requestedAt?: string;
  completedAt?: string;
}

/** Waits in line until ACTIVE; false when the token expired while waiting. */
async function waitForAdmission(token: string, first: TokenView): Promise<boolean> {
  let view = first;
  const issued = performance.now();
  while (view.status === 'WAITING') {
    await sleep(jitter(clamp(view.etaMs ?? input.pollUnknownMs, input.pollMinMs, input.pollMaxMs)), undefined, { signal });
    const current = await line.call<TokenView>('GET /queue/tokens/current', 'GET', '/queue/tokens/current', { headers: { 'queue-token': token }, signal });
    if (current.status !== 200) throw new Error(`poll answered ${current.status}`);
    view = current.body;
  }
  if (view.status !== 'ACTIVE') return false;
  lineWaitMs.push(performance.now() - issued);
  return true;
}

/** A seat held for this user, or why not. */
async function holdSomeSeat(token: string): Promise<{ reservationId: string; price: number } | string> {
  let attempts = 0;
  for (let look = 0; look < input.seatLooks; look++) {
    const schedule = pick(input.schedules);
    const seats = await shop.call<Array<{ seatNo: number; status: string }>>(
      'GET /schedules/:scheduleId/seats',
      'GET',
      `/schedules/${schedule.scheduleId}/seats`,
      { signal },
    );
    if (seats.status !== 200) return `seats-${seats.status}`;
    const free = seats.body.filter((seat) => seat.status === 'AVAILABLE').map((seat) => seat.seatNo);
    while (free.length > 0 && attempts < input.holdAttempts) {
      attempts++;
      const seatNo = free.splice(Math.floor(Math.random() * free.length), 1)[0]!;
      const hold = await shop.call<{ reservationId: string; price: number }>('POST /reservations', 'POST', '/reservations', {
        body: { scheduleId: schedule.scheduleId, seatNo },
        headers: { 'queue-token': token },
        signal,
      });
      if (hold.status === 201) return hold.body;
      if (hold.status === 403) return 'token-no-longer-active';
      if (hold.status !== 409) return `hold-${hold.status}`;
    }
    if (attempts >= input.holdAttempts) return 'no-seat-after-holds';
    if (completed >= totalSeats) return 'sold-out';
    await sleep(jitter(input.lookPauseMs), undefined, { signal });
  }
  return 'no-seat-after-looks';
}

async function followPayment(paymentId: string): Promise<PaymentView | null> {
  for (let round = 0; round < input.payWaitRounds; round++) {
    const answer = await shop.call<PaymentView>('GET /payments/:paymentId?waitMs', 'GET', `/payments/${paymentId}?waitMs=${input.payWaitMs}`, { signal });
    if (answer.status !== 200) throw new Error(`payment answered ${answer.status}`);
    if (answer.body.status !== 'PENDING') return answer.body;
  }
  return null;
}

/** Where a fan was when the run ended: the outcome of those cut off. */
interface Progress {
  stage: 'joining the line' | 'in line' | 'shopping' | 'paying';
}

async function user(n: number, progress: Progress): Promise<void> {
  if (input.arrivalMs > 0) await sleep((n / input.users) * input.arrivalMs, undefined, { signal });
  const userId = `${input.userPrefix}-${n}`;
  const issued = await line.call<TokenView>('POST /queue/tokens', 'POST', '/queue/tokens', { body: { userId }, signal });
  if (issued.status !== 201 || !issued.body.token) return end(`queue-${issued.status}`);
  const token = issued.body.token;
  progress.stage = 'in line';
  if (!(await waitForAdmission(token, issued.body))) return end('token-expired-in-line');

  progress.stage = 'shopping';
  const hold = await holdSomeSeat(token);
  if (typeof hold === 'string') return end(hold);
  holdsAt.push(Date.now());
  progress.stage = 'paying';

  const charge = await shop.call('POST /users/:userId/points/charge', 'POST', `/users/${userId}/points/charge`, {
    body: { amount: hold.price },
    headers: { 'idempotency-key': `rush-charge-${userId}` },
    signal,
  });
  if (charge.status !== 200) return end(`charge-${charge.status}`);

  const pay = await shop.call<PaymentView>('POST /payments', 'POST', '/payments', {
    body: { reservationId: hold.reservationId },
    headers: { 'queue-token': token },
    signal,
  });
  if (pay.status !== 202) return end(`pay-${pay.status}`);
  paymentIds.push(pay.body.paymentId);

  const ended = await followPayment(pay.body.paymentId);
  if (!ended) return end('payment-still-pending');
  if (ended.status === 'FAILED') return end(`payment-failed-${ended.reason ?? 'unknown'}`);
  const done = Date.parse(ended.completedAt ?? '');
  completedAt.push(done);
  sagaMs.push(done - Date.parse(ended.requestedAt ?? ''));
  end('bought');
  if (++completed >= totalSeats) {
    stoppedBy = 'sold-out';
    stop.abort();
  }
}

const startedAt = Date.now();
const timer = setTimeout(() => {
  stoppedBy = 'time';
  stop.abort();
}, input.maxMs);

await Promise.all(
  Array.from({ length: input.users }, (_, n) => {
    const progress: Progress = { stage: 'joining the line' };
    return user(n, progress).catch((error: unknown) => {
      if (signal.aborted) return end(`cut off ${progress.stage}`);
      end(`error-${error instanceof Error ? ((error as { code?: string }).code ?? error.message) : String(error)}`);
    });
  }),
);
clearTimeout(timer);
const endedAt = Date.now();
await Promise.all([line.close(), shop.close()]).catch(() => undefined);

const output: RushOutput = {
  startedAt,
  endedAt,
  stoppedBy,
  recording: recorder.routes,
  outcomes,
  holdsAt,
  completedAt,
  sagaMs,
  lineWaitMs,
  paymentIds,
};
writeFileSync(outputFile, JSON.stringify(output));
