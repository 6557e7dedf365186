import { v4 as uuid } from 'uuid';
import type { EventStore } from '../../infra/eventstore/port.js';
import { handleCommand } from '../../bus/command.js';
import { pointsStream, wallet } from './wallet.js';

/**
 * Adds points. A charge key (the request's Idempotency-Key) makes a retry a
 * no-op; without one every call is a new charge.
 */
export async function chargePoints(store: EventStore, userId: string, amount: number, now: Date, chargeKey?: string) {
  const result = await handleCommand(store, wallet, pointsStream(userId), {
    type: 'Charge',
    data: { userId, chargeId: chargeKey ?? uuid(), amount, now: now.toISOString() },
  }, { metadata: { correlationId: chargeKey ?? userId }, service: 'point' });
  return { userId, balance: result.state.balance, position: result.position };
}
