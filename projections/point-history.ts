import type { Doc } from '../infra/readstore/port.js';
import { listKey } from '../infra/readstore/position-key.js';
import type { Projection } from '../bus/projection.js';
import type { PointEvent } from '../domains/point/events.js';

export type PointMovementKind = 'CHARGE' | 'DEBIT' | 'REFUND';

/** One movement of a user's points: GET /users/:userId/points/history. */
export interface PointMovementDoc extends Doc {
  userId: string;
  kind: PointMovementKind;
  amount: number;
  balanceAfter: number;
  paymentId: string | null;
  at: string;
  /** The list's order: the ledger event's position (see listKey). */
  listKey: string;
}

type MovementEvent = Extract<PointEvent, { type: 'PointsCharged' | 'PointsDebited' | 'PointsRefunded' }>;

/** What each balance-moving event says about the movement; a new kind of movement is one more entry. */
const movements: { [T in MovementEvent['type']]: (data: Extract<MovementEvent, { type: T }>['data']) => Pick<PointMovementDoc, 'kind' | 'paymentId' | 'at'> } = {
  PointsCharged: (data) => ({ kind: 'CHARGE', paymentId: null, at: data.chargedAt }),
  PointsDebited: (data) => ({ kind: 'DEBIT', paymentId: data.paymentId, at: data.debitedAt }),
  PointsRefunded: (data) => ({ kind: 'REFUND', paymentId: data.paymentId, at: data.refundedAt }),
};

/**
 * Every movement of every user's points, one document per ledger event (its
 * id is the event's), so a redelivered event rewrites the same document. A
 * movement never changes once recorded.
 */
export const pointHistory: Projection<PointMovementDoc> = {
  name: 'point-history',
  collection: { name: 'point_history', indexes: [['userId', 'listKey']] },
  eventTypes: Object.keys(movements),
  ids: (event) => [event.id],
  evolve(_doc, recorded) {
    const event = { type: recorded.type, data: recorded.data } as MovementEvent;
    const describe = movements[event.type] as (data: MovementEvent['data']) => Pick<PointMovementDoc, 'kind' | 'paymentId' | 'at'>;
    const { userId, amount, balanceAfter } = event.data;
    return { id: recorded.id, userId, amount, balanceAfter, ...describe(event.data), listKey: listKey(recorded.position, recorded.id) };
  },
};
