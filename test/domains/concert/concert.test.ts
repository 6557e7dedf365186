import t from 'tap';
import { concert, concertStream } from '../../../domains/concert/concert.js';
import type { RegisterConcert, ScheduleRequest } from '../../../domains/concert/commands.js';
import type { ConcertEvent } from '../../../domains/concert/events.js';
import { given } from '../../support/given.js';

const now = '2030-01-01T09:00:00.000Z';

const evening: ScheduleRequest = {
  scheduleId: 'sch-1',
  startsAt: '2030-03-01T19:00:00.000Z',
  bookingOpensAt: '2030-02-01T10:00:00.000Z',
  seatCount: 50,
  price: 1200,
};
const matinee: ScheduleRequest = {
  scheduleId: 'sch-2',
  startsAt: '2030-03-02T14:00:00.000Z',
  bookingOpensAt: '2030-02-01T10:00:00.000Z',
  seatCount: 2,
  price: 800,
};

function register(schedules: ScheduleRequest[], title = 'Spring Tour'): RegisterConcert {
  return { type: 'RegisterConcert', data: { concertId: 'c-1', title, schedules, now } };
}

const registered: ConcertEvent[] = [
  { type: 'ConcertRegistered', data: { concertId: 'c-1', title: 'Spring Tour', registeredAt: now } },
  { type: 'ScheduleOpened', data: { concertId: 'c-1', title: 'Spring Tour', ...evening } },
];

t.test('concert streams are named by concert id', async (t) => {
  t.equal(concertStream('c-1'), 'concert-c-1');
  t.equal(concert.category, 'concert');
});

t.test('registering a concert opens each of its schedules in the same append', async (t) => {
  given(t, concert, [])
    .when(register([evening, matinee]))
    .then([
      { type: 'ConcertRegistered', data: { concertId: 'c-1', title: 'Spring Tour', registeredAt: now } },
      { type: 'ScheduleOpened', data: { concertId: 'c-1', title: 'Spring Tour', ...evening } },
      { type: 'ScheduleOpened', data: { concertId: 'c-1', title: 'Spring Tour', ...matinee } },
    ]);
});

t.test('booking may open at the very moment the show starts', async (t) => {
  const atOnce = { ...evening, bookingOpensAt: evening.startsAt };
  given(t, concert, [])
    .when(register([atOnce]))
    .then([
      { type: 'ConcertRegistered', data: { concertId: 'c-1', title: 'Spring Tour', registeredAt: now } },
      { type: 'ScheduleOpened', data: { concertId: 'c-1', title: 'Spring Tour', ...atOnce } },
    ]);
});

t.test('a concert is registered once', async (t) => {
  given(t, concert, registered).when(register([matinee])).rejects('CONCERT_EXISTS');
});

t.test('a concert without schedules is refused', async (t) => {
  given(t, concert, []).when(register([])).rejects('NO_SCHEDULES');
});

t.test('a concert without a title is refused', async (t) => {
  given(t, concert, []).when(register([evening], '   ')).rejects('INVALID_TITLE');
});

t.test('two schedules may not share an id, since they would share seats', async (t) => {
  given(t, concert, [])
    .when(register([evening, { ...matinee, scheduleId: evening.scheduleId }]))
    .rejects('DUPLICATE_SCHEDULE');
});

t.test('a schedule needs at least one whole seat', async (t) => {
  given(t, concert, []).when(register([{ ...evening, seatCount: 0 }])).rejects('INVALID_SEAT_COUNT');
  given(t, concert, []).when(register([{ ...evening, seatCount: 1.5 }])).rejects('INVALID_SEAT_COUNT');
});

t.test('a schedule needs a positive whole price', async (t) => {
  given(t, concert, []).when(register([{ ...evening, price: 0 }])).rejects('INVALID_PRICE');
  given(t, concert, []).when(register([{ ...evening, price: 9.99 }])).rejects('INVALID_PRICE');
});

t.test('times must be readable', async (t) => {
  given(t, concert, []).when(register([{ ...evening, startsAt: 'soon' }])).rejects('INVALID_DATE');
  given(t, concert, []).when(register([{ ...evening, bookingOpensAt: 'tomorrow' }])).rejects('INVALID_DATE');
});

t.test('booking may not open after the show starts', async (t) => {
  given(t, concert, [])
    .when(register([matinee, { ...evening, bookingOpensAt: '2030-03-01T19:00:00.001Z' }]))
    .rejects('BOOKING_OPENS_AFTER_START');
});

t.test('the state remembers the concert and its schedules', async (t) => {
  const state = registered.reduce(concert.evolve, concert.initialState());
  t.same(state, {
    concertId: 'c-1',
    title: 'Spring Tour',
    registeredAt: now,
    schedules: [{ ...evening, cancelledAt: null }],
  });
});
