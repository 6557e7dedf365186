import type { AnyProjection } from '../bus/projection.js';
import { balances } from './balances.js';
import { concerts } from './concerts.js';
import { deliveries } from './deliveries.js';
import { payments } from './payments.js';
import { pointHistory } from './point-history.js';
import { queueTokens } from './queue-tokens.js';
import { reservations } from './reservations.js';
import { sagaTraces } from './saga-traces.js';
import { schedules } from './schedules.js';
import { seats } from './seats.js';
import { soldOutRanking } from './sold-out-ranking.js';
import { userReservations } from './user-reservations.js';

export { balances, concerts, deliveries, payments, pointHistory, queueTokens, reservations, sagaTraces, schedules, seats, soldOutRanking, userReservations };

/** The read models the API answers from. The projector role runs them all, with the queue's line (queue-tokens), which the admission tick reads. */
export const readModels: AnyProjection[] = [
  concerts,
  schedules,
  seats,
  reservations,
  payments,
  balances,
  soldOutRanking,
  deliveries,
  sagaTraces,
  pointHistory,
  userReservations,
];

/** Every projection in the system, for the CLI's rebuild. */
export const allProjections: AnyProjection[] = [...readModels, queueTokens];
