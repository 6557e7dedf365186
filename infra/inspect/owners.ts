import type { Aggregate, DomainEvent } from '../../bus/decider.js';
import { parkedStream } from '../../bus/parking.js';
import { reactionSubscriber } from '../../bus/reactions.js';
import type { ServiceName } from '../services.js';
import { concert } from '../../domains/concert/concert.js';
import { seat } from '../../domains/reservation/seat.js';
import { holdings } from '../../domains/reservation/holdings.js';
import { payment } from '../../domains/payment/payment.js';
import { wallet } from '../../domains/point/wallet.js';
import { ticket } from '../../domains/queue/ticket.js';
import { admissionLine } from '../../domains/queue/admission-line.js';
import { sellout } from '../../domains/ranking/sellout.js';
import { delivery } from '../../domains/dataplatform/delivery.js';
import { concertEventTypes } from '../../domains/concert/events.js';
import { holdingsEventTypes, reservationEventTypes } from '../../domains/reservation/events.js';
import { paymentEventTypes } from '../../domains/payment/events.js';
import { pointEventTypes } from '../../domains/point/events.js';
import { queueEventTypes } from '../../domains/queue/events.js';
import { rankingEventTypes } from '../../domains/ranking/events.js';
import { dataplatformEventTypes } from '../../domains/dataplatform/events.js';

/** An aggregate of any state, command and event type, for tables that mix them (method parameters are bivariant). */
export type AnyAggregate = Aggregate<unknown, unknown, DomainEvent>;

/** Which service owns which stream category, and with which aggregate: the only place the CLI learns it. */
const OWNERS: ReadonlyArray<{ aggregate: AnyAggregate; service: ServiceName }> = [
  { aggregate: concert, service: 'concert' },
  { aggregate: seat, service: 'reservation' },
  { aggregate: holdings, service: 'reservation' },
  { aggregate: payment, service: 'payment' },
  { aggregate: wallet, service: 'point' },
  { aggregate: ticket, service: 'queue' },
  { aggregate: admissionLine, service: 'queue' },
  { aggregate: sellout, service: 'ranking' },
  { aggregate: delivery, service: 'dataplatform' },
];

export const CATEGORIES = OWNERS.map((owner) => owner.aggregate.category);

/** The category of the parked-event streams, `parked-<subscriber>`, which no aggregate owns but tail can follow. */
export const PARKED_CATEGORY = categoryOf(parkedStream(reactionSubscriber('x')));

/** Every category a stream in this store can have. */
export const STREAM_CATEGORIES: readonly string[] = [...CATEGORIES, PARKED_CATEGORY];

/** Every event type any service (or the parking of poison events) appends. */
export const EVENT_TYPES: readonly string[] = [
  ...concertEventTypes,
  ...reservationEventTypes,
  ...holdingsEventTypes,
  ...paymentEventTypes,
  ...pointEventTypes,
  ...queueEventTypes,
  ...rankingEventTypes,
  ...dataplatformEventTypes,
  'EventParked',
  'ParkedEventRedriven',
];

/** A service's name given where a category is meant (`reservation` for `seat`): the category it owns. */
export function categoryOfService(name: string): string | undefined {
  return OWNERS.find((owner) => owner.service === name)?.aggregate.category;
}

/** `seat-s1_7` → `seat`: stream ids are `<category>-<id>`. */
export function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}

export function aggregateOf(streamId: string): AnyAggregate | undefined {
  const category = categoryOf(streamId);
  return OWNERS.find((owner) => owner.aggregate.category === category)?.aggregate;
}

/** The service that wrote a stream; parked events belong to the service whose reaction parked them. */
export function serviceOf(streamId: string): string {
  const category = categoryOf(streamId);
  const owner = OWNERS.find((o) => o.aggregate.category === category);
  if (owner) return owner.service;
  const parkedPrefix = parkedStream(reactionSubscriber(''));
  if (streamId.startsWith(parkedPrefix)) return streamId.slice(parkedPrefix.length);
  return category;
}
