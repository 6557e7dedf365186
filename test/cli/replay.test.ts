import t from 'tap';
import { sagaStore } from './saga-store.js';
import { cli, jsonLines } from './cli.js';
import { paymentStream } from '../../domains/payment/payment.js';
import { seatStream } from '../../domains/reservation/seat.js';
import { pointsStream } from '../../domains/point/wallet.js';

interface Step {
  revision: number;
  type?: string;
  of?: number;
  state: Record<string, unknown>;
}

t.test('replay', async (t) => {
  const saga = await sagaStore(t);
  const { dataDir } = saga;
  const payment = paymentStream(saga.poor.paymentId);

  t.test('the state at the end of a stream', async (t) => {
    const result = await cli(dataDir, ['replay', payment]);
    t.equal(result.code, 0, result.stderr);
    t.match(result.stdout, `${payment} at revision 1 of 1`);
    const state = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as Record<string, unknown>;
    t.match(state, { status: 'FAILED', reason: 'INSUFFICIENT_BALANCE', ref: { userId: 'carl', amount: 100 } });
  });

  t.test('--to-revision: the state as it was then', async (t) => {
    const result = await cli(dataDir, ['replay', payment, '--to-revision', '0', '--json']);
    t.equal(result.code, 0, result.stderr);
    const [final] = jsonLines<Step>(result.stdout);
    t.match(final, { revision: 0, of: 1, state: { status: 'PENDING', reason: null, failedAt: null } });
  });

  t.test('--to-time before the stream began: the initial state', async (t) => {
    const result = await cli(dataDir, ['replay', payment, '--to-time', '2029-12-31T00:00:00Z', '--json']);
    t.equal(result.code, 0, result.stderr);
    t.match(jsonLines<Step>(result.stdout), [{ revision: -1, state: { status: 'NONE' } }]);
  });

  t.test('--steps: each event and the state after it, for a seat that was reserved and released', async (t) => {
    const seat = seatStream(saga.schedule.scheduleId, 2);
    const result = await cli(dataDir, ['replay', seat, '--steps', '--json']);
    t.equal(result.code, 0, result.stderr);
    const lines = jsonLines<Step>(result.stdout);
    t.same(lines.slice(0, -1).map((l) => l.type), ['SeatHeld', 'SeatReserved', 'SeatReleased']);
    t.same(
      lines.slice(0, -1).map((l) => l.state.status),
      ['HELD', 'RESERVED', 'AVAILABLE'],
      'the seat goes back on sale after the compensation',
    );
    const human = await cli(dataDir, ['replay', seat, '--steps']);
    t.match(human.stdout, /@1  SeatReserved  .*\n {4}\{\n.*"status": "RESERVED"/s, 'people see each event, then the state, indented');
  });

  t.test('a wallet, whose state holds a Set and a Map, prints as plain JSON', async (t) => {
    const result = await cli(dataDir, ['replay', pointsStream('ana'), '--json']);
    t.equal(result.code, 0, result.stderr);
    const [final] = jsonLines<Step>(result.stdout);
    t.match(final!.state, { balance: 400 });
    t.ok(Array.isArray(final!.state.charges), 'the set of charges as an array');
    t.same(final!.state.payments, { [saga.happy.paymentId]: { status: 'DEBITED', amount: 100 } }, 'the payments handled, by paymentId');
  });

  t.test('a stream no aggregate owns, or one that does not exist: exit 1', async (t) => {
    const unknown = await cli(dataDir, ['replay', 'nonsense-1']);
    t.equal(unknown.code, 1);
    t.match(unknown.stderr, /no aggregate owns this stream; known categories: concert, seat, holdings, payment, points/);
    const missing = await cli(dataDir, ['replay', paymentStream('nobody')]);
    t.equal(missing.code, 1);
    t.match(missing.stderr, 'no such stream');
  });
});
