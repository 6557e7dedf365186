import type { EventStore, Position } from './eventstore/port.js';
import type { ReadStore } from './readstore/port.js';
import { positionFromKey } from './readstore/position-key.js';
import type { Config } from './config.js';
import type { Clock } from './clock.js';
import { handleCommand } from '../bus/command.js';
import { derivedEventId } from '../bus/ids.js';
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
import { admit } from '../domains/queue/admission.js';
import { queueStream, ticket } from '../domains/queue/ticket.js';
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
  /** Resolves once the queue's own line model has caught up with `position`. */
  lineReached?: (position: Position) => Promise<void>;
}

/**
 * Admission: every tick, activate as many waiting tokens as there are free
 * slots, in issue order. The line comes from the queue's own read model; the
 * tick waits for it to include its own activations, so the next tick never
 * counts stale free slots. Two queue instances can over-admit by one tick's
 * worth; run one admitting instance (the runner does).
 */
function admissionTicker({ config, store, reads, lineReached }: ServiceDeps): Ticker {
  return {
    name: 'queue.admit',
    intervalMs: config.queueAdmitIntervalMs,
    async tick(now) {
      const tokens = await reads.collection<QueueTokenDoc>(queueTokens.collection);
      const active = await tokens.count({ status: 'ACTIVE' });
      const free = config.queueMaxActive - active;
      if (free <= 0) return;
      const waiting = await tokens.find({ where: { status: 'WAITING' }, sort: [['issuedPosition', 'asc']], limit: free });
      const chosen = admit(
        { waiting: waiting.map((t) => ({ tokenId: t.tokenId, userId: t.userId, issuedAt: t.issuedAt, position: positionFromKey(t.issuedPosition) })), active },
        config.queueMaxActive,
      );
      const results = await Promise.all(
        chosen.map(({ tokenId, userId }) =>
          handleCommand(store, ticket, queueStream(userId), { type: 'Activate', data: { tokenId, now: now.toISOString(), ttlMs: config.queueTokenTtlMs } }, {
            eventId: (n) => derivedEventId('queue.admit', tokenId, n),
            metadata: { correlationId: tokenId },
          }),
        ),
      );
      const last = results.reduce<Position | null>((max, r) => (r.position !== null && (max === null || r.position > max) ? r.position : max), null);
      if (last !== null) await lineReached?.(last);
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
