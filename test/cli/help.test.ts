import t from 'tap';
import { readdirSync } from 'node:fs';
import { cli } from './cli.js';

const commands = [
  [],
  ['tail'],
  ['trace'],
  ['replay'],
  ['projections'],
  ['projections', 'rebuild'],
  ['dead-letters'],
  ['dead-letters', 'redrive'],
  ['parked'],
  ['parked', 'redrive'],
  ['check'],
  ['seed'],
];

t.test('--help on every subcommand: usage, options, exit 0, and nothing opened', async (t) => {
  const dir = t.testdir();
  const results = await Promise.all(commands.map((command) => cli(dir, [...command, '--help'])));
  commands.forEach((command, i) => {
    const result = results[i]!;
    const name = ['concertctl', ...command].join(' ');
    t.equal(result.code, 0, name);
    t.match(result.stdout, `Usage: ${name} `, name);
    t.match(result.stdout, '--help', name);
  });
  t.same(readdirSync(dir), [], 'help opens no store');
  t.match(results[0]!.stdout, /tail .*trace .*replay .*projections .*dead-letters .*parked .*check .*seed/s, 'the top level lists them all');
});

t.test('an unknown subcommand is a usage error', async (t) => {
  const result = await cli(t.testdir(), ['frobnicate']);
  t.not(result.code, 0);
  t.match(result.stderr, "unknown command 'frobnicate'");
});
