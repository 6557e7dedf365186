import { v4 as uuid } from 'uuid';
import type { EventStore } from '../../infra/eventstore/port.js';
import { handleCommand, load } from '../../bus/command.js';
import { Rejection } from '../../bus/decider.js';
import { derivedId } from '../../bus/ids.js';
import { holdings, holdingsStream } from './holdings.js';
import { seat, seatStream } from './seat.js';
import type { HoldSeat } from './commands.js';

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

export interface SeatsRequest {
  scheduleId: string;
  /** 1 to 4 distinct seats (the route checks); held in ascending order. */
  seatNos: readonly number[];
  userId: string;
  price: number;
}

/** Some of the seats asked for are taken: none of them is held. */
export class SeatsUnavailable extends Rejection {
  constructor(readonly unavailable: readonly number[], scheduleId: string) {
    super('conflict', 'SEAT_UNAVAILABLE', `seat(s) ${unavailable.join(', ')} of schedule ${scheduleId} are not available`, { unavailable: [...unavailable] });
  }
}

/**
 * A user asks for one or more seats of a schedule, all or nothing.
 *
 * There is no atomic append across streams (EventStoreDB has none), so the
 * reservation is held in steps, each of which a crash may interrupt:
 *  1. its seats are claimed on the user's holdings stream, with the stream's
 *     expected revision: the per-user limit holds across concurrent requests,
 *     on any store;
 *  2. each seat is held, in ascending order;
 *  3. if one is taken, every seat of the reservation is given up (held ones
 *     released, the others voided so a retry still under way cannot take
 *     them) and the claim returned.
 * A crash after 1 or during 2 is cleaned up by the hold timers the claim set:
 * at expiresAt each seat held expires and each seat never held is voided, so
 * no seat of the reservation outlives its expiry, and its payment, if one is
 * asked for meanwhile, fails on the first seat not held (every seat then
 * released). A retry with the same Idempotency-Key derives the same
 * reservation id and finishes the steps instead.
 */
export async function holdSeats(
  store: EventStore,
  request: SeatsRequest,
  now: Date,
  options: { ttlMs: number; maxSeats: number; idempotencyKey?: string },
) {
  const seatNos = [...new Set(request.seatNos)].sort((a, b) => a - b);
  const { scheduleId, userId, price } = request;
  const reservationId = options.idempotencyKey
    ? derivedId('reservation', `${userId}\u0000${scheduleId}\u0000${seatNos.join(',')}\u0000${options.idempotencyKey}`)
    : uuid();
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + options.ttlMs).toISOString();
  const metadata = { correlationId: reservationId };
  const several = seatNos.length > 1 ? { seatNos } : {};
  const holdOf = (seatNo: number) => ({
    type: 'HoldSeat' as const,
    data: { reservationId, scheduleId, seatNo, userId, price, now: at, ttlMs: options.ttlMs, ...several },
  });
  // Seats taken already are refused before anything is written; only a seat lost to a concurrent hold costs a give-up.
  const taken = await unavailableOf(store, scheduleId, seatNos, holdOf);
  if (taken.length > 0) throw new SeatsUnavailable(taken, scheduleId);

  const claim = holdingsStream(scheduleId, userId);
  let position = (
    await handleCommand(store, holdings, claim, {
      type: 'ClaimSeats',
      data: { reservationId, scheduleId, userId, seatNos, maxSeats: options.maxSeats, now: at, expiresAt },
    }, { metadata })
  ).position;

  const unavailable: number[] = [];
  let cancelled: Rejection | null = null;
  for (const [i, seatNo] of seatNos.entries()) {
    try {
      const held = await handleCommand(store, seat, seatStream(scheduleId, seatNo), holdOf(seatNo), { metadata });
      position = held.position ?? position;
    } catch (error) {
      if (!(error instanceof Rejection) || (error.code !== 'SEAT_UNAVAILABLE' && error.code !== 'SCHEDULE_CANCELLED')) throw error;
      if (error.code === 'SCHEDULE_CANCELLED') {
        // Cancelled under way: what is held already is given up all the same, and the answer is the cancellation.
        cancelled = error;
        unavailable.push(seatNo);
        break;
      }
      // Giving up: which of the rest are taken too, for the answer, without holding them.
      unavailable.push(seatNo, ...(await unavailableOf(store, scheduleId, seatNos.slice(i + 1), holdOf)));
      break;
    }
  }

  if (unavailable.length > 0) {
    for (const seatNo of seatNos) {
      await handleCommand(store, seat, seatStream(scheduleId, seatNo), {
        type: 'ReleaseHold',
        data: { reservationId, scheduleId, seatNo, userId, reason: 'ABANDONED', now: at },
      }, { metadata });
    }
    // At once, not only by the reaction to the releases: the user may try other seats straight away.
    await handleCommand(store, holdings, claim, {
      type: 'ReturnSeats',
      data: { reservationId, scheduleId, userId, seatNos, reason: 'ABANDONED', now: at },
    }, { metadata });
    throw cancelled ?? new SeatsUnavailable(unavailable, scheduleId);
  }
  return { reservationId, scheduleId, seatNos, seatNo: seatNos[0]!, userId, price, amount: price * seatNos.length, expiresAt, position };
}

/**
 * The seats a hold would be refused now, decided on each seat's current state
 * without writing anything; a withdrawn seat throws SCHEDULE_CANCELLED.
 */
async function unavailableOf(
  store: EventStore,
  scheduleId: string,
  seatNos: readonly number[],
  holdOf: (seatNo: number) => HoldSeat,
): Promise<number[]> {
  const unavailable: number[] = [];
  for (const seatNo of seatNos) {
    const { state } = await load(store, seat, seatStream(scheduleId, seatNo));
    try {
      seat.decide(holdOf(seatNo), state);
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      // Not a taken seat: the whole schedule is off, and that is the answer.
      if (error.code === 'SCHEDULE_CANCELLED') throw error;
      unavailable.push(seatNo);
    }
  }
  return unavailable;
}
