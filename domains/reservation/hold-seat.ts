import { v4 as uuid } from 'uuid';
import type { EventStore } from '../../infra/eventstore/port.js';
import { handleCommand } from '../../bus/command.js';
import { derivedId } from '../../bus/ids.js';
import { seat, seatStream } from './seat.js';

export interface SeatRequest {
  scheduleId: string;
  seatNo: number;
  userId: string;
  /** From the catalogue: the hold fixes the price the payment will charge. */
  price: number;
}

/**
 * A user asks for a seat: a new reservation id, held for `ttlMs`, or a 409
 * Rejection when taken. With an idempotency key the reservation id derives
 * from it, so a retry whose first answer was lost gets its own hold back
 * instead of a 409 from it.
 */
export async function holdSeat(store: EventStore, request: SeatRequest, now: Date, ttlMs: number, idempotencyKey?: string) {
  const reservationId = idempotencyKey
    ? derivedId('reservation', `${request.userId}\u0000${request.scheduleId}\u0000${request.seatNo}\u0000${idempotencyKey}`)
    : uuid();
  const result = await handleCommand(store, seat, seatStream(request.scheduleId, request.seatNo), {
    type: 'HoldSeat',
    data: { reservationId, ...request, now: now.toISOString(), ttlMs },
  }, { metadata: { correlationId: reservationId }, service: 'reservation' });
  const holder = result.state.holder;
  if (!holder || holder.reservationId !== reservationId) throw new Error(`hold ${reservationId} was decided but is not the holder`);
  return { ...holder, position: result.position };
}
