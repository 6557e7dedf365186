import t from 'tap';
import type { AddressInfo } from 'node:net';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { finalize } from 'rxjs';
import type { SubscribeOptions } from '../../infra/eventstore/port.js';
import { startTestSystem } from '../support/system.js';
import { startTestApi, ADMIN_TOKEN } from '../support/api.js';
import { seatStream } from '../../domains/reservation/seat.js';
import { paymentStream } from '../../domains/payment/payment.js';
import { deliveryStream } from '../../domains/dataplatform/delivery.js';
import { foldStream } from '../../infra/inspect/fold.js';
import { buildTrace, collectTrace } from '../../infra/inspect/saga-trace.js';
import { serviceOf } from '../../infra/inspect/owners.js';
import { plainJson } from '../../infra/inspect/json.js';
import { park } from '../../bus/parking.js';
import { reactionSubscriber } from '../../bus/reactions.js';
import { pointsStream } from '../../domains/point/wallet.js';
import { switchablePlatform } from '../support/switchable-platform.js';
import { buildMockDataPlatform } from '../../domains/dataplatform/mock-server.js';


t.test('the admin routes answer what concertctl answers: sagas, folded streams, dead letters and parked events with their redrives', async (t) => {
  const { platform, state } = switchablePlatform();
  const system = await startTestSystem(t, { dataPlatform: platform, without: ['point'] });
  const api = await startTestApi(t, system);
  const admin = api.admin;
  const schedule = await system.openSchedule(2, 100);
  await system.charge('ana', 100);
  const { paymentId, hold } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  // The point service is down: its debit is parked as if it had kept failing.
  const reserved = (await system.store.readStream(seatStream(schedule.scheduleId, 1))).find((e) => e.type === 'SeatReserved')!;
  await park(system.store, reactionSubscriber('point'), 'point.debitOnSeatReserved', reserved, new Error('wallet unreachable'), 5, system.clock.now());
  await api.settle();

  const unauthorized = await api.inject({ method: 'GET', url: '/admin/parked' });
  t.equal(unauthorized.statusCode, 401, 'no token, no admin route');

  const parked = await api.inject({ method: 'GET', url: '/admin/parked', headers: admin });
  t.match(parked.json(), [{ service: 'point', eventId: reserved.id, handler: 'point.debitOnSeatReserved', eventType: 'SeatReserved', error: 'Error: wallet unreachable', attempts: 5 }]);
  const redriven = await api.inject({ method: 'POST', url: `/admin/parked/${reserved.id}/redrive`, headers: admin });
  t.equal(redriven.statusCode, 200, redriven.body);
  t.match(redriven.json(), [{ eventId: reserved.id, handler: 'point.debitOnSeatReserved', outcome: 'handled' }]);
  t.same(await system.streamTypes(pointsStream('ana')), ['PointsCharged', 'PointsDebited'], 'the debit the point service would have made');
  t.same((await api.inject({ method: 'GET', url: '/admin/parked', headers: admin })).json(), [], 'redriven: no longer listed');
  await system.start(['point']);
  await system.settle();
  system.clock.advance(system.config.deliveryMaxBackoffMs * 2);
  await system.settle();
  await api.settle();
  t.same(await system.streamTypes(paymentStream(paymentId)), ['PaymentRequested', 'PaymentCompleted']);
  t.same(await system.streamTypes(deliveryStream(paymentId)), ['DeliveryScheduled', 'DeliveryDeadLettered'], 'the platform refused it for good');

  for (const q of [paymentId, hold.reservationId, 'ana']) {
    const found = await api.inject({ method: 'GET', url: `/admin/sagas?q=${q}`, headers: admin });
    t.match(found.json(), [{ paymentId, reservationId: hold.reservationId, userId: 'ana', status: 'COMPLETED' }], `found by ${q}`);
  }
  const saga = (await api.inject({ method: 'GET', url: `/admin/sagas/${paymentId}`, headers: admin })).json() as {
    outcome: { status: string; delivery: string };
    events: Array<{ id: string; type: string; service: string; parentId: string | null; cause: string; compensation: boolean }>;
  };
  t.match(saga.outcome, { status: 'COMPLETED', delivery: 'DEAD_LETTERED (HTTP 400: {"message":"schema mismatch"})' });
  const cli = buildTrace(paymentId, await collectTrace(system.store, paymentId));
  t.same(
    saga.events.map((e) => [e.service, e.type, e.parentId]),
    cli.nodes.map((node) => [serviceOf(node.event.streamId), node.event.type, node.parent?.event.id ?? null]),
    'the tree concertctl trace prints, event for event',
  );
  const steps = ['reservation SeatHeld', 'payment PaymentRequested', 'reservation SeatReserved', 'point EventParked', 'point PointsDebited', 'point ParkedEventRedriven', 'payment PaymentCompleted'];
  t.same(
    saga.events.map((e) => `${e.service} ${e.type}`).filter((step) => steps.includes(step)),
    steps,
    'every step across the lanes, the parking and its redrive included, in global order',
  );
  t.same(
    saga.events.filter((e) => e.service === 'dataplatform').map((e) => e.type),
    ['DeliveryScheduled', 'DeliveryDeadLettered'],
    "the data platform's attempts",
  );
  const byType = new Map(saga.events.map((e) => [e.type, e]));
  t.equal(byType.get('SeatReserved')!.parentId, byType.get('PaymentRequested')!.id, 'each step hangs under the event that caused it');
  t.equal(byType.get('PaymentRequested')!.cause, 'request');

  const seat = seatStream(schedule.scheduleId, 1);
  const atZero = await api.inject({ method: 'GET', url: `/admin/streams/${seat}?toRevision=0`, headers: admin });
  t.equal(atZero.statusCode, 200, atZero.body);
  const body = atZero.json() as { revision: number; of: number; state: unknown; events: unknown[] };
  t.match(body, { revision: 0, of: 1, events: [{ type: 'SeatHeld' }, { type: 'SeatReserved' }] });
  t.same(body.state, plainJson((await foldStream(system.store, seat, { toRevision: 0 })).state), 'the state concertctl replay --to-revision 0 folds');
  t.match(body.state, { status: 'HELD', holder: { userId: 'ana' } });

  const letters = await api.inject({ method: 'GET', url: '/admin/dead-letters', headers: admin });
  t.match(letters.json(), [{ paymentId, attempts: 1, lastStatus: 400, payload: { userId: 'ana' } }]);
  state.refusing = false;
  const redrive = await api.inject({ method: 'POST', url: `/admin/dead-letters/${paymentId}/redrive`, headers: admin });
  t.equal(redrive.statusCode, 200, redrive.body);
  t.same(redrive.json(), { paymentId, dueAt: system.clock.now().toISOString() }, 'due now, by the system clock');
  const twice = await api.inject({ method: 'POST', url: `/admin/dead-letters/${paymentId}/redrive`, headers: admin });
  t.match(twice.json(), { statusCode: 409, code: 'NOT_DEAD_LETTERED' }, 'a second redrive is refused, not a second round');
  await system.settle();
  t.same(await system.streamTypes(deliveryStream(paymentId)), ['DeliveryScheduled', 'DeliveryDeadLettered', 'DeliveryRedriven', 'DeliverySucceeded']);
  t.same(state.received, [paymentId], 'delivered once');
  t.same((await api.inject({ method: 'GET', url: '/admin/dead-letters', headers: admin })).json(), []);
  t.match((await system.store.readStream(deliveryStream(paymentId)))[2]!.metadata, { by: 'console' }, 'the redrive says who asked');
});

