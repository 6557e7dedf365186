import { serviceOf } from '../inspect/owners.js';
import { rootCause, walk, type SagaTrace, type TraceNode } from '../inspect/saga-trace.js';

/**
 * A saga as a Mermaid sequence diagram: services are participants, and each
 * event is a message from the service whose event caused it to the service
 * that recorded it. Requests come from `client`; timers are a service
 * messaging itself.
 */

/** Mermaid reads `;` and `#` as syntax in message text. */
/** The events after which the trace's outcome note belongs: the payment's ending, or its refund's. */
const SETTLING = ['PaymentCompleted', 'PaymentFailed', 'RefundRequested', 'PaymentRefunded'];

const safe = (text: string) => text.replace(/[;#]/g, ' ');

function label(node: TraceNode): string {
  const { reason } = node.event.data as { reason?: unknown };
  const because = typeof reason === 'string' ? ` (${reason})` : '';
  const timer = node.viaTimer ? ' [timer]' : '';
  const after = node.sinceMs > 0 ? ` +${node.sinceMs}ms` : '';
  return safe(`${node.event.type}${because}${timer}${after}`);
}

function sender(node: TraceNode): string {
  // A timer is the service talking to itself, whichever event set it.
  if (node.viaTimer) return serviceOf(node.event.streamId);
  if (node.parent) return serviceOf(node.parent.event.streamId);
  return rootCause(node.event) === 'request' ? 'client' : serviceOf(node.event.streamId);
}

export function mermaidSequence(trace: SagaTrace): string {
  // Global order, not tree order: the diagram's time runs downwards.
  const nodes = [...walk(trace.roots)].sort((a, b) => (a.event.position < b.event.position ? -1 : a.event.position > b.event.position ? 1 : 0));
  const participants: string[] = [];
  const meet = (name: string) => {
    if (!participants.includes(name)) participants.push(name);
  };
  const messages = nodes.map((node) => {
    const from = sender(node);
    const to = serviceOf(node.event.streamId);
    meet(from);
    meet(to);
    return `    ${from}->>${to}: ${label(node)}`;
  });
  const { outcome } = trace;
  const settledBy = nodes.findLast((n) => SETTLING.includes(n.event.type));
  const notes =
    settledBy === undefined
      ? []
      : [`    Note over ${serviceOf(settledBy.event.streamId)}: ${safe(outcome.status + (outcome.reason ? `: ${outcome.reason}` : ''))}`];
  return ['sequenceDiagram', ...participants.map((p) => `    participant ${p}`), ...messages, ...notes].join('\n');
}
