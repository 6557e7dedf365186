import type { EventStore, Position } from './eventstore/port.js';
import type { ReadStore } from './readstore/port.js';
import type { Config } from './config.js';
import type { Clock } from './clock.js';
import type { ServiceDefinition, Ticker } from '../bus/service.js';
import type { Send } from '../domains/dataplatform/outcome.js';
import { reactions as concertReactions } from '../domains/concert/reactions.js';
import { timers as concertTimers } from '../domains/concert/timers.js';
import { reactions as reservationReactions } from '../domains/reservation/reactions.js';
import { timers as reservationTimers } from '../domains/reservation/timers.js';
import { reactions as paymentReactions } from '../domains/payment/reactions.js';
import { timers as paymentTimers } from '../domains/payment/timers.js';
import { reactions as pointReactions } from '../domains/point/reactions.js';
import { timers as pointTimers } from '../domains/point/timers.js';
import { reactions as queueReactions } from '../domains/queue/reactions.js';
import { timers as queueTimers } from '../domains/queue/timers.js';
import { admitWaiting } from '../domains/queue/admit-waiting.js';
import { reactions as rankingReactions } from '../domains/ranking/reactions.js';
import { timers as rankingTimers } from '../domains/ranking/timers.js';
import { reactions as deliveryReactions } from '../domains/dataplatform/reactions.js';
import { timers as deliveryTimers } from '../domains/dataplatform/timers.js';
import { queueTokens, type QueueTokenDoc } from '../projections/queue-tokens.js';

export const SERVICE_NAMES = ['concert', 'reservation', 'payment', 'point', 'queue', 'ranking', 'dataplatform'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceDeps {
  config: Config;
  store: EventStore;
  reads: ReadStore;
  clock: Clock;
  /** The data platform client: real HTTP, or whatever a test puts there. */
  send: Send;
  random?: () => number;
  /** Resolves true once the queue's line model has caught up with `position`, false when it has not in time. */
  lineReached?: (position: Position) => Promise<boolean>;
}

/**
 * Admission: every queue instance ticks, and each tick lets the next waiting
 * tokens into the free slots as one decision on the admission line (see
 * domains/queue/admit-waiting.ts); a queue reaction then activates each
 * admitted token on its own stream. However many instances tick, no more than
 * QUEUE_MAX_ACTIVE tokens are admitted and not yet expired, in issue order.
 */
function admissionTicker({ config, store, reads, lineReached }: ServiceDeps): Ticker {
  return {
    name: 'queue.admit',
    intervalMs: config.queueAdmitIntervalMs,
    async tick(now) {
      if (!lineReached) throw new Error('the admission tick needs to know when the line model has caught up (lineReached)');
      const line = await reads.collection<QueueTokenDoc>(queueTokens.collection);
      await admitWaiting({ store, line, lineReached, maxActive: config.queueMaxActive, ttlMs: config.queueTokenTtlMs }, now);
    },
  };
}

/** The seven services as data, wired to this configuration. */
export function serviceDefinitions(deps: ServiceDeps): Record<ServiceName, ServiceDefinition> {
  const { config } = deps;
  return {
    concert: { name: 'concert', reactions: concertReactions, timers: concertTimers },
    reservation: { name: 'reservation', reactions: reservationReactions, timers: reservationTimers },
    payment: { name: 'payment', reactions: paymentReactions, timers: paymentTimers },
    point: { name: 'point', reactions: pointReactions, timers: pointTimers },
    queue: { name: 'queue', reactions: queueReactions, timers: queueTimers, tickers: [admissionTicker(deps)], projections: [queueTokens] },
    ranking: { name: 'ranking', reactions: rankingReactions, timers: rankingTimers },
    dataplatform: {
      name: 'dataplatform',
      reactions: deliveryReactions,
      timers: deliveryTimers(
        deps.send,
        { baseMs: config.deliveryBackoffMs, maxMs: config.deliveryMaxBackoffMs, maxAttempts: config.deliveryMaxAttempts },
        deps.random,
        () => deps.clock.now(),
      ),
    },
  };
}
