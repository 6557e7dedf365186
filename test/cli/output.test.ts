import t from 'tap';
import { colorWanted, toJson } from '../../infra/cli/output.js';
import { summarize } from '../../infra/cli/describe.js';
import { cli, jsonLines } from './cli.js';
import { openTestStores } from '../support/stores.js';

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;
const ESC = /\u001b\[/;

t.test('colour only on a terminal, never under NO_COLOR', async (t) => {
  t.equal(colorWanted(tty, {}), true);
  t.equal(colorWanted(pipe, {}), false, 'piped: plain');
  t.equal(colorWanted(tty, { NO_COLOR: '1' }), false);
  t.equal(colorWanted(tty, { NO_COLOR: '' }), true, 'an empty NO_COLOR does not count (no-color.org)');
  t.equal(colorWanted(pipe, { FORCE_COLOR: '1' }), true);
  t.equal(colorWanted(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }), false, 'NO_COLOR wins');
  t.equal(colorWanted(tty, { TERM: 'dumb' }), false);
});

t.test('JSON lines: bigints as strings, Sets as arrays, Maps as objects', async (t) => {
  t.equal(toJson({ position: 12n, seen: new Set(['a']), by: new Map([['k', 1]]) }), '{"position":"12","seen":["a"],"by":{"k":1}}');
});

t.test('one-line summaries: scalars as key=value, nested values shrunk, long lines cut', async (t) => {
  t.equal(summarize({ userId: 'ana', amount: 5, note: 'two words', payload: { a: 1 }, list: [1, 2], none: null }), 'userId=ana amount=5 note="two words" payload={…} list=[2] none=null');
  t.equal(summarize({ text: 'x'.repeat(50) }, 20), `text=${'x'.repeat(14)}…`);
  t.equal(summarize({ paymentId: 'p', seatNo: 3 }, 100, ['paymentId']), 'seatNo=3');
});

t.test('the real process: colours when forced, none under NO_COLOR, none ever in --json', async (t) => {
  const { dir, events: store } = await openTestStores(t);
  await store.append('points-ana', [{ type: 'PointsCharged', data: { userId: 'ana', amount: 5 } }]);
  const forced = await cli(dir, ['tail', '--from', 'start', '--limit', '1'], { NO_COLOR: '', FORCE_COLOR: '1' });
  t.match(forced.stdout, ESC, 'coloured when asked');
  const plain = await cli(dir, ['tail', '--from', 'start', '--limit', '1'], { FORCE_COLOR: '1' });
  t.notMatch(plain.stdout, ESC, 'NO_COLOR (set by the test runner helper) wins');
  t.match(plain.stdout, /points-ana@0  PointsCharged/);
  const json = await cli(dir, ['tail', '--from', 'start', '--limit', '1', '--json'], { NO_COLOR: '', FORCE_COLOR: '1' });
  t.notMatch(json.stdout, ESC);
  t.match(jsonLines(json.stdout), [{ position: '1', streamId: 'points-ana', type: 'PointsCharged' }]);
});
