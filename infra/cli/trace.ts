import { Command, Option } from 'commander';
import { createOutput, type Output } from './output.js';
import { eventRecord, summarize, typeColor, streamAt } from './describe.js';
import { serviceOf } from '../inspect/owners.js';
import { buildTrace, collectTrace, REF_FIELDS, rootCause, walk, type SagaTrace, type TraceNode } from '../inspect/saga-trace.js';
import { mermaidSequence } from './mermaid.js';
import { withStores } from './session.js';

interface TraceOptions {
  format: 'text' | 'mermaid';
  json?: boolean;
}

function headline(trace: SagaTrace, out: Output): string {
  const { outcome } = trace;
  const paint = outcome.status === 'COMPLETED' ? out.color.green : outcome.status === 'FAILED' ? out.color.red : out.color.yellow;
  const status = paint(outcome.status + (outcome.reason ? ` (${outcome.reason})` : ''));
  return `${out.color.bold(trace.id)}: ${status}${outcome.at ? ` at ${outcome.at}` : ''} — ${trace.nodes.length} events over ${trace.durationMs} ms`;
}

function who(trace: SagaTrace): string {
  const { ref } = trace;
  const parts = REF_FIELDS.filter((field) => ref[field] !== undefined).map((field) => `${field}=${ref[field]}`);
  return parts.join(' ');
}

/** `├─`/`└─` branches, so each event sits under the event that caused it. */
function printTree(nodes: readonly TraceNode[], out: Output, indent = ''): void {
  nodes.forEach((node, i) => {
    const last = i === nodes.length - 1;
    const { event } = node;
    const cause = node.viaTimer ? out.color.magenta('[timer] ') : node.parent ? '' : out.color.magenta(`[${rootCause(event)}] `);
    out.line(
      [
        `${out.color.dim(indent + (last ? '└─ ' : '├─ '))}${cause}${typeColor(event.type, out.color)(event.type)}`,
        out.color.blue(serviceOf(event.streamId)),
        out.color.cyan(streamAt(event)),
        out.color.dim(`#${event.position}`),
        out.color.dim(`+${node.sinceMs}ms`),
        // The saga's reference is in the headline; each line shows what is new.
        summarize(event.data, 100, REF_FIELDS),
      ].join('  '),
    );
    printTree(node.children, out, indent + (last ? '   ' : '│  '));
  });
}

export function traceCommand(): Command {
  return new Command('trace')
    .description('every event of one payment (or correlation) across all streams, as a causation tree, and how it ended')
    .argument('<id>', 'a paymentId, a reservationId or any correlationId')
    .addOption(new Option('--format <format>', 'text: a causation tree; mermaid: a sequenceDiagram').choices(['text', 'mermaid']).default('text'))
    .option('--json', 'one JSON object per event per line, then the outcome')
    .action(async (id: string, options: TraceOptions) => {
      const out = createOutput(options);
      await withStores(async ({ events: store }) => {
        const trace = buildTrace(id, await collectTrace(store, id));
        if (trace.nodes.length === 0) {
          out.note(`no events for ${id}: not a paymentId, reservationId or correlationId in this store`);
          process.exitCode = 1;
          return;
        }
        if (out.json) {
          for (const node of walk(trace.roots)) {
            out.record({
              ...eventRecord(node.event),
              service: serviceOf(node.event.streamId),
              causedBy: node.parent?.event.id ?? rootCause(node.event),
              viaTimer: node.viaTimer,
              depth: node.depth,
              sinceMs: node.sinceMs,
            });
          }
          out.record({ id: trace.id, ref: trace.ref, outcome: trace.outcome, events: trace.nodes.length, durationMs: trace.durationMs });
          return;
        }
        if (options.format === 'mermaid') {
          out.line(mermaidSequence(trace));
          return;
        }
        out.line(headline(trace, out));
        out.line(out.color.dim(who(trace)));
        if (trace.outcome.compensations.length > 0) out.line(`compensated by: ${out.color.yellow(trace.outcome.compensations.join(', '))}`);
        if (trace.outcome.delivery) out.line(`delivery: ${trace.outcome.delivery}`);
        out.line();
        printTree(trace.roots, out);
      });
    });
}
