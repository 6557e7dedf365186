import type { Doc } from '../infra/readstore/port.js';
import { listKey } from '../infra/readstore/position-key.js';
import { isEvent } from '../bus/decider.js';
import type { Projection } from '../bus/projection.js';
import type { ConcertEvent } from '../domains/concert/events.js';

export interface ConcertDoc extends Doc {
  concertId: string;
  title: string;
  registeredAt: string | null;
  /** The schedule ids, so that a redelivered ScheduleOpened cannot count one twice. */
  scheduleIds: string[];
  scheduleCount: number;
  /** The catalogue's order: the position of the concert's first event (see listKey); it never moves. */
  listKey: string;
}

/** The catalogue's list of concerts: GET /concerts. */
export const concerts: Projection<ConcertDoc> = {
  name: 'concerts',
  collection: { name: 'concerts', indexes: ['listKey'] },
  eventTypes: ['ConcertRegistered', 'ScheduleOpened'],
  ids: (event) => [(event.data as { concertId: string }).concertId],
  evolve(doc, event) {
    if (isEvent<ConcertEvent, 'ConcertRegistered'>(event, 'ConcertRegistered')) {
      const { concertId, title, registeredAt } = event.data;
      const scheduleIds = doc?.scheduleIds ?? [];
      return { id: concertId, concertId, title, registeredAt, scheduleIds, scheduleCount: scheduleIds.length, listKey: doc?.listKey ?? listKey(event.position, concertId) };
    }
    if (isEvent<ConcertEvent, 'ScheduleOpened'>(event, 'ScheduleOpened')) {
      const { concertId, title, scheduleId } = event.data;
      // The concert's own event comes first in its stream; the fallback only keeps an odd order from losing the schedule.
      const current = doc ?? { id: concertId, concertId, title, registeredAt: null, scheduleIds: [], scheduleCount: 0, listKey: listKey(event.position, concertId) };
      if (current.scheduleIds.includes(scheduleId)) return current;
      const scheduleIds = [...current.scheduleIds, scheduleId];
      return { ...current, scheduleIds, scheduleCount: scheduleIds.length };
    }
    return doc;
  },
};
