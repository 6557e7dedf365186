import { Command } from 'commander';
import { checkInvariants } from '../invariants.js';
import { milliseconds } from './options.js';
import { replayCheck } from './replay-check.js';
import { definitions } from '../inspect/definitions.js';
import { createOutput } from './output.js';
import { withStores } from './session.js';

interface CheckOptions {
  graceMs: number;
  replay?: boolean;
  json?: boolean;
}

export function checkCommand(): Command {
  return new Command('check')
    .description("check the design's invariants over everything in the event store, at the current time; exits 1 if any fails")
    .option('--grace-ms <ms>', 'how long past its deadline a payment may still be PENDING', milliseconds, 5_000)
    .option('--replay', 'also invariant 6: every read model from position 0 equals the live one, and rerunning every reaction appends nothing (reads only; slower)')
    .option('--json', 'one JSON object per invariant')
    .action(async (options: CheckOptions) => {
      const out = createOutput(options);
      await withStores(async (stores, config) => {
        const results = await checkInvariants(stores.events, {
          now: new Date(),
          graceMs: options.graceMs,
          maxSeatsPerUser: config.maxSeatsPerUser,
          replay: options.replay ? () => replayCheck(stores, definitions(stores, config), config.partition.count) : undefined,
        });
        for (const result of results) {
          out.record(result);
          const counts = Object.entries(result.counts)
            .map(([name, n]) => `${name}=${n}`)
            .join(' ');
          const verdict = result.ok ? out.color.green('PASS') : out.color.red('FAIL');
          out.line(`${verdict}  ${result.id}. ${result.name}  ${out.color.dim(counts)}`);
          for (const violation of result.violations) out.line(`        ${out.color.red('✗')} ${violation}`);
        }
        const failed = results.filter((r) => !r.ok).length;
        out.line(failed === 0 ? out.color.green(`all ${results.length} invariants hold`) : out.color.red(`${failed} of ${results.length} invariants fail`));
        if (failed > 0) process.exitCode = 1;
      });
    });
}