t.test("the admin dead letters show a refunded payment's dead-lettered cancellation and redrive it; the saga's delivery is still its reservation's", async (t) => {
  const platform = buildMockDataPlatform();
  const state = { refusingCancellations: true };
  platform.addHook('preHandler', async (request, reply) => {
    if (request.method === 'POST' && request.url.endsWith('/cancellation') && state.refusingCancellations) {
      return reply.code(422).send({ statusCode: 422, error: 'Unprocessable Entity', message: 'unknown reason' });
    }
  });
  const system = await startTestSystem(t, { dataPlatform: platform });
  const api = await startTestApi(t, system);
  const admin = api.admin;
  const schedule = await system.openSchedule(1, 100);
  await system.charge('ana', 100);
  const { paymentId, hold } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  const now = system.clock.now().toISOString();
  await system.refundPayment(paymentId);
  await system.settle();
  await api.settle();

  const letters = await api.inject({ method: 'GET', url: '/admin/dead-letters', headers: admin });
  t.equal(letters.statusCode, 200, letters.body);
  t.same(letters.json(), [
    {
      paymentId,
      kind: 'cancellation',
      payload: { paymentId, reservationId: hold.reservationId, userId: 'ana', scheduleId: schedule.scheduleId, seatNos: [1], amount: 100, refundedAt: now, reason: 'USER' },
      attempts: 1,
      lastStatus: 422,
      lastError: 'HTTP 422: {"statusCode":422,"error":"Unprocessable Entity","message":"unknown reason"}',
      deadLetteredAt: now,
    },
  ], 'only the cancellation: the reservation was delivered');
  const saga = (await api.inject({ method: 'GET', url: `/admin/sagas/${paymentId}`, headers: admin })).json() as { outcome: { delivery: string } };
  t.equal(saga.outcome.delivery, 'SUCCEEDED', "the saga's delivery is the reservation's, not its cancellation's dead letter");

  state.refusingCancellations = false;
  const redrive = await api.inject({ method: 'POST', url: `/admin/dead-letters/${paymentId}/redrive`, headers: admin });
  t.equal(redrive.statusCode, 200, redrive.body);
  t.same(redrive.json(), { paymentId, kind: 'cancellation', dueAt: now }, 'the cancellation, due now');
  await system.settle();
  t.same((await system.store.readStream(deliveryStream(paymentId))).slice(-2).map((e) => [e.type, (e.data as { kind?: string }).kind]), [
    ['DeliveryRedriven', 'cancellation'],
    ['DeliverySucceeded', 'cancellation'],
  ]);
  t.same((await api.inject({ method: 'GET', url: '/admin/dead-letters', headers: admin })).json(), []);
  const again = await api.inject({ method: 'POST', url: `/admin/dead-letters/${paymentId}/redrive`, headers: admin });
  t.match(again.json(), { statusCode: 409, code: 'NOT_DEAD_LETTERED' }, 'nothing dead-lettered left: the reservation is not');
});

