import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';

/**
 * The load process of the fault benchmarks: at a fixed rate, a new user
 * takes the whole journey over HTTP (token, wait for ACTIVE, charge, hold,
 * pay), each user on a seat of its own, so that every payment could
 * complete. Like a real client it retries a step that got no answer or a 5xx
 * (the API may be restarting), with the same Idempotency-Key. It tells its
 * parent over IPC of every acknowledged request (201 hold, 200 charge, 202
 * payment) the moment it is acknowledged, so that nothing acknowledged is lost
 * if this process dies too.
 */

export interface LoadPlan {
  base: string;
  ratePerSecond: number;
  /** No more journeys start after this many… */
  maxJourneys: number;
  /** …or after this long. */
  durationMs: number;
  /** Journey numbers start here (users and seats are numbered by it). */
  firstJourney: number;
  scheduleIds: string[];
  seatCount: number;
  price: number;
  userPrefix: string;
  maxInFlight: number;
  stepAttempts: number;
  retryDelayMs: number;
  /** How long a token may wait to be admitted. */
  admissionWaitMs: number;
  /** After the stop, how long journeys in flight may take to finish. */
  drainMs: number;
}

export type AckKind = 'charge' | 'hold' | 'payment';

export interface LoadAck {
  type: 'ack';
  kind: AckKind;
  id: string;
  journey: number;
  /** Wall-clock ms. */
  at: number;
}

export interface LoadSummary {
  journeysStarted: number;
  journeysPaid: number;
  /** Journeys not started because `maxInFlight` were already running. */
  skipped: number;
  /** Journeys given up, by step and reason. */
  abandoned: Record<string, number>;
  /** Every answer, by "METHOD route status" (status "network" for no answer). */
  responses: Record<string, number>;
  retries: number;
  /** A hold retried after a lost answer, refused 409 because the first try had held the seat. */
  holdRefusedAfterRetry: number;
  startedAt: number;
  /** When the last journey ended (wall-clock ms). */
  endedAt: number;
  /** When the last journey started. */
  lastStartAt: number;
}

export type LoadMessage = LoadAck | { type: 'done'; summary: LoadSummary };
export type LoadCommand = { type: 'plan'; plan: LoadPlan } | { type: 'stop' };

class Abandon extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

function send(message: LoadMessage): void {
  process.send?.(message);
}

