import type { EventStore } from '../eventstore/port.js';
import type { Collection, ReadStore } from '../readstore/port.js';
import type { Config } from '../config.js';
import type { Clock } from '../clock.js';
import type { Log } from '../log.js';
import {
  balances,
  concerts,
  deliveries,
  payments,
  queueTokens,
  reservations,
  sagaTraces,
  schedules,
  seats,
  soldOutRanking,
  pointHistory,
  userReservations,
} from '../../projections/index.js';
import type { BalanceDoc } from '../../projections/balances.js';
import type { ConcertDoc } from '../../projections/concerts.js';
import type { DeliveryDoc } from '../../projections/deliveries.js';
import type { PaymentDoc } from '../../projections/payments.js';
import type { QueueTokenDoc } from '../../projections/queue-tokens.js';
import type { ReservationDoc } from '../../projections/reservations.js';
import type { SagaTraceDoc } from '../../projections/saga-traces.js';
import type { ScheduleDoc } from '../../projections/schedules.js';
import type { SeatDoc } from '../../projections/seats.js';
import type { SoldOutDoc } from '../../projections/sold-out-ranking.js';
import type { PointMovementDoc } from '../../projections/point-history.js';
import type { UserReservationDoc } from '../../projections/user-reservations.js';
import { Consistency } from './consistency.js';
import { Identity } from './identity.js';
import { Idempotency, idempotencyCollection, type IdempotencyDoc } from './idempotency.js';
import type { Metrics } from './metrics.js';
import type { ReadSide } from './read-side.js';

/** The read models' collections, opened once. */
export interface Views {
  concerts: Collection<ConcertDoc>;
  schedules: Collection<ScheduleDoc>;
  seats: Collection<SeatDoc>;
  reservations: Collection<ReservationDoc>;
  payments: Collection<PaymentDoc>;
  balances: Collection<BalanceDoc>;
  soldOut: Collection<SoldOutDoc>;
  deliveries: Collection<DeliveryDoc>;
  traces: Collection<SagaTraceDoc>;
  queueTokens: Collection<QueueTokenDoc>;
  pointHistory: Collection<PointMovementDoc>;
  userReservations: Collection<UserReservationDoc>;
}

/** What every route plugin is built from. */
export interface ApiContext {
  config: Config;
  /** Required to sign and check queue tokens. */
  queueSecret: string;
  store: EventStore;
  reads: ReadStore;
  clock: Clock;
  readSide: ReadSide;
  metrics: Metrics;
  views: Views;
  consistency: Consistency;
  idempotency: Idempotency;
  /** Who the caller is on routes that name a user (USER_JWT_SECRET / USER_JWKS_URL), or nobody checks (the demo). */
  identity: Identity;
  log: Log;
  /** Aborted when the server starts closing: long polls answer at once instead of holding the shutdown. */
  closing: AbortSignal;
}

export async function openViews(reads: ReadStore): Promise<Views> {
  return {
    concerts: await reads.collection<ConcertDoc>(concerts.collection),
    schedules: await reads.collection<ScheduleDoc>(schedules.collection),
    seats: await reads.collection<SeatDoc>(seats.collection),
    reservations: await reads.collection<ReservationDoc>(reservations.collection),
    payments: await reads.collection<PaymentDoc>(payments.collection),
    balances: await reads.collection<BalanceDoc>(balances.collection),
    soldOut: await reads.collection<SoldOutDoc>(soldOutRanking.collection),
    deliveries: await reads.collection<DeliveryDoc>(deliveries.collection),
    traces: await reads.collection<SagaTraceDoc>(sagaTraces.collection),
    queueTokens: await reads.collection<QueueTokenDoc>(queueTokens.collection),
    pointHistory: await reads.collection<PointMovementDoc>(pointHistory.collection),
    userReservations: await reads.collection<UserReservationDoc>(userReservations.collection),
  };
}

export async function apiContext(deps: Omit<ApiContext, 'views' | 'consistency' | 'idempotency' | 'identity'>): Promise<ApiContext> {
  return {
    ...deps,
    views: await openViews(deps.reads),
    consistency: new Consistency(deps.store, deps.readSide, deps.config.readYourWritesMs, deps.log),
    idempotency: new Idempotency(await deps.reads.collection<IdempotencyDoc>(idempotencyCollection), deps.clock),
    identity: new Identity(deps.config, deps.clock),
  };
}
