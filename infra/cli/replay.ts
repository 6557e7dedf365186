import { Command } from 'commander';
import { fold, type DomainEvent } from '../../bus/decider.js';
import { isStreamNotFound } from '../eventstore/errors.js';
import type { RecordedEvent } from '../eventstore/port.js';
import { aggregateOf, CATEGORIES } from './owners.js';
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

const asDomain = (event: RecordedEvent): DomainEvent => ({ type: event.type, data: event.data });

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
      const aggregate = aggregateOf(streamId);
      if (!aggregate) {
        out.note(`${streamId}: no aggregate owns this stream; known categories: ${CATEGORIES.join(', ')}`);
        process.exitCode = 1;
        return;
      }
      await withStores(async ({ events: store }) => {
        let recorded: RecordedEvent[];
        try {
          recorded = await store.readStream(streamId);
        } catch (error) {
          if (!isStreamNotFound(error)) throw error;
          out.note(`${streamId}: no such stream`);
          process.exitCode = 1;
          return;
        }
        const upTo = recorded.filter(
          (event) =>
            (options.toRevision === undefined || event.revision <= options.toRevision) &&
            (options.toTime === undefined || event.created.getTime() <= options.toTime.getTime()),
        );
        let state = aggregate.initialState();
        for (const event of upTo) {
          state = fold(aggregate, [asDomain(event)], state);
          if (!options.steps) continue;
          out.record({ revision: event.revision, position: event.position, type: event.type, created: event.created.toISOString(), data: event.data, state });
          out.line(
            `${out.color.cyan(`@${event.revision}`)}  ${typeColor(event.type, out.color)(event.type)}  ${out.color.dim(event.created.toISOString())}  ${summarize(event.data)}`,
          );
          out.line(indent(toJson(state, 2)));
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
