import t from 'tap';
import { until } from '../support/until.js';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startTestSystem } from '../support/system.js';
import { startTestApi } from '../support/api.js';
import type { EventStore } from '../../infra/eventstore/port.js';
import type { ReadStore } from '../../infra/readstore/port.js';
import { park, parkedStream } from '../../bus/parking.js';
import { reactionSubscriber } from '../../bus/reactions.js';
import { readModels } from '../../projections/index.js';
import { paymentIdFor } from '../../domains/payment/payment.js';

/** The real store, with some of its methods replaced: a store that fails on purpose. */
function failing<T extends object>(target: T, overrides: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(target, {
    get(real, property) {
      if (property in overrides) return overrides[property as keyof T];
      const value = Reflect.get(real, property, real);
      return typeof value === 'function' ? value.bind(real) : value;
    },
  });
}

/** Log lines as objects, through a real pino logger. */
function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

async function completedPayment(api: Awaited<ReturnType<typeof startTestApi>>, userId: string, seatNo: number, scheduleId: string, points = 500) {
  const token = await api.activeToken(userId);
  const headers = { 'queue-token': token };
  const { reservationId } = (await api.inject({ method: 'POST', url: '/reservations', headers, payload: { scheduleId, seatNo } })).json();
  await api.inject({ method: 'POST', url: `/users/${userId}/points/charge`, payload: { amount: points } });
  const { paymentId } = (await api.inject({ method: 'POST', url: '/payments', headers, payload: { reservationId } })).json();
  await api.settle();
  return { paymentId: paymentId as string, reservationId: reservationId as string };
}

t.test('GET /health: both stores, every subscriber with its lag, parked events', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const concert = await api.registerConcert();
  await completedPayment(api, 'ana', 1, concert.schedules[0]!.scheduleId);

  const response = await api.inject({ method: 'GET', url: '/health' });
  t.equal(response.statusCode, 200);
  const health = response.json();
  t.match(health, { status: 'ok', eventStore: { kind: 'sqlite', ok: true }, readStore: { kind: 'sqlite', ok: true }, parked: 0 });
  const byName = new Map(health.projections.map((p: { name: string }) => [p.name, p]));
  for (const model of readModels) t.match(byName.get(model.name), { kind: 'read-model', behind: false, lag: 0, lagUnit: 'events' }, `${model.name} is caught up`);
  t.match(byName.get('queue-tokens'), { kind: 'read-model' }, "the queue's own line is listed too");
  for (const service of ['reservation', 'payment', 'point', 'queue', 'ranking', 'dataplatform']) {
    t.match(byName.get(`reactions-${service}`), { kind: 'reactions', position: String }, `reactions of ${service}`);
  }
  for (const service of ['reservation', 'payment', 'queue', 'dataplatform']) t.match(byName.get(`timers-${service}`), { kind: 'timers' }, `timers of ${service}`);
  t.notOk(byName.has('reactions-concert'), 'the catalogue reacts to nothing, so it has no subscriber');
  t.ok(health.projections.every((p: { lag: number }) => Number.isInteger(p.lag) && p.lag >= 0), 'every lag is a count of positions');

  // A poison event parked by the point service, then redriven.
  const [event] = await system.store.readAll({ maxCount: 1 });
  await park(system.store, reactionSubscriber('point'), 'point.debitOnSeatReserved', event!, new Error('poison'), 5, system.clock.now());
  t.equal((await api.inject({ method: 'GET', url: '/health' })).json().parked, 1, 'one parked event');
  await system.store.append(parkedStream(reactionSubscriber('point')), [
    {
      type: 'ParkedEventRedriven',
      data: { subscriber: reactionSubscriber('point'), handler: 'point.debitOnSeatReserved', eventId: event!.id, redrivenAt: system.clock.now().toISOString(), outcome: 'handled' },
    },
  ]);
  t.equal((await api.inject({ method: 'GET', url: '/health' })).json().parked, 0, 'redriven: no longer counted');
});

t.test('GET /health is 503 degraded when a store does not answer', async (t) => {
  const system = await startTestSystem(t);
  const reads = failing<ReadStore>(system.reads, { ping: () => Promise.reject(new Error('read store down')) });
  const api = await startTestApi(t, system, { reads, projections: [] });
  const response = await api.inject({ method: 'GET', url: '/health' });
  t.equal(response.statusCode, 503);
  t.match(response.json(), { status: 'degraded', eventStore: { ok: true }, readStore: { kind: 'sqlite', ok: false }, projections: [], parked: null });

  const store = failing<EventStore>(system.store, { ping: () => Promise.reject(new Error('event store down')) });
  const other = await startTestApi(t, system, { store, projections: [] });
  t.match((await other.inject({ method: 'GET', url: '/health' })).json(), { status: 'degraded', eventStore: { kind: 'sqlite', ok: false }, readStore: { ok: true } });
});

