import t from 'tap';
import { sagaStore } from './saga-store.js';
import { cli, jsonLines } from './cli.js';
import { deliveryStream } from '../../domains/dataplatform/delivery.js';
import { buildMockDataPlatform } from '../../domains/dataplatform/mock-server.js';
import { startTestSystem } from '../support/system.js';

interface Letter {
  paymentId: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  payload: { userId: string };
}

t.test('dead letters', async (t) => {
  const saga = await sagaStore(t);
  const { dataDir, system } = saga;
  const dora = saga.refused.paymentId;

  t.test('lists the delivery the data platform refused, with its last error', async (t) => {
    const result = await cli(dataDir, ['dead-letters', '--json']);
    t.equal(result.code, 0, result.stderr);
    const letters = jsonLines<Letter>(result.stdout);
    t.match(letters, [{ paymentId: dora, status: 'DEAD_LETTERED', attempts: 1, lastStatus: 400, payload: { userId: 'dora' } }], 'only dora: ana was delivered');
    t.match(letters[0]!.lastError, 'dora is not welcome here');
    const human = await cli(dataDir, ['dead-letters']);
    t.match(human.stdout, new RegExp(`DEAD  ${dora}  .* after 1 attempts  user=dora`));
    t.match(human.stdout, /last error: 400 HTTP 400/);
  });

  t.test('redrive: DeliveryRedriven, and the running dataplatform service delivers it', async (t) => {
    saga.platformAccepts();
    const result = await cli(dataDir, ['dead-letters', 'redrive', dora]);
    t.equal(result.code, 0, result.stderr);
    t.match(result.stdout, `redriven ${dora}`);
    t.same(await system.streamTypes(deliveryStream(dora)), ['DeliveryScheduled', 'DeliveryDeadLettered', 'DeliveryRedriven']);
    await system.settle();
    t.same(
      await system.streamTypes(deliveryStream(dora)),
      ['DeliveryScheduled', 'DeliveryDeadLettered', 'DeliveryRedriven', 'DeliverySucceeded'],
      'the service picked the redrive up',
    );
    t.ok((await system.received()).some((r) => r.paymentId === dora), 'the platform has it now');
    const after = await cli(dataDir, ['dead-letters']);
    t.match(after.stdout, 'no dead letters');
  });

  t.test('redriving what is not dead-lettered is refused, exit 1, nothing appended', async (t) => {
    const before = await system.streamTypes(deliveryStream(dora));
    const result = await cli(dataDir, ['dead-letters', 'redrive', dora]);
    t.equal(result.code, 1);
    t.match(result.stderr, 'NOT_DEAD_LETTERED');
    t.same(await system.streamTypes(deliveryStream(dora)), before);
  });

  t.test('redrive needs a paymentId or --all', async (t) => {
    const result = await cli(dataDir, ['dead-letters', 'redrive']);
    t.equal(result.code, 2);
    t.match(result.stderr, 'name one paymentId, or --all');
    const all = await cli(dataDir, ['dead-letters', 'redrive', '--all', '--json']);
    t.equal(all.code, 0, all.stderr);
    t.equal(all.stdout, '', 'nothing left to redrive');
  });
});

t.test("a refunded payment's cancellation dead-lettered: listed as one, redriven by the payment, its reservation kept from following it", async (t) => {
  // The platform refuses eve's reservation, and every cancellation until told otherwise.
  const state = { refusingCancellations: true };
  const platform = buildMockDataPlatform();
  platform.addHook('preHandler', async (request, reply) => {
    const body = request.body as { userId?: string } | undefined;
    const refused = request.method === 'POST' && (request.url.endsWith('/cancellation') ? state.refusingCancellations : body?.userId === 'eve');
    if (refused) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'not taken' });
  });
  const system = await startTestSystem(t, { dataPlatform: platform });
  const dataDir = system.config.dataDir;
  const schedule = await system.openSchedule(1, 100);
  await system.charge('eve', 100);
  const { paymentId } = await system.holdAndPay(schedule, 'eve', 1);
  await system.settle();
  await system.refundPayment(paymentId);
  await system.settle();
  t.same(await system.streamTypes(deliveryStream(paymentId)), ['DeliveryScheduled', 'DeliveryDeadLettered', 'DeliveryScheduled', 'DeliveryDeadLettered']);

  const listed = await cli(dataDir, ['dead-letters', '--json']);
  t.equal(listed.code, 0, listed.stderr);
  t.match(jsonLines<Letter & { kind?: string; cancellationStatus?: string }>(listed.stdout), [
    { paymentId, status: 'DEAD_LETTERED', cancellationStatus: 'DEAD_LETTERED', payload: { userId: 'eve', seatNo: 1 } },
    { paymentId, kind: 'cancellation', status: 'DEAD_LETTERED', attempts: 1, lastStatus: 400, payload: { userId: 'eve', seatNos: [1], reason: 'USER' } },
  ]);
  const human = await cli(dataDir, ['dead-letters']);
  t.match(human.stdout, new RegExp(`DEAD  ${paymentId}  .* after 1 attempts  user=eve seat=${schedule.scheduleId}#1 amount=100\n`), 'the reservation reads as it always did');
  t.match(human.stdout, 'refunded: its cancellation is DEAD_LETTERED, so the reservation cannot be sent again');
  t.match(human.stdout, new RegExp(`DEAD  ${paymentId} cancellation  .* after 1 attempts  user=eve seats=${schedule.scheduleId}#1 amount=100 reason=USER`));
  t.match(human.stdout, '2 dead letters');

  state.refusingCancellations = false;
  const all = await cli(dataDir, ['dead-letters', 'redrive', '--all', '--json']);
  t.equal(all.code, 0, all.stderr);
  t.match(jsonLines(all.stdout), [
    { paymentId, redriven: false, cancellationStatus: 'DEAD_LETTERED' },
    { paymentId, kind: 'cancellation', redriven: true },
  ], 'the reservation skipped, the cancellation redriven once');
  await system.settle();
  t.same(await system.streamTypes(deliveryStream(paymentId)), [
    'DeliveryScheduled',
    'DeliveryDeadLettered',
    'DeliveryScheduled',
    'DeliveryDeadLettered',
    'DeliveryRedriven',
    'DeliverySucceeded',
  ]);
  t.match(await system.receivedCancellations(), [{ paymentId, reason: 'USER' }], 'the platform took it on the redrive');
  t.equal((await system.receivedCancellations())?.length, 1);

  const refused = await cli(dataDir, ['dead-letters', 'redrive', paymentId]);
  t.equal(refused.code, 1, 'the reservation cannot follow its cancellation');
  t.match(refused.stderr, 'CANCELLATION_SENT');
  t.equal((await system.streamTypes(deliveryStream(paymentId))).length, 6, 'nothing appended');
  const left = await cli(dataDir, ['dead-letters']);
  t.match(left.stdout, 'refunded: its cancellation is SUCCEEDED');
  t.match(left.stdout, '1 dead letters');
});