async function run(plan: LoadPlan, stopped: () => boolean): Promise<LoadSummary> {
  const pool = new Pool(plan.base, { connections: Math.min(64, plan.maxInFlight), headersTimeout: 20_000, bodyTimeout: 20_000 });
  const summary: LoadSummary = {
    journeysStarted: 0,
    journeysPaid: 0,
    skipped: 0,
    abandoned: {},
    responses: {},
    retries: 0,
    holdRefusedAfterRetry: 0,
    startedAt: Date.now(),
    endedAt: 0,
    lastStartAt: 0,
  };
  const count = (key: string) => (summary.responses[key] = (summary.responses[key] ?? 0) + 1);

  async function call(method: 'GET' | 'POST', path: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer | null> {
    try {
      const response = await pool.request({
        method,
        path,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.body.text();
      count(`${method} ${route} ${response.statusCode}`);
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // a body that is not JSON: the status alone is the answer
      }
      return { status: response.statusCode, body: parsed };
    } catch {
      count(`${method} ${route} network`);
      return null;
    }
  }

  /** One step, retried on no answer or a 5xx; `accept` decides what else ends it. */
  async function step(name: string, attemptOnce: () => Promise<Answer | null>, accept: (answer: Answer, retried: boolean) => Answer): Promise<Answer> {
    let retried = false;
    for (let attempt = 1; attempt <= plan.stepAttempts; attempt++) {
      const answer = await attemptOnce();
      if (answer && answer.status < 500) return accept(answer, retried);
      retried = true;
      summary.retries++;
      await sleep(plan.retryDelayMs);
    }
    throw new Abandon(`${name}: no answer after ${plan.stepAttempts} attempts`);
  }

  const expect = (name: string, ...ok: number[]) => (answer: Answer) => {
    if (!ok.includes(answer.status)) throw new Abandon(`${name}: ${answer.status} ${String(answer.body.code ?? '')}`.trim());
    return answer;
  };

  async function journey(n: number): Promise<void> {
    const userId = `${plan.userPrefix}-${n}`;
    const scheduleId = plan.scheduleIds[Math.floor(n / plan.seatCount)];
    if (!scheduleId) throw new Abandon('no seat left for this journey');
    const seatNo = (n % plan.seatCount) + 1;

    const issued = await step('token', () => call('POST', '/queue/tokens', '/queue/tokens', { userId }), expect('token', 201));
    const token = String(issued.body.token);
    const admitBy = Date.now() + plan.admissionWaitMs;
    for (;;) {
      const current = await call('GET', '/queue/tokens/current', '/queue/tokens/current', undefined, { 'queue-token': token });
      if (current?.status === 200 && current.body.status === 'ACTIVE') break;
      if (current && current.status < 500 && current.status !== 200) throw new Abandon(`admission: ${current.status}`);
      if (Date.now() > admitBy) throw new Abandon('admission: not ACTIVE in time');
      await sleep(100);
    }

    const chargeKey = `${userId}-charge`;
    await step(
      'charge',
      () => call('POST', `/users/${userId}/points/charge`, '/users/:userId/points/charge', { amount: plan.price }, { 'idempotency-key': chargeKey }),
      expect('charge', 200),
    );
    send({ type: 'ack', kind: 'charge', id: chargeKey, journey: n, at: Date.now() });

    const held = await step(
      'hold',
      () => call('POST', '/reservations', '/reservations', { scheduleId, seatNo }, { 'queue-token': token, 'idempotency-key': `${userId}-hold` }),
      (answer, retried) => {
        if (answer.status === 409 && retried) {
          summary.holdRefusedAfterRetry++;
          throw new Abandon('hold: 409 on a retry (the lost first try held the seat)');
        }
        return expect('hold', 201)(answer);
      },
    );
    const reservationId = String(held.body.reservationId);
    send({ type: 'ack', kind: 'hold', id: reservationId, journey: n, at: Date.now() });

    const paid = await step(
      'payment',
      () => call('POST', '/payments', '/payments', { reservationId }, { 'queue-token': token, 'idempotency-key': `${userId}-pay` }),
      expect('payment', 202, 200),
    );
    send({ type: 'ack', kind: 'payment', id: String(paid.body.paymentId), journey: n, at: Date.now() });
    summary.journeysPaid++;
  }

  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const interval = 1000 / plan.ratePerSecond;
  for (let i = 0; i < plan.maxJourneys && !stopped(); i++) {
    const due = started + i * interval;
    if (due - started > plan.durationMs) break;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (stopped()) break;
    if (inFlight.size >= plan.maxInFlight) {
      summary.skipped++;
      continue;
    }
    summary.journeysStarted++;
    summary.lastStartAt = Date.now();
    const running: Promise<void> = journey(plan.firstJourney + i).catch((error: unknown) => {
      const why = error instanceof Abandon ? error.why : `error: ${error instanceof Error ? error.message : String(error)}`;
      summary.abandoned[why] = (summary.abandoned[why] ?? 0) + 1;
    });
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running));
  }
  // Unreferenced, or the drain's timer alone would keep this process alive for its whole length.
  await Promise.race([Promise.all(inFlight), sleep(plan.drainMs, undefined, { ref: false })]);
  if (inFlight.size > 0) summary.abandoned['still running at the end of the drain'] = inFlight.size;
  summary.endedAt = Date.now();
  await pool.destroy();
  return summary;
}

let stopping = false;
process.on('message', (command: LoadCommand) => {
  if (command.type === 'stop') {
    stopping = true;
    return;
  }
  run(command.plan, () => stopping).then(
    (summary) => {
      // Disconnect only once the summary has been handed over.
      const message: LoadMessage = { type: 'done', summary };
      process.send?.(message, undefined, {}, () => process.disconnect());
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
});
