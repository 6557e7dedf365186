import type { EventStore } from '../../infra/eventstore/port.js';
import { handleCommand } from '../../bus/command.js';
import { concert, concertStream } from './concert.js';

/**
 * The admin calls a schedule off. The route finds the schedule's concert (the
 * schedules model knows it); the concert aggregate decides, so a schedule is
 * cancelled once however often it is asked. Position is null for a repeat.
 */
export async function cancelSchedule(store: EventStore, schedule: { concertId: string; scheduleId: string }, now: Date) {
  const result = await handleCommand(store, concert, concertStream(schedule.concertId), {
    type: 'CancelSchedule',
    data: { scheduleId: schedule.scheduleId, now: now.toISOString() },
  }, { metadata: { correlationId: schedule.scheduleId }, service: 'concert' });
  return { position: result.position };
}
