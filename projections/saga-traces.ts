import type { Metadata, RecordedEvent } from '../infra/eventstore/port.js';
import type { Doc } from '../infra/readstore/port.js';
import type { Projection } from '../bus/projection.js';
import { paymentIdFor } from '../domains/payment/payment.js';

/** One event of a saga, as the trace shows it: where it is, what it is, and what caused it. */
export interface TraceEntry {
  /** The global position, as a string: positions are bigints. */
  position: string;
  eventId: string;
  streamId: string;
  revision: number;
  type: string;
  created: string;
  causationId: string | null;
  /** What happened (a failure's reason among it): the event's own data. */
  data: unknown;
  /** Correlation, causation and, for a timer's event, which firing it was. */
  metadata: Metadata;
}

export interface SagaTraceDoc extends Doc {
  paymentId: string;
  /** False while the trace holds only the hold that may become a payment. */
  requested: boolean;
  events: TraceEntry[];
}

/** The hold comes before its payment; the payment id is derived from the reservation, so the hold is filed under it. */
const HOLD_TYPES = ['SeatHeld', 'SeatHoldExpired', 'SeatHoldReleased', 'SeatHoldVoided'];

/** Events that carry the saga reference (or, for the last two, inherit its correlation id). */
const SAGA_TYPES = [
  'PaymentRequested',
  'SeatReserved',
  'SeatReservationRejected',
  'PointsDebited',
  'DebitFailed',
  'PaymentCompleted',
  'PaymentFailed',
  'SeatReleased',
  'SeatReservationVoided',
  'PointsRefunded',
  'DebitVoided',
  'RefundRequested',
  'PaymentRefunded',
  'SeatSaleCounted',
  'DeliveryScheduled',
  'DeliveryAttemptFailed',
  'DeliverySucceeded',
  'DeliveryDeadLettered',
  'DeliveryRedriven',
  'CancellationDeferred',
];

/** No paymentId in their data: they belong to the saga whose event caused them (the bus copies its correlation id). */
const CORRELATED_TYPES = ['QueueTokenExpired', 'ScheduleSoldOut'];

function paymentOf(event: RecordedEvent): string | null {
  const data = event.data as { paymentId?: unknown; reservationId?: unknown; reason?: unknown };
  if (HOLD_TYPES.includes(event.type)) return typeof data.reservationId === 'string' ? paymentIdFor(data.reservationId) : null;
  if (CORRELATED_TYPES.includes(event.type)) {
    // A token that ran out of time, or a sell-out decided at opening, is no payment's doing.
    if (event.type === 'QueueTokenExpired' && data.reason !== 'PAYMENT_COMPLETED') return null;
    const correlationId = event.metadata.correlationId;
    return typeof correlationId === 'string' ? correlationId : null;
  }
  return typeof data.paymentId === 'string' ? data.paymentId : null;
}

function entryOf(event: RecordedEvent): TraceEntry {
  const causationId = event.metadata.causationId;
  return {
    position: event.position.toString(),
    eventId: event.id,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    created: event.created.toISOString(),
    causationId: typeof causationId === 'string' ? causationId : null,
    data: event.data,
    metadata: event.metadata,
  };
}

/**
 * Every event of one payment's saga across all streams, in global order: the
 * `trace` view behind GET /payments/:id/events. Events that name no saga
 * already traced (a correlation id that is not a payment) are left out.
 */
export const sagaTraces: Projection<SagaTraceDoc> = {
  name: 'saga-traces',
  collection: { name: 'saga_traces' },
  eventTypes: [...HOLD_TYPES, ...SAGA_TYPES, ...CORRELATED_TYPES],
  ids: (event) => {
    const paymentId = paymentOf(event);
    return paymentId === null ? [] : [paymentId];
  },
  evolve(doc, event, id) {
    const opens = event.type === 'SeatHeld' || event.type === 'PaymentRequested';
    if (!doc && !opens) return null;
    const current = doc ?? { id, paymentId: id, requested: false, events: [] };
    const entry = entryOf(event);
    if (current.events.some((e) => e.eventId === entry.eventId)) return current;
    return { ...current, requested: current.requested || event.type === 'PaymentRequested', events: [...current.events, entry] };
  },
};
