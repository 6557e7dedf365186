import type { EventStore, Position, RecordedEvent } from '../eventstore/port.js';
import { isStreamNotFound } from '../eventstore/errors.js';
import { paymentIdFor, paymentStream } from '../../domains/payment/payment.js';

/**
 * One saga as a causation tree: every event of a correlation, in global
 * order, each under the event that caused it. For a payment the hold that
 * preceded it is included (its correlation is the reservation id, from which
 * the payment id is derived), so the trace starts where the user started.
 */

export interface TraceNode {
  event: RecordedEvent;
  /** The causing event, when it is part of the trace. */
  parent: TraceNode | undefined;
  children: TraceNode[];
  /** Since the parent, or since the previous root for a root. */
  sinceMs: number;
  depth: number;
  /**
   * Fired by a timer. Its causation is the event that set the timer, so it
   * hangs under that event; events fired before timers kept their cause name
   * only the timer, and hang under the previous event of their own stream.
   */
  viaTimer: boolean;
}

export interface SagaOutcome {
  /** REFUNDING from a completed payment's RefundRequested until its PaymentRefunded; the reason then says who cancelled. */
  status: 'COMPLETED' | 'FAILED' | 'PENDING' | 'REFUNDING' | 'REFUNDED' | 'UNKNOWN';
  reason?: string;
  at?: string;
  /**
   * The events that undid a step the saga had taken: a release of a seat it
   * had reserved, a refund of points it had debited. A voided debit undoes
   * nothing (it stops a debit that never happened), so it is not one.
   */
  compensations: string[];
  delivery?: string;
}

/** Who, what and how much: said once in the headline rather than on every line. */
export type SagaRef = Record<'reservationId' | 'paymentId' | 'userId' | 'concertId' | 'scheduleId' | 'seatNo' | 'amount', string | number>;

export const REF_FIELDS = ['paymentId', 'reservationId', 'userId', 'concertId', 'scheduleId', 'seatNo', 'amount'] as const;

export interface SagaTrace {
  id: string;
  ref: Partial<SagaRef>;
  nodes: TraceNode[];
  roots: TraceNode[];
  outcome: SagaOutcome;
  durationMs: number;
}

/** A compensation and the effect it undoes: it is labelled one only when that effect is in the saga. */
const COMPENSATES: Readonly<Record<string, string>> = {
  SeatReleased: 'SeatReserved',
  PointsRefunded: 'PointsDebited',
  // A several-seat hold given up halfway (a seat lost to a concurrent hold).
  SeatHoldReleased: 'SeatHeld',
};

/** Fired by a timer: it says which firing (`timerId`), or, written before that, its causation names the timer. */
export function firedByTimer(event: RecordedEvent): boolean {
  return typeof event.metadata.timerId === 'string' || (event.metadata.causationId?.startsWith('timer:') ?? false);
}

/** What started a root: a timer, a request from outside, or an event outside the trace. */
export function rootCause(event: RecordedEvent): 'timer' | 'request' | 'elsewhere' {
  if (firedByTimer(event)) return 'timer';
  return event.metadata.causationId === undefined ? 'request' : 'elsewhere';
}

/**
 * The saga's events, read by correlation rather than by scanning $all: the
 * correlations of the id and of the payment it names, the payment's stream,
 * and, traced by a payment id, its reservation's correlation (a hold is
 * correlated by its reservation id, see hold-seat.ts; the payment's events
 * name that reservation). Then `pick` keeps from those what the trace has
 * always kept, so the answer is the same as a scan's.
 */
export async function collectTrace(store: EventStore, id: string): Promise<RecordedEvent[]> {
  // A reservation id names its payment too: tracing either gives the whole story.
  const correlations = new Set([id, paymentIdFor(id)]);
  const streams = new Set([...correlations].map(paymentStream));
  const found = new Map<Position, RecordedEvent>();
  const gather = (events: readonly RecordedEvent[]) => events.forEach((event) => found.set(event.position, event));
  // The id itself first: on EventStoreDB, finding its stream tells that the correlation projection runs.
  for (const correlation of correlations) gather(await store.readCorrelation(correlation));
  for (const stream of streams) gather(await readStreamIfAny(store, stream));
  const reservations = new Set<string>();
  for (const event of found.values()) {
    const { reservationId } = event.data as { reservationId?: unknown };
    if (typeof reservationId === 'string' && !correlations.has(reservationId) && correlations.has(paymentIdFor(reservationId))) {
      reservations.add(reservationId);
    }
  }
  for (const reservation of reservations) gather(await store.readCorrelation(reservation));
  return pick([...found.values()].sort((a, b) => (a.position < b.position ? -1 : 1)), correlations, streams);
}

