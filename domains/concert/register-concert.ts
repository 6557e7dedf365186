import { v4 as uuid } from 'uuid';
import type { EventStore } from '../../infra/eventstore/port.js';
import { handleCommand } from '../../bus/command.js';
import { concert, concertStream } from './concert.js';
import type { ScheduleRequest } from './commands.js';

export interface NewConcert {
  title: string;
  schedules: Array<Omit<ScheduleRequest, 'scheduleId' | 'bookingOpensAt'> & { bookingOpensAt?: string }>;
}

/** The admin's request: mint the ids, default booking to open now, and record the concert. */
export async function registerConcert(store: EventStore, input: NewConcert, now: Date) {
  const concertId = uuid();
  const schedules: ScheduleRequest[] = input.schedules.map((s) => ({
    scheduleId: uuid(),
    startsAt: s.startsAt,
    bookingOpensAt: s.bookingOpensAt ?? now.toISOString(),
    seatCount: s.seatCount,
    price: s.price,
  }));
  const result = await handleCommand(store, concert, concertStream(concertId), {
    type: 'RegisterConcert',
    data: { concertId, title: input.title, schedules, now: now.toISOString() },
  }, { metadata: { correlationId: concertId } });
  return { concertId, title: input.title, schedules, position: result.position };
}
