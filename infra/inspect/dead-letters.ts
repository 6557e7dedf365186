import type { EventStore, Position } from '../eventstore/port.js';
import { handleCommand } from '../../bus/command.js';
import { delivery, deliveryStream, type Delivery, type DeliveryState } from '../../domains/dataplatform/delivery.js';
import type { DeliveryEvent } from '../../domains/dataplatform/events.js';
import { allEvents } from './all-events.js';

/**
 * Deliveries the data platform refused for good. Read from the delivery
 * streams themselves rather than a read model, so the list is right even when
 * no API process is running to keep a model current.
 */

export interface DeadLetter extends Delivery {
  deadLetteredAt: string;
}

export async function deadLetters(store: EventStore): Promise<DeadLetter[]> {
  const states = new Map<string, { state: DeliveryState; deadLetteredAt: string | null }>();
  for await (const event of allEvents(store, { streamPrefixes: [`${delivery.category}-`] })) {
    const entry = states.get(event.streamId) ?? { state: delivery.initialState(), deadLetteredAt: null };
    entry.state = delivery.evolve(entry.state, { type: event.type, data: event.data } as DeliveryEvent);
    if (event.type === 'DeliveryDeadLettered') entry.deadLetteredAt = (event.data as { deadLetteredAt: string }).deadLetteredAt;
    states.set(event.streamId, entry);
  }
  return [...states.values()].flatMap(({ state, deadLetteredAt }) =>
    state.delivery?.status === 'DEAD_LETTERED' ? [{ ...state.delivery, deadLetteredAt: deadLetteredAt ?? '' }] : [],
  );
}

export interface DeliveryRedrive {
  paymentId: string;
  /** Null when nothing was appended (never, for a redrive the decider accepts). */
  position: Position | null;
  dueAt: string;
}

/**
 * Takes one dead letter back for a fresh round of attempts, due now; the
 * running dataplatform service sends it. The decider refuses anything not
 * dead-lettered, so a second redrive is a clear error, not a second round.
 * `by` says who asked, in the event's metadata.
 */
export async function redriveDelivery(store: EventStore, paymentId: string, now: Date, by: string): Promise<DeliveryRedrive> {
  const dueAt = now.toISOString();
  const result = await handleCommand(store, delivery, deliveryStream(paymentId), { type: 'Redrive', data: { now: dueAt } }, {
    metadata: { correlationId: paymentId, by },
  });
  return { paymentId, position: result.position, dueAt };
}
