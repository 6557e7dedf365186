import t from 'tap';
import { startTestSystem } from '../support/system.js';
import { cli, jsonLines } from './cli.js';
import { buildTrace, collectTrace, walk, type SagaTrace } from '../../infra/inspect/saga-trace.js';
import { holdSeat } from '../../domains/reservation/hold-seat.js';
import { requestPayment } from '../../domains/payment/request-payment.js';
import { buildMockDataPlatform } from '../../domains/dataplatform/mock-server.js';
import type { RecordedEvent } from '../../infra/eventstore/port.js';

/**
 * Events appended by timers belong to the saga whose event set the timer:
 * they carry its correlation id, and that event's id as their cause. Each
 * case runs the real services on SQLite with a manual clock, lets a timer
 * fire, and traces the saga end to end.
 */

const one = (events: readonly RecordedEvent[], type: string): RecordedEvent => {
  const found = events.filter((e) => e.type === type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length} in ${events.map((e) => e.type).join(', ')}`);
  return found[0]!;
};

/** The node of an event type in the tree, with the type of its parent. */
const placed = (trace: SagaTrace, type: string) => {
  const node = [...walk(trace.roots)].find((n) => n.event.type === type);
  return { parent: node?.parent?.event.type, viaTimer: node?.viaTimer };
};

t.test('a hold that expired before payment: the trace shows the expiry that failed it', async (t) => {
  const system = await startTestSystem(t);
  const schedule = await system.openSchedule(1, 100);
  await system.charge('ana', 500);
  const hold = await holdSeat(system.store, { scheduleId: schedule.scheduleId, seatNo: 1, userId: 'ana', price: 100 }, system.clock.now(), system.config.holdTtlMs);
  system.clock.advance(system.config.holdTtlMs + 1);
  await system.settle();
  const { paymentId } = await requestPayment(
    system.store,
    { reservationId: hold.reservationId, userId: 'ana', concertId: schedule.concertId, scheduleId: schedule.scheduleId, seatNo: 1, amount: 100 },
    system.clock.now(),
    system.config.paymentDeadlineMs,
  );
  await system.settle();

  const events = await collectTrace(system.store, paymentId);
  const held = one(events, 'SeatHeld');
  const expired = one(events, 'SeatHoldExpired');
  t.equal(expired.metadata.correlationId, hold.reservationId, "the expiry carries the hold's correlation, not the seat's id");
  t.equal(expired.metadata.causationId, held.id, 'and was caused by the hold that set its timer');
  t.ok((await system.store.readCorrelation(hold.reservationId)).some((e) => e.type === 'SeatHoldExpired'), 'so the correlation index finds it');

  const trace = buildTrace(paymentId, events);
  t.match(trace.outcome, { status: 'FAILED', reason: 'HOLD_EXPIRED' });
  t.same(placed(trace, 'SeatHoldExpired'), { parent: 'SeatHeld', viaTimer: true }, 'the expiry hangs under the hold, fired by a timer');
  t.ok(events.some((e) => e.type === 'DebitVoided'), 'the point service voided the debit to come');
  t.same(trace.outcome.compensations, [], 'which undid nothing: nothing had been debited or reserved');

  // The operator's view of the same saga, from the CLI's own process.
  const result = await cli(system.config.dataDir, ['trace', paymentId, '--json']);
  t.equal(result.code, 0, result.stderr);
  const lines = jsonLines<{ type?: string; viaTimer?: boolean; causedBy?: string; outcome?: { compensations: string[] } }>(result.stdout);
  const line = lines.find((l) => l.type === 'SeatHoldExpired');
  t.match(line, { viaTimer: true, causedBy: held.id }, 'trace prints the expiry under its hold');
  t.same(lines.at(-1)?.outcome?.compensations, []);
  const text = await cli(system.config.dataDir, ['trace', paymentId]);
  t.notMatch(text.stdout, /compensated by/, 'no "compensated by" line when nothing was undone');
  t.match(text.stdout, /\[timer\] SeatHoldExpired +reservation/, 'marked as fired by a timer');
});

t.test('a payment deadline: the timeout is the payment request\'s doing, and the release undoes the reservation', async (t) => {
  // No point service: the debit never comes, so the deadline decides.
  const system = await startTestSystem(t, { without: ['point'] });
  const schedule = await system.openSchedule(1, 100);
  const { paymentId } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  system.clock.advance(system.config.paymentDeadlineMs + 1);
  await system.settle();

  const events = await collectTrace(system.store, paymentId);
  const requested = one(events, 'PaymentRequested');
  const failed = one(events, 'PaymentFailed');
  t.equal((failed.data as { reason: string }).reason, 'TIMEOUT');
  t.equal(failed.metadata.correlationId, paymentId);
  t.equal(failed.metadata.causationId, requested.id, 'caused by the request that set the deadline');
  const trace = buildTrace(paymentId, events);
  t.same(placed(trace, 'PaymentFailed'), { parent: 'PaymentRequested', viaTimer: true });
  t.same(placed(trace, 'SeatReleased'), { parent: 'PaymentFailed', viaTimer: false }, 'the release answers the failure');
  t.same(trace.outcome.compensations, ['SeatReleased'], 'the seat had been reserved: its release is a compensation');
});

t.test('a delivery retried by its timer: each attempt hangs under the event that scheduled it', async (t) => {
  let refusals = 1;
  const platform = buildMockDataPlatform();
  platform.addHook('preHandler', async (request, reply) => {
    if (request.method === 'POST' && refusals > 0) {
      refusals--;
      return reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'try again later' });
    }
  });
  const system = await startTestSystem(t, { dataPlatform: platform });
  const schedule = await system.openSchedule(1, 100);
  await system.charge('ana', 500);
  const { paymentId } = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();
  system.clock.advance(60_000);
  await system.settle();

  const events = await collectTrace(system.store, paymentId);
  const scheduled = one(events, 'DeliveryScheduled');
  const attemptFailed = one(events, 'DeliveryAttemptFailed');
  const succeeded = one(events, 'DeliverySucceeded');
  t.equal(attemptFailed.metadata.causationId, scheduled.id, 'the first attempt was set by the scheduling');
  t.equal(succeeded.metadata.causationId, attemptFailed.id, 'the retry was set by the failed attempt');
  for (const event of [attemptFailed, succeeded]) t.equal(event.metadata.correlationId, paymentId, `${event.type} is the payment's`);
  const trace = buildTrace(paymentId, events);
  t.same(placed(trace, 'DeliveryAttemptFailed'), { parent: 'DeliveryScheduled', viaTimer: true });
  t.same(placed(trace, 'DeliverySucceeded'), { parent: 'DeliveryAttemptFailed', viaTimer: true });
  t.equal(trace.outcome.delivery, 'SUCCEEDED');
});
