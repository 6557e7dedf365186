import t from 'tap';
import { sagaStore } from './saga-store.js';
import { cli, jsonLines } from './cli.js';
import { deliveryStream } from '../../domains/dataplatform/delivery.js';

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
