import t from 'tap';
import { concert } from '../../../domains/concert/concert.js';
import type { CancelSchedule } from '../../../domains/concert/commands.js';
import type { ConcertEvent } from '../../../domains/concert/events.js';
import { given } from '../../support/given.js';

const registeredAt = '2030-01-01T09:00:00.000Z';
const now = '2030-02-10T12:00:00.000Z';

const registered: ConcertEvent[] = [
  { type: 'ConcertRegistered', data: { concertId: 'c-1', title: 'Spring Tour', registeredAt } },
  {
    type: 'ScheduleOpened',
    data: { concertId: 'c-1', title: 'Spring Tour', scheduleId: 'sch-1', startsAt: '2030-03-01T19:00:00.000Z', bookingOpensAt: registeredAt, seatCount: 50, price: 1200 },
  },
  {
    type: 'ScheduleOpened',
    data: { concertId: 'c-1', title: 'Spring Tour', scheduleId: 'sch-2', startsAt: '2030-03-02T14:00:00.000Z', bookingOpensAt: registeredAt, seatCount: 2, price: 800 },
  },
];

const cancel = (scheduleId: string, at = now): CancelSchedule => ({ type: 'CancelSchedule', data: { scheduleId, now: at } });
const cancelled: ConcertEvent = { type: 'ScheduleCancelled', data: { concertId: 'c-1', scheduleId: 'sch-1', seatCount: 50, cancelledAt: now } };

t.test('cancelling a schedule records it with its seat count, for the seats to be withdrawn', async (t) => {
  given(t, concert, registered).when(cancel('sch-1')).then([cancelled]);
  given(t, concert, registered)
    .when(cancel('sch-2'))
    .then([{ type: 'ScheduleCancelled', data: { concertId: 'c-1', scheduleId: 'sch-2', seatCount: 2, cancelledAt: now } }], 'only the schedule named');
});

t.test('a schedule is cancelled once: a repeat decides nothing', async (t) => {
  given(t, concert, [...registered, cancelled]).when(cancel('sch-1', '2030-02-10T12:05:00.000Z')).thenNothing();
});

t.test('the other schedules of the concert still sell after one is cancelled', async (t) => {
  given(t, concert, [...registered, cancelled])
    .when(cancel('sch-2'))
    .then([{ type: 'ScheduleCancelled', data: { concertId: 'c-1', scheduleId: 'sch-2', seatCount: 2, cancelledAt: now } }]);
});

t.test('an unknown schedule, or a concert never registered, is not found', async (t) => {
  given(t, concert, registered).when(cancel('sch-9')).rejects('SCHEDULE_NOT_FOUND');
  given(t, concert, []).when(cancel('sch-1')).rejects('SCHEDULE_NOT_FOUND');
});

t.test('the state remembers when each schedule was cancelled', async (t) => {
  const state = [...registered, cancelled].reduce(concert.evolve, concert.initialState());
  t.same(state.schedules.map((s) => [s.scheduleId, s.cancelledAt]), [['sch-1', now], ['sch-2', null]]);
});
