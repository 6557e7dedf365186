import t, { type Test } from 'tap';
import Fastify from 'fastify';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTestSystem, type TestSystem } from '../support/system.js';
import { startTestApi } from '../support/api.js';
import { startTracing } from '../../infra/telemetry.js';
import { CAUSATION_ATTRIBUTE, CORRELATION_ATTRIBUTE, SERVICE_ATTRIBUTE } from '../../bus/tracing.js';
import { deliveryStream } from '../../domains/dataplatform/delivery.js';
import { paymentStream } from '../../domains/payment/payment.js';
import { pointsStream } from '../../domains/point/wallet.js';
import type { RecordedEvent } from '../../infra/eventstore/port.js';

// Each span is exported as it ends: after settle() every span of the saga is here.
const exporter = new InMemorySpanExporter();
const tracing = startTracing({ exporter, serviceName: 'tracing-test' });
t.teardown(() => tracing.shutdown());

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

function parentOf(event: RecordedEvent): { traceId: string; spanId: string } {
  const match = TRACEPARENT.exec(String(event.metadata.traceparent));
  if (!match) throw new Error(`${event.type} ${event.id} carries no traceparent: ${JSON.stringify(event.metadata)}`);
  return { traceId: match[1]!, spanId: match[2]! };
}

const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const describe = (span: ReadableSpan) => `${span.name} (${String(span.attributes[SERVICE_ATTRIBUTE])})`;

/**
 * The payment's events and spans make one trace whose parent links follow
 * causation: each event names the span that appended it; that span's parent
 * is the span that handled the event that caused it (a reaction or a timer),
 * and that span's parent is the span that appended the cause. Returns the
 * trace's spans.
 */
async function assertOneTrace(t: Test, system: TestSystem, paymentId: string, services: readonly string[]) {
  const events = await system.store.readCorrelation(paymentId);
  t.ok(events.length > 0, 'the payment has events');
  const traceIds = new Set(events.map((event) => parentOf(event).traceId));
  t.equal(traceIds.size, 1, `the ${events.length} events of the payment are in one trace`);
  const [traceId] = traceIds;
  const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  const correlated = exporter.getFinishedSpans().filter((span) => span.attributes[CORRELATION_ATTRIBUTE] === paymentId);
  t.ok(correlated.length > 0, 'spans name the payment');
  t.ok(
    correlated.every((span) => span.spanContext().traceId === traceId),
    'no span of the payment is in another trace',
  );
  const byId = new Map(spans.map((span) => [idOf(span), span]));
  t.equal(byId.size, spans.length, 'span ids are unique');
  const eventsById = new Map(events.map((event) => [event.id, event]));

  const seen = new Set(spans.map((span) => String(span.attributes[SERVICE_ATTRIBUTE])));
  for (const service of services) t.ok(seen.has(service), `a span of the ${service} service`);
  t.ok(
    spans.every((span) => typeof span.attributes[SERVICE_ATTRIBUTE] === 'string'),
    'every span names its service',
  );
  t.ok(
    spans.every((span) => span.instrumentationScope.name === `concert.${String(span.attributes[SERVICE_ATTRIBUTE])}`),
    "every span comes from its service's tracer",
  );

  for (const event of events) {
    const appender = byId.get(parentOf(event).spanId);
    if (!t.ok(appender, `${event.type}: the span that appended it is in the trace`)) continue;
    t.equal(appender!.attributes['concert.stream'], event.streamId, `${event.type}: appended by the command on ${event.streamId}`);
    const cause = event.metadata.causationId === undefined ? undefined : eventsById.get(String(event.metadata.causationId));
    if (cause === undefined) continue;
    const handler = byId.get(appender!.parentSpanContext?.spanId ?? '');
    if (!t.ok(handler, `${event.type}: its command ran inside the handling of ${cause.type}`)) continue;
    t.equal(handler!.attributes[CAUSATION_ATTRIBUTE], cause.id, `${event.type}: ${describe(handler!)} handled ${cause.type}`);
  }

  // Every reaction and timer, whether it appended or not, hangs under the span that appended what it handled.
  const handlers = spans.filter((span) => span.attributes[CAUSATION_ATTRIBUTE] !== undefined);
  t.ok(handlers.length > 0, 'reactions and timers handled the payment');
  for (const handler of handlers) {
    const cause = eventsById.get(String(handler.attributes[CAUSATION_ATTRIBUTE]));
    if (!t.ok(cause, `${describe(handler)}: handled an event of the payment`)) continue;
    t.equal(handler.parentSpanContext?.spanId, parentOf(cause!).spanId, `${describe(handler)}: a child of the append of ${cause!.type}`);
  }
  return spans;
}

/** A data platform that takes every delivery and keeps the traceparent header each came with. */
function recordingPlatform() {
  const traceparents: string[] = [];
  const platform = Fastify();
  platform.post('/reservations', async (request, reply) => {
    traceparents.push(String(request.headers.traceparent));
    return reply.code(201).send({});
  });
  platform.get('/reservations', async () => []);
  return { platform, traceparents };
}