async function readStreamIfAny(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(streamId);
  } catch (error) {
    if (isStreamNotFound(error)) return [];
    throw error;
  }
}

/**
 * In global order, the correlations' events and the payment streams'; a
 * reservation's correlation joins from its hold on, when that hold is the
 * hold of a traced payment.
 */
function pick(events: readonly RecordedEvent[], traced: ReadonlySet<string>, streams: ReadonlySet<string>): RecordedEvent[] {
  const correlations = new Set(traced);
  const picked: RecordedEvent[] = [];
  for (const event of events) {
    const correlation = event.metadata.correlationId;
    if (event.type === 'SeatHeld') {
      const { reservationId } = event.data as { reservationId?: string };
      if (reservationId && correlations.has(paymentIdFor(reservationId))) correlations.add(reservationId);
    }
    if ((correlation !== undefined && correlations.has(correlation)) || streams.has(event.streamId)) {
      picked.push(event);
    }
  }
  return picked;
}

function outcomeOf(events: readonly RecordedEvent[]): SagaOutcome {
  const outcome: SagaOutcome = { status: 'UNKNOWN', compensations: [] };
  const happened = new Set<string>();
  for (const event of events) {
    happened.add(event.type);
    const data = event.data as { reason?: string; completedAt?: string; failedAt?: string; refundRequestedAt?: string; refundedAt?: string; error?: string };
    if (event.type === 'PaymentRequested' && outcome.status === 'UNKNOWN') outcome.status = 'PENDING';
    if (event.type === 'PaymentCompleted') Object.assign(outcome, { status: 'COMPLETED', at: data.completedAt });
    if (event.type === 'PaymentFailed') Object.assign(outcome, { status: 'FAILED', reason: data.reason, at: data.failedAt });
    if (event.type === 'RefundRequested') Object.assign(outcome, { status: 'REFUNDING', reason: data.reason, at: data.refundRequestedAt });
    if (event.type === 'PaymentRefunded') Object.assign(outcome, { status: 'REFUNDED', reason: data.reason, at: data.refundedAt });
    const undoes = COMPENSATES[event.type];
    if (undoes !== undefined && happened.has(undoes)) outcome.compensations.push(event.type);
    // The reservation's delivery: a cancellation's delivery events (kind 'cancellation') are not its.
    if ((event.data as { kind?: string }).kind === undefined) {
      if (event.type === 'DeliveryScheduled' || event.type === 'DeliveryRedriven') outcome.delivery = 'PENDING';
      if (event.type === 'DeliverySucceeded') outcome.delivery = 'SUCCEEDED';
      if (event.type === 'DeliveryDeadLettered') outcome.delivery = `DEAD_LETTERED (${data.error ?? 'no error recorded'})`;
    }
  }
  return outcome;
}

function refOf(events: readonly RecordedEvent[]): Partial<SagaRef> {
  const ref: Partial<SagaRef> = {};
  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    for (const field of REF_FIELDS) {
      const value = data[field];
      if (ref[field] === undefined && (typeof value === 'string' || typeof value === 'number')) ref[field] = value;
    }
  }
  return ref;
}

export function buildTrace(id: string, events: readonly RecordedEvent[]): SagaTrace {
  const byId = new Map<string, TraceNode>();
  const nodes: TraceNode[] = [];
  const roots: TraceNode[] = [];
  const lastOfStream = new Map<string, TraceNode>();
  let previousRoot: TraceNode | undefined;
  for (const event of events) {
    const viaTimer = firedByTimer(event);
    // A timer's cause is an event id now; before, it named the timer, and the stream's previous event had set it.
    const parent = byId.get(event.metadata.causationId ?? '') ?? (viaTimer ? lastOfStream.get(event.streamId) : undefined);
    const since = parent ?? previousRoot;
    const node: TraceNode = {
      event,
      parent,
      children: [],
      sinceMs: since ? event.created.getTime() - since.event.created.getTime() : 0,
      depth: parent ? parent.depth + 1 : 0,
      viaTimer,
    };
    if (parent) parent.children.push(node);
    else {
      roots.push(node);
      previousRoot = node;
    }
    byId.set(event.id, node);
    lastOfStream.set(event.streamId, node);
    nodes.push(node);
  }
  const first = events[0]?.created.getTime() ?? 0;
  const last = events.at(-1)?.created.getTime() ?? 0;
  return { id, ref: refOf(events), nodes, roots, outcome: outcomeOf(events), durationMs: last - first };
}

/** Depth first, children in global order: the order a tree is printed in. */
export function* walk(nodes: readonly TraceNode[]): Generator<TraceNode> {
  for (const node of nodes) {
    yield node;
    yield* walk(node.children);
  }
}
