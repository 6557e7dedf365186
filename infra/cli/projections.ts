import { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { Position } from '../eventstore/port.js';
import type { Stores } from '../stores.js';
import type { AnyProjection } from '../../bus/projection.js';
import { allEvents } from '../inspect/all-events.js';
import { projectionCatalogue } from './catalogue.js';
import { definitions } from '../inspect/definitions.js';
import { createOutput, type Output } from './output.js';
import { verifiedRebuild, type VerifiedRebuild } from './verified-rebuild.js';
import { withStores } from './session.js';
import type { Config } from '../config.js';

interface JsonOption {
  json?: boolean;
}

/** Counting stops here: "10000+ events behind" says enough. */
const BEHIND_CAP = 10_000;

async function eventsBehind(stores: Stores, projection: AnyProjection, checkpoint: Position | null): Promise<number> {
  let behind = 0;
  for await (const _ of allEvents(stores.events, { eventTypes: projection.eventTypes }, checkpoint ?? undefined)) {
    if (++behind >= BEHIND_CAP) break;
  }
  return behind;
}

const catalogue = (stores: Stores, config: Config) => projectionCatalogue(definitions(stores, config), config.partition.count);

async function list(out: Output): Promise<void> {
  await withStores(async (stores, config) => {
    const head = (await stores.events.headPosition()) ?? 0n;
    const rows = [];
    for (const projection of catalogue(stores, config)) {
      const checkpoint = await stores.reads.checkpoint(projection.name);
      const behind = await eventsBehind(stores, projection, checkpoint);
      rows.push({ name: projection.name, collection: projection.collection.name, checkpoint, head, lag: head - (checkpoint ?? 0n), behind });
    }
    for (const row of rows) out.record(row);
    if (out.json) return;
    const width = Math.max(...rows.map((r) => r.name.length));
    out.line(out.color.bold(`${'projection'.padEnd(width)}  ${'checkpoint'.padStart(10)}  ${'lag'.padStart(8)}  behind (events)`));
    for (const row of rows) {
      const behind = row.behind === 0 ? out.color.green('up to date') : out.color.yellow(`${row.behind}${row.behind >= BEHIND_CAP ? '+' : ''}`);
      out.line(`${row.name.padEnd(width)}  ${String(row.checkpoint ?? '—').padStart(10)}  ${String(row.lag).padStart(8)}  ${behind}`);
    }
    out.line(out.color.dim(`head ${head}; lag = head − checkpoint (positions), behind = events of its types after the checkpoint`));
  });
}

function report(result: VerifiedRebuild, out: Output): void {
  out.record(result);
  const speed = `${result.events} events in ${(result.ms / 1000).toFixed(2)} s (${result.eventsPerSecond} events/s)`;
  if (result.identical) {
    out.line(`${out.color.bold(result.projection)}: ${speed} — ${out.color.green('IDENTICAL')}`);
    return;
  }
  out.line(`${out.color.bold(result.projection)}: ${speed} — ${out.color.red(`DIFFERENT in ${result.differences.length} documents`)}`);
  for (const { id, kind } of result.differences.slice(0, 50)) out.line(`    ${out.color.red(kind.padEnd(7))} ${id}`);
  if (result.differences.length > 50) out.line(`    …and ${result.differences.length - 50} more`);
}

async function rebuildNamed(name: string, out: Output): Promise<void> {
  await withStores(async (stores, config) => {
    const all = catalogue(stores, config);
    const chosen = name === 'all' ? all : all.filter((p) => p.name === name);
    if (chosen.length === 0) {
      out.note(`no projection named ${name}; there are: all, ${all.map((p) => p.name).join(', ')}`);
      process.exitCode = 1;
      return;
    }
    let differing = 0;
    for (const projection of chosen) {
      const bar = new cliProgress.SingleBar(
        { format: `${projection.name.padEnd(20)} [{bar}] {percentage}% | {events} events | {rate} events/s`, stream: process.stderr, hideCursor: null },
        cliProgress.Presets.shades_classic,
      );
      const started = performance.now();
      bar.start(1_000, 0, { events: 0, rate: 0 });
      let result: VerifiedRebuild;
      try {
        result = await verifiedRebuild(stores, projection, ({ events, position, head }) => {
          const seconds = (performance.now() - started) / 1000;
          bar.update(head > 0n ? Number((position * 1_000n) / head) : 1_000, { events, rate: seconds > 0 ? Math.round(events / seconds) : events });
        });
        bar.update(1_000);
      } finally {
        bar.stop();
      }
      report(result, out);
      if (!result.identical) differing++;
    }
    if (differing > 0) process.exitCode = 1;
  });
}

export function projectionsCommand(): Command {
  const projections = new Command('projections')
    // `rebuild … --json` is rebuild's own --json, not this command's.
    .enablePositionalOptions()
    .description('list every read model with its checkpoint and lag; `projections rebuild` rebuilds and verifies')
    .option('--json', 'one JSON object per projection')
    .action((options: JsonOption) => list(createOutput(options)));
  projections
    .command('rebuild')
    .description('rebuild a read model from position 0 and check it equals the live one (exit 1 if it differs)')
    .argument('<name>', 'a projection name, or all')
    .option('--json', 'one JSON object per projection rebuilt')
    .action((name: string, options: JsonOption) => rebuildNamed(name, createOutput(options)));
  return projections;
}