/** Frames of a live tail, read over a real socket as a browser would. */
async function openTail(base: string, query: string) {
  const abort = new AbortController();
  const response = await fetch(`${base}/admin/events?${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: abort.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  const next = async () => {
    const { value, done } = await reader.read();
    return done ? null : { event: value.event, id: value.id, data: JSON.parse(value.data) as Record<string, unknown> };
  };
  return { response, next, abort: () => abort.abort() };
}

t.test('the live tail: server-sent events with the filters of concertctl tail, ended by the client or by the server closing', async (t) => {
  const system = await startTestSystem(t);
  // The API's store, seen through: the live tail's subscription (the one on payment and seat streams) tells when it ends.
  let tailEnded: () => void = () => {};
  const ended = new Promise<void>((resolve) => (tailEnded = resolve));
  const store = new Proxy(system.store, {
    get(target, key) {
      if (key === 'subscribe') {
        return (options?: SubscribeOptions) =>
          target.subscribe(options).pipe(finalize(() => options?.filter?.streamPrefixes?.includes('payment-') && tailEnded()));
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const api = await startTestApi(t, system, { store });
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  const schedule = await system.openSchedule(2, 100);
  await system.charge('ana', 50);
  await system.settle();

  const refused = await fetch(`${base}/admin/events?category=reservation`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  t.equal(refused.status, 400, 'a category nothing has is refused, as concertctl tail refuses it');
  t.match(await refused.json(), { code: 'INVALID_FILTER', message: /^category reservation: no such stream category \(reservation is a service; its streams are seat-…\)/ });

  const tail = await openTail(base, 'category=payment,seat');
  t.equal(tail.response.status, 200);
  t.equal(tail.response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const ready = await tail.next();
  t.same(ready, { event: 'ready', id: undefined, data: { after: (await system.store.headPosition())!.toString() } }, 'following from the head');

  const { paymentId } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  const seen: string[] = [];
  for (;;) {
    const frame = (await tail.next())!;
    t.equal(frame.event, 'event');
    t.equal(frame.id, frame.data.position, 'each frame is identified by its position');
    seen.push(`${frame.data.streamId} ${frame.data.type}`);
    if (frame.data.type === 'SeatReleased') break;
  }
  const seat = seatStream(schedule.scheduleId, 1);
  t.same(
    seen,
    [`${seat} SeatHeld`, `${paymentStream(paymentId)} PaymentRequested`, `${seat} SeatReserved`, `${paymentStream(paymentId)} PaymentFailed`, `${seat} SeatReleased`],
    'the payment and seat events of the failed payment, no points events, in order',
  );
  tail.abort();
  await ended;
  t.pass("the client went away: the tail's store subscription ended with it");

  const byCorrelation = await openTail(base, `correlation=${paymentId}&from=start&type=PaymentFailed`);
  await byCorrelation.next();
  t.match(await byCorrelation.next(), { event: 'event', data: { type: 'PaymentFailed', metadata: { correlationId: paymentId } } }, 'from the start, filtered by type and correlation');
  // The server closing ends the stream: the client reads its end rather than hanging.
  await api.app.close();
  t.equal(await byCorrelation.next(), null, 'the server ended the stream on close');
});
