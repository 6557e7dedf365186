import { Command } from 'commander';
import { readParked, redriveParked } from '../inspect/parked.js';
import { createOutput, type Output } from './output.js';
import { withStores } from './session.js';

async function list(out: Output): Promise<void> {
  await withStores(async ({ events: store }) => {
    const entries = await readParked(store);
    for (const entry of entries) {
      out.record(entry);
      const { parked } = entry;
      out.line(
        `${out.color.red('PARKED')}  ${out.color.bold(parked.eventId)}  ${out.color.blue(entry.service)}  ${parked.handler}  ` +
          `${out.color.dim(`${parked.eventType} ${parked.streamId} #${parked.position}, ${parked.attempts} attempts, ${parked.parkedAt}`)}`,
      );
      out.line(`      error: ${parked.error}`);
      if (entry.lastRedrive) out.line(`      redrive at ${entry.lastRedrive.redrivenAt} failed too: ${entry.lastRedrive.error ?? ''}`);
    }
    out.line(entries.length === 0 ? out.color.green('no parked events') : `${entries.length} parked; redrive with: parked redrive <eventId> | --all`);
  });
}

async function redrive(eventId: string | undefined, options: { all?: boolean }, out: Output): Promise<void> {
  if ((eventId === undefined) === !options.all) {
    out.note('name one eventId, or --all');
    process.exitCode = 2;
    return;
  }
  await withStores(async (stores, config) => {
    const entries = (await readParked(stores.events)).filter((entry) => options.all || entry.parked.eventId === eventId);
    if (eventId !== undefined && entries.length === 0) {
      out.note(`no parked event ${eventId} (already redriven, or never parked)`);
      process.exitCode = 1;
      return;
    }
    for (const entry of entries) {
      const result = await redriveParked(stores, config, entry, new Date());
      out.record(result);
      if (result.outcome === 'handled') out.line(`${out.color.green('handled')} ${result.eventId} by ${result.handler}`);
      else {
        out.line(`${out.color.red('failed')}  ${result.eventId} by ${result.handler}: ${result.error}`);
        process.exitCode = 1;
      }
    }
    if (entries.length === 0) out.line('no parked events to redrive');
  });
}

export function parkedCommand(): Command {
  const command = new Command('parked')
    // `redrive … --json` is redrive's own --json, not this command's.
    .enablePositionalOptions()
    .description('list events a reaction gave up on (parked), minus those redriven; `parked redrive` runs the reaction again')
    .option('--json', 'one JSON object per parked event')
    .action((options: { json?: boolean }) => list(createOutput(options)));
  command
    .command('redrive')
    .description('run the reaction that parked an event on that event again, as its service would, and record the outcome')
    .argument('[eventId]', 'the id of the parked (original) event')
    .option('--all', 'every parked event')
    .option('--json', 'one JSON object per redrive')
    .action((eventId: string | undefined, options: { all?: boolean; json?: boolean }) => redrive(eventId, options, createOutput(options)));
  return command;
}
