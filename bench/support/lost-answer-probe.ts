import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '../../infra/eventstore/port.js';
import type { Role } from '../../infra/runner.js';
import type { RoleProcesses } from './role-processes.js';

/**
 * API.md promises that a POST retried with the same Idempotency-Key gets the
 * first answer. The steady load rarely has a request in flight at the instant
 * of a kill, so this probe makes that instant on purpose: it sends one POST,
 * SIGKILLs the API a few milliseconds later (while the request is being
 * handled), starts the API again, and retries with the same key and body.
 * When the first answer was lost, the retry must answer as the first would
 * have, and the store must hold the effect once.
 */

export type ProbedRoute = 'POST /reservations' | 'POST /payments' | 'POST /users/:userId/points/charge' | 'POST /concerts';
export const PROBED_ROUTES: readonly ProbedRoute[] = ['POST /reservations', 'POST /payments', 'POST /users/:userId/points/charge', 'POST /concerts'];

export interface ProbeResult {
  route: ProbedRoute;
  /** The first try's status, or null when the kill took its answer. */
  first: number | null;
  retry: number | null;
  retryCode: string | undefined;
  /** How many times the store holds the effect the request asked for. */
  effects: number;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export interface ProbeContext {
  base: string;
  adminToken: string;
  processes: RoleProcesses;
  apiEnv: NodeJS.ProcessEnv;
  store: EventStore;
  scheduleId: string;
  /** Seats of `scheduleId` this probe may use, one per probe. */
  firstSeat: number;
  random: () => number;
  /** The kill comes this long after the request left, drawn evenly from [min, max]: the window in which the API has appended but not yet answered. */
  killDelayMs: { min: number; max: number };
}

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

async function activeToken(base: string, userId: string): Promise<string> {
  const issued = await call(base, 'POST', '/queue/tokens', { userId });
  if (issued.status !== 201) throw new Error(`token for ${userId}: ${issued.status}`);
  const token = String(issued.body.token);
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    const current = await call(base, 'GET', '/queue/tokens/current', undefined, { 'queue-token': token });
    if (current.body.status === 'ACTIVE') return token;
    await sleep(50);
  }
  throw new Error(`${userId}'s token was not admitted`);
}

async function countEffects(store: EventStore, test: (type: string, data: Record<string, unknown>) => boolean): Promise<number> {
  let n = 0;
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll(after === undefined ? { maxCount: 5_000 } : { after, maxCount: 5_000 });
    for (const event of page) if (test(event.type, event.data as Record<string, unknown>)) n++;
    if (page.length < 5_000) return n;
    after = page.at(-1)!.position;
  }
}

export async function probeLostAnswer(ctx: ProbeContext, route: ProbedRoute, n: number): Promise<ProbeResult> {
  const { base } = ctx;
  const userId = `probe-${n}`;
  const key = `probe-${n}-key`;
  const seatNo = ctx.firstSeat + n;
  let request: { method: string; path: string; body: unknown; headers: Record<string, string> };
  let effect: (type: string, data: Record<string, unknown>) => boolean;

  if (route === 'POST /concerts') {
    const title = `Probe concert ${n}`;
    request = {
      method: 'POST',
      path: '/concerts',
      body: { title, schedules: [{ startsAt: new Date(Date.now() + 40 * 24 * 3600_000).toISOString(), seatCount: 5, price: 100 }] },
      headers: { authorization: `Bearer ${ctx.adminToken}`, 'idempotency-key': key },
    };
    effect = (type, data) => type === 'ConcertRegistered' && data.title === title;
  } else if (route === 'POST /users/:userId/points/charge') {
    request = { method: 'POST', path: `/users/${userId}/points/charge`, body: { amount: 100 }, headers: { 'idempotency-key': key } };
    effect = (type, data) => type === 'PointsCharged' && data.chargeId === key;
  } else {
    const token = await activeToken(base, userId);
    if (route === 'POST /reservations') {
      request = { method: 'POST', path: '/reservations', body: { scheduleId: ctx.scheduleId, seatNo }, headers: { 'queue-token': token, 'idempotency-key': key } };
      effect = (type, data) => type === 'SeatHeld' && data.userId === userId;
    } else {
      const charged = await call(base, 'POST', `/users/${userId}/points/charge`, { amount: 100 });
      const held = await call(base, 'POST', '/reservations', { scheduleId: ctx.scheduleId, seatNo }, { 'queue-token': token });
      if (charged.status !== 200 || held.status !== 201) throw new Error(`probe ${n} set-up: charge ${charged.status}, hold ${held.status}`);
      const reservationId = String(held.body.reservationId);
      request = { method: 'POST', path: '/payments', body: { reservationId }, headers: { 'queue-token': token, 'idempotency-key': key } };
      effect = (type, data) => type === 'PaymentRequested' && data.reservationId === reservationId;
    }
  }

  const first = call(base, request.method, request.path, request.body, request.headers).then(
    (answer) => answer.status,
    () => null,
  );
  await sleep(ctx.killDelayMs.min + ctx.random() * (ctx.killDelayMs.max - ctx.killDelayMs.min));
  await ctx.processes.signal('api', 'SIGKILL');
  const firstStatus = await first;
  await ctx.processes.start('api', ['api' as Role], ctx.apiEnv);
  const retry = await call(base, request.method, request.path, request.body, request.headers).catch(() => null);
  return {
    route,
    first: firstStatus,
    retry: retry?.status ?? null,
    retryCode: typeof retry?.body.code === 'string' ? retry.body.code : undefined,
    effects: await countEffects(ctx.store, effect),
  };
}
