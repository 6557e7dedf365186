import { v4 as uuid } from 'uuid';
import type { EventStore } from '../../infra/eventstore/port.js';
import { handleCommand, load } from '../../bus/command.js';
import { Rejection } from '../../bus/decider.js';
import { derivedId } from '../../bus/ids.js';
import { concert, concertStream } from './concert.js';
import type { ScheduleRequest } from './commands.js';

export interface NewConcert {
  title: string;
  schedules: Array<Omit<ScheduleRequest, 'scheduleId' | 'bookingOpensAt'> & { bookingOpensAt?: string }>;
}

/**
 * The admin's request: mint the ids, default booking to open now, and record
 * the concert. With an idempotency key the ids derive from it, so a retry
 * whose first answer was lost finds the concert it registered instead of
 * registering a second one.
 */
export async function registerConcert(store: EventStore, input: NewConcert, now: Date, idempotencyKey?: string) {
  const concertId = idempotencyKey ? derivedId('concert', idempotencyKey) : uuid();
  const schedules: ScheduleRequest[] = input.schedules.map((s, i) => ({
    scheduleId: idempotencyKey ? derivedId('schedule', `${concertId}/${i}`) : uuid(),
    startsAt: s.startsAt,
    bookingOpensAt: s.bookingOpensAt ?? now.toISOString(),
    seatCount: s.seatCount,
    price: s.price,
  }));
  try {
    const result = await handleCommand(store, concert, concertStream(concertId), {
      type: 'RegisterConcert',
      data: { concertId, title: input.title, schedules, now: now.toISOString() },
    }, { metadata: { correlationId: concertId }, service: 'concert' });
    return { concertId, title: input.title, schedules, position: result.position };
  } catch (error) {
    if (!(idempotencyKey && error instanceof Rejection && error.code === 'CONCERT_EXISTS')) throw error;
    const { state } = await load(store, concert, concertStream(concertId));
    return { concertId, title: state.title, schedules: state.schedules.map((s) => ({ ...s })), position: null };
  }
}