t.test('GET /metrics: requests by route and status, saga outcomes and latency, subscriber lag', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const scheduleId = (await api.registerConcert()).schedules[0]!.scheduleId;
  const paid = await completedPayment(api, 'ana', 1, scheduleId);
  await completedPayment(api, 'ben', 2, scheduleId, 10);
  await api.inject({ method: 'GET', url: '/concerts/nope/schedules' });
  const cancel = await api.inject({ method: 'POST', url: `/reservations/${paid.reservationId}/cancel`, payload: { userId: 'ana' } });
  t.equal(cancel.statusCode, 202, "ana's paid seat is cancelled: a refund, the saga's other ending");

  // The counters follow the log live: wait for the last ending to reach them, however long the machine takes.
  const text = await until('the refund counted', async () => {
    const response = await api.inject({ method: 'GET', url: '/metrics' });
    t.equal(response.statusCode, 200);
    t.match(response.headers['content-type'], /^text\/plain/);
    return /saga_outcomes_total\{status="REFUNDED"/.test(response.body) ? response.body : undefined;
  });
  t.match(text, /http_requests_total\{method="POST",route="\/payments",status="202"\} 2/, 'requests by route pattern and status');
  t.match(text, /http_requests_total\{method="GET",route="\/concerts\/:concertId\/schedules",status="404"\} 1/, 'refusals too');
  t.match(text, /http_request_duration_seconds_count\{method="POST",route="\/reservations",status="201"\} 2/);
  t.match(text, /saga_outcomes_total\{status="COMPLETED",reason=""\} 1/);
  t.match(text, /saga_outcomes_total\{status="FAILED",reason="INSUFFICIENT_BALANCE"\} 1/);
  t.match(text, /saga_outcomes_total\{status="REFUNDED",reason="USER"\} 1/, 'a refund counted with who cancelled');
  t.match(text, /saga_duration_seconds_count\{status="COMPLETED"\} 1/);
  t.match(text, /projection_lag\{subscriber="reactions-payment"\} \d+/);
  // The saga's last events (a token's expiry, a seat's holdings) are none of the payments model's: its
  // checkpoint passes them lazily, within a second. The gauge reaches 0 once it has.
  const caughtUp = await until('the payments model at the head', async () => {
    const body = (await api.inject({ method: 'GET', url: '/metrics' })).body;
    return /projection_lag\{subscriber="payments"\} 0\n/.test(body) ? body : undefined;
  });
  t.match(caughtUp, /projection_lag\{subscriber="payments"\} 0/);
});

t.test('GET /payments/:id/events: the saga across every stream, in order, with causation links', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const scheduleId = (await api.registerConcert()).schedules[0]!.scheduleId;
  const { paymentId, reservationId } = await completedPayment(api, 'ana', 1, scheduleId);
  const response = await api.inject({ method: 'GET', url: `/payments/${paymentId}/events` });
  t.equal(response.statusCode, 200);
  const trace = response.json() as Array<{ position: string; eventId: string; streamId: string; type: string; causationId: string | null; created: string; revision: number }>;
  t.same(trace.slice(0, 5).map((e) => e.type), ['SeatHeld', 'PaymentRequested', 'SeatReserved', 'PointsDebited', 'PaymentCompleted'], 'the saga in order');
  t.same(
    trace.slice(5).map((e) => e.type).sort(),
    ['DeliveryScheduled', 'DeliverySucceeded', 'QueueTokenExpired', 'SeatSaleCounted'],
    'and what followed the completion, in every service',
  );
  const positions = trace.map((e) => BigInt(e.position));
  t.ok(positions.every((p, i) => i === 0 || p > positions[i - 1]!), 'in global order');
  const byType = new Map(trace.map((e) => [e.type, e]));
  t.equal(byType.get('SeatReserved')!.causationId, byType.get('PaymentRequested')!.eventId, 'the seat answered the request');
  t.equal(byType.get('PointsDebited')!.causationId, byType.get('SeatReserved')!.eventId, 'the points answered the seat');
  t.equal(byType.get('PaymentCompleted')!.causationId, byType.get('PointsDebited')!.eventId, 'the payment answered the points');
  t.match(byType.get('SeatHeld'), { streamId: `seat-${scheduleId}_1`, revision: 0, created: '2030-01-01T10:00:00.000Z' });

  const failed = await completedPayment(api, 'ben', 2, scheduleId, 10);
  const failedTrace = (await api.inject({ method: 'GET', url: `/payments/${failed.paymentId}/events` })).json() as Array<{
    type: string;
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
  }>;
  for (const type of ['DebitFailed', 'PaymentFailed', 'SeatReleased']) t.ok(failedTrace.some((e) => e.type === type), `a failed saga shows ${type}`);
  const failure = failedTrace.find((e) => e.type === 'PaymentFailed');
  t.match(failure?.data, { paymentId: failed.paymentId, reason: 'INSUFFICIENT_BALANCE' }, "each event comes with its data: the failure's reason");
  t.match(failure?.metadata, { correlationId: failed.paymentId, causationId: String }, 'and its metadata');
  t.notOk(failedTrace.some((e) => e.type === 'SeatSaleCounted'), "and none of another saga's events");

  await api.refused(t, { method: 'GET', url: '/payments/nope/events' }, 404, 'PAYMENT_NOT_FOUND');
  const token = await api.activeToken('cy');
  const held = (await api.inject({ method: 'POST', url: '/reservations', headers: { 'queue-token': token }, payload: { scheduleId, seatNo: 3 } })).json();
  await api.refused(t, { method: 'GET', url: `/payments/${paymentIdFor(held.reservationId)}/events` }, 404, 'PAYMENT_NOT_FOUND', 'a hold with no payment yet');
  t.not(reservationId, held.reservationId);
});

