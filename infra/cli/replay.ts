import { Command } from 'commander';
import { CATEGORIES } from '../inspect/owners.js';
import { foldStream, NothingToFold, type FoldedStream } from '../inspect/fold.js';
import { revision, time } from './options.js';
import { createOutput, toJson } from './output.js';
import { summarize, typeColor } from './describe.js';
import { withStores } from './session.js';

interface ReplayOptions {
  toRevision?: number;
  toTime?: Date;
  steps?: boolean;
  json?: boolean;
}

export function replayCommand(): Command {
  return new Command('replay')
    .description("fold one stream with its service's aggregate and show the state, at the end or at a revision or time")
    .argument('<stream>', `a stream id, e.g. payment-<paymentId>, seat-<scheduleId>_<seatNo> (categories: ${CATEGORIES.join(', ')})`)
    .option('--to-revision <n>', 'stop after this revision (inclusive)', revision)
    .option('--to-time <time>', 'stop after the last event recorded at or before this time', time)
    .option('--steps', 'show every event and the state after it')
    .option('--json', 'one JSON object per line: each step with --steps, then the final state')
    .action(async (streamId: string, options: ReplayOptions) => {
      const out = createOutput(options);
      await withStores(async ({ events: store }) => {
        let folded: FoldedStream;
        try {
          folded = await foldStream(store, streamId, options);
        } catch (error) {
          if (!(error instanceof NothingToFold)) throw error;
          out.note(error.message);
          process.exitCode = 1;
          return;
        }
        const { events: recorded, state } = folded;
        const upTo = folded.steps.map((step) => step.event);
        if (options.steps) {
          for (const { event, state: after } of folded.steps) {
            out.record({ revision: event.revision, position: event.position, type: event.type, created: event.created.toISOString(), data: event.data, state: after });
            out.line(
              `${out.color.cyan(`@${event.revision}`)}  ${typeColor(event.type, out.color)(event.type)}  ${out.color.dim(event.created.toISOString())}  ${summarize(event.data)}`,
            );
            out.line(indent(toJson(after, 2)));
          }
        }
        const last = upTo.at(-1);
        const head = recorded.at(-1)!;
        out.record({ streamId, revision: last?.revision ?? -1, of: head.revision, at: last?.created.toISOString() ?? null, state });
        if (!out.json) {
          const where = last ? `revision ${last.revision} of ${head.revision} (${last.created.toISOString()})` : `before revision 0 (of ${head.revision})`;
          out.line(`${out.color.bold(streamId)} at ${where}:`);
          out.line(toJson(state, 2));
        }
      });
    });
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