t.test('a completed payment, paid over HTTP: one trace from the request to the delivery', async (t) => {
  exporter.reset();
  const { platform, traceparents } = recordingPlatform();
  const system = await startTestSystem(t, { dataPlatform: platform });
  const api = await startTestApi(t, system);
  const { schedules } = await api.registerConcert();
  const scheduleId = schedules[0]!.scheduleId;
  const token = await api.activeToken('ana');
  const headers = { 'queue-token': token };
  await api.inject({ method: 'POST', url: '/users/ana/points/charge', payload: { amount: 500 } });
  const { reservationId } = (await api.inject({ method: 'POST', url: '/reservations', headers, payload: { scheduleId, seatNo: 1 } })).json();
  const paid = await api.inject({ method: 'POST', url: '/payments', headers, payload: { reservationId } });
  t.equal(paid.statusCode, 202);
  const { paymentId } = paid.json() as { paymentId: string };
  await api.settle();
  t.same(await system.streamTypes(paymentStream(paymentId)), ['PaymentRequested', 'PaymentCompleted']);
  t.same(await system.streamTypes(deliveryStream(paymentId)), ['DeliveryScheduled', 'DeliverySucceeded']);

  const spans = await assertOneTrace(t, system, paymentId, ['api', 'payment', 'reservation', 'point', 'queue', 'ranking', 'dataplatform']);
  const roots = spans.filter((span) => span.parentSpanContext === undefined);
  t.equal(roots.length, 1, 'one root');
  t.match(roots[0], { name: 'POST /payments', attributes: { [SERVICE_ATTRIBUTE]: 'api', 'http.response.status_code': 202, 'concert.payment_id': paymentId } });
  const [requested] = await system.store.readStream(paymentStream(paymentId));
  const append = spans.find((span) => idOf(span) === parentOf(requested!).spanId);
  t.equal(append?.parentSpanContext?.spanId, idOf(roots[0]!), 'PaymentRequested was appended inside the request');
  const posts = spans.filter((span) => span.name === 'POST /reservations' && span.attributes[SERVICE_ATTRIBUTE] === 'dataplatform');
  t.equal(posts.length, 1, 'one delivery attempt');
  t.equal(posts[0]?.attributes['http.response.status_code'], 201, 'the receiver took it');
  t.same(
    traceparents,
    [`00-${posts[0]!.spanContext().traceId}-${idOf(posts[0]!)}-01`],
    'the data platform got the trace context of the delivery request',
  );
});

t.test("a caller's traceparent makes the request, and what it appends, part of the caller's trace", async (t) => {
  exporter.reset();
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const caller = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
  const response = await api.inject({
    method: 'POST',
    url: '/users/ana/points/charge',
    headers: { traceparent: `00-${caller.traceId}-${caller.spanId}-01` },
    payload: { amount: 500 },
  });
  t.equal(response.statusCode, 200);
  const [charged] = await system.store.readStream(pointsStream('ana'));
  t.equal(parentOf(charged!).traceId, caller.traceId, "PointsCharged is in the caller's trace");
  const request = exporter.getFinishedSpans().find((span) => span.attributes[SERVICE_ATTRIBUTE] === 'api');
  t.equal(request?.parentSpanContext?.spanId, caller.spanId, "the request span is a child of the caller's");
  const append = exporter.getFinishedSpans().find((span) => idOf(span) === parentOf(charged!).spanId);
  t.equal(append?.parentSpanContext?.spanId, idOf(request!), 'and the append a child of the request');
  t.equal(append?.attributes[SERVICE_ATTRIBUTE], 'point', 'by the point service');
});

t.test('a compensated payment (insufficient balance): one trace through the refusal and the release', async (t) => {
  exporter.reset();
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(1, 100);
  await system.charge('ana', 60);
  const { paymentId } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  t.same(await system.streamTypes(paymentStream(paymentId)), ['PaymentRequested', 'PaymentFailed']);
  const spans = await assertOneTrace(t, system, paymentId, ['payment', 'reservation', 'point']);
  const types = (await system.store.readCorrelation(paymentId)).map((e) => e.type);
  t.ok(types.includes('DebitFailed') && types.includes('SeatReleased'), 'the refusal and the compensation are in it');
  t.notOk(
    spans.some((span) => span.attributes[SERVICE_ATTRIBUTE] === 'dataplatform'),
    'nothing is delivered',
  );
});

t.test('a delivery retried twice: every attempt in the payment trace, each timer under the failure before it', async (t) => {
  exporter.reset();
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(1, 100);
  await system.charge('ana', 100);
  await system.platformDown();
  const { paymentId } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  system.clock.advance(system.config.deliveryMaxBackoffMs);
  await system.settle();
  t.same(await system.streamTypes(deliveryStream(paymentId)), ['DeliveryScheduled', 'DeliveryAttemptFailed', 'DeliveryAttemptFailed']);
  await system.platformUp();
  system.clock.advance(system.config.deliveryMaxBackoffMs);
  await system.settle();
  t.same(await system.streamTypes(deliveryStream(paymentId)), ['DeliveryScheduled', 'DeliveryAttemptFailed', 'DeliveryAttemptFailed', 'DeliverySucceeded']);

  const spans = await assertOneTrace(t, system, paymentId, ['payment', 'reservation', 'point', 'queue', 'ranking', 'dataplatform']);
  const delivery = await system.store.readStream(deliveryStream(paymentId));
  const timers = spans.filter((span) => span.name === 'timer dataplatform.deliveryAttempt');
  t.same(
    timers.map((span) => span.attributes['concert.delivery_attempt']).sort(),
    [1, 2, 3],
    'three attempts, each a timer span',
  );
  for (const timer of timers) {
    const attempt = Number(timer.attributes['concert.delivery_attempt']);
    t.equal(timer.parentSpanContext?.spanId, parentOf(delivery[attempt - 1]!).spanId, `attempt ${attempt} follows ${delivery[attempt - 1]!.type}`);
    const posts = spans.filter((span) => span.name === 'POST /reservations' && span.parentSpanContext?.spanId === idOf(timer));
    t.equal(posts.length, 1, `attempt ${attempt}: one request to the data platform`);
    t.equal(posts[0]?.status.code, attempt < 3 ? 2 : 0, `attempt ${attempt} ${attempt < 3 ? 'failed' : 'succeeded'}`);
  }
});
