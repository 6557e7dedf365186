import type { Doc } from '../infra/readstore/port.js';
import { isEvent } from '../bus/decider.js';
import type { Projection } from '../bus/projection.js';
import type { RankingEvent } from '../domains/ranking/events.js';

export interface SoldOutDoc extends Doc {
  scheduleId: string;
  concertId: string;
  title: string;
  bookingOpenedAt: string;
  soldOutAt: string;
  durationMs: number;
}

/** Schedules that sold out, to be read fastest first: GET /rankings/sold-out. */
export const soldOutRanking: Projection<SoldOutDoc> = {
  name: 'sold-out-ranking',
  collection: { name: 'sold_out_ranking', indexes: ['durationMs'] },
  eventTypes: ['ScheduleSoldOut'],
  ids: (event) => [(event.data as { scheduleId: string }).scheduleId],
  evolve(doc, event) {
    if (!isEvent<RankingEvent, 'ScheduleSoldOut'>(event, 'ScheduleSoldOut')) return doc;
    const { scheduleId, concertId, title, bookingOpenedAt, soldOutAt, durationMs } = event.data;
    return { id: scheduleId, scheduleId, concertId, title, bookingOpenedAt, soldOutAt, durationMs };
  },
};