t.test('the OpenAPI document and Swagger UI', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const response = await api.inject({ method: 'GET', url: '/docs/json' });
  t.equal(response.statusCode, 200);
  const doc = response.json();
  t.match(doc.openapi, /^3\./);
  const expected: Record<string, string[]> = {
    '/concerts': ['get', 'post'],
    '/concerts/{concertId}/schedules': ['get'],
    '/schedules/{scheduleId}/seats': ['get'],
    '/queue/tokens': ['post'],
    '/queue/tokens/current': ['get'],
    '/reservations': ['post'],
    '/reservations/{reservationId}': ['get'],
    '/users/{userId}/points/charge': ['post'],
    '/users/{userId}/points': ['get'],
    '/payments': ['post'],
    '/payments/{paymentId}': ['get'],
    '/payments/{paymentId}/events': ['get'],
    '/rankings/sold-out': ['get'],
    '/health': ['get'],
    '/metrics': ['get'],
  };
  for (const [path, methods] of Object.entries(expected)) {
    for (const method of methods) t.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
  }
  t.ok(doc.paths['/concerts'].post.requestBody, 'with its body schema');
  t.ok(doc.components.securitySchemes.queueToken, 'and how to authenticate');
  const ui = await api.inject({ method: 'GET', url: '/docs' });
  t.equal(ui.statusCode, 200, 'Swagger UI at /docs');
  t.match(ui.headers['content-type'], /text\/html/);
  t.match(ui.body, /swagger/i);
});

t.test('unknown routes are 404 in the same error shape', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const body = await api.refused(t, { method: 'GET', url: '/nope' }, 404, 'ROUTE_NOT_FOUND');
  t.same(body, { statusCode: 404, code: 'ROUTE_NOT_FOUND', error: 'Not Found', message: 'Route GET:/nope not found' });
  await api.refused(t, { method: 'DELETE', url: '/concerts' }, 404, 'ROUTE_NOT_FOUND', 'a known path with another method');
});

t.test('one log line per request, with the saga; an unexpected failure is a 500 that is logged', async (t) => {
  const system = await startTestSystem(t);
  let storeBroken = false;
  const store = failing<EventStore>(system.store, {
    readStream: (...args: Parameters<EventStore['readStream']>) => (storeBroken ? Promise.reject(new Error('disk on fire')) : system.store.readStream(...args)),
  });
  const { logger, lines } = recordingLogger();
  const api = await startTestApi(t, system, { store, logger });
  const scheduleId = (await api.registerConcert()).schedules[0]!.scheduleId;
  const { paymentId } = await completedPayment(api, 'ana', 1, scheduleId);

  const requestLines = lines.filter((line) => line.msg === 'request');
  t.equal(lines.filter((line) => line.msg === 'incoming request' || line.msg === 'request completed').length, 0, "no Fastify's default pair");
  t.equal(requestLines.filter((line) => line.route === '/payments').length, 1, 'one line for the one payment request');
  t.match(requestLines.find((line) => line.route === '/payments'), { method: 'POST', statusCode: 202, correlationId: paymentId, responseTimeMs: Number });
  t.ok(lines.some((line) => line.msg === 'payment requested' && line.correlationId === paymentId), 'saga logs carry the payment id');

  const token = await api.activeToken('ben');
  storeBroken = true;
  const response = await api.inject({ method: 'GET', url: '/queue/tokens/current', headers: { 'queue-token': token } });
  storeBroken = false;
  t.equal(response.statusCode, 500);
  t.same(response.json(), { statusCode: 500, code: 'INTERNAL_ERROR', error: 'Internal Server Error', message: 'an unexpected error occurred; it has been logged' });
  t.notMatch(response.body, /disk on fire/, 'the insides are not shown to the client');
  const logged = lines.find((line) => line.msg === 'unexpected error');
  t.match(logged, { level: 50, err: { message: 'disk on fire' } }, 'but they are logged');
});
