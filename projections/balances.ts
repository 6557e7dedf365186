import type { Doc } from '../infra/readstore/port.js';
import type { Projection } from '../bus/projection.js';
import type { PointEvent } from '../domains/point/events.js';

export interface BalanceDoc extends Doc {
  userId: string;
  balance: number;
  updatedAt: string;
}

type BalanceEvent = Extract<PointEvent, { type: 'PointsCharged' | 'PointsDebited' | 'PointsRefunded' }>;

const timeOf = (event: BalanceEvent): string => {
  switch (event.type) {
    case 'PointsCharged':
      return event.data.chargedAt;
    case 'PointsDebited':
      return event.data.debitedAt;
    case 'PointsRefunded':
      return event.data.refundedAt;
  }
};

/**
 * Each user's balance. Every balance-moving event carries balanceAfter, so the
 * document is set, never summed: a replayed event cannot skew it.
 */
export const balances: Projection<BalanceDoc> = {
  name: 'balances',
  collection: { name: 'balances' },
  eventTypes: ['PointsCharged', 'PointsDebited', 'PointsRefunded'],
  ids: (event) => [(event.data as { userId: string }).userId],
  evolve(_doc, recorded) {
    const event = { type: recorded.type, data: recorded.data } as BalanceEvent;
    return { id: event.data.userId, userId: event.data.userId, balance: event.data.balanceAfter, updatedAt: timeOf(event) };
  },
};
