import t from 'tap';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { cli, jsonLines } from './cli.js';
import type { SeededConcert } from '../../infra/seed.js';
import type { EventStore } from '../../infra/eventstore/port.js';
import { openTestStores } from '../support/stores.js';

/** What the CLI wrote, read back from the same stores (opened first, so that the CLI gets them too). */
const concertStreams = (store: EventStore) => store.readAll({ filter: { streamPrefixes: ['concert-'] } });

t.test('seed: the demo catalogue, 50 seats a schedule, bookings open now', async (t) => {
  const { dir, events: store } = await openTestStores(t);
  const before = Date.now();
  const result = await cli(dir, ['seed', '--json']);
  t.equal(result.code, 0, result.stderr);
  const concerts = jsonLines<SeededConcert>(result.stdout);
  t.ok(concerts.length >= 3, 'a few concerts');
  const events = await concertStreams(store);
  for (const concert of concerts) {
    const own = events.filter((e) => e.streamId === `concert-${concert.concertId}`);
    t.same(own.map((e) => e.type), ['ConcertRegistered', ...concert.schedules.map(() => 'ScheduleOpened')], concert.title);
    for (const schedule of concert.schedules) {
      t.equal(schedule.seatCount, 50);
      const opens = Date.parse(schedule.bookingOpensAt);
      t.ok(opens >= before - 1000 && opens <= Date.now(), 'bookings open now');
      t.ok(Date.parse(schedule.startsAt) > opens, 'the show is later');
    }
  }
  const human = await cli(dir, ['seed']);
  t.match(human.stdout, /registered IU: The Golden Hour +concert [\w-]+\n +schedule [\w-]+ +starts .* 50 seats at \d+/);
});

t.test('seed --file: POST /concerts bodies; a file the decider would refuse writes nothing', async (t) => {
  const dir = t.testdir({
    'good.json': JSON.stringify([
      { title: 'Night one', schedules: [{ startsAt: '2031-05-01T19:00:00Z', seatCount: 10, price: 70 }] },
      { title: 'Night two', schedules: [{ startsAt: '2031-05-02T19:00:00Z', bookingOpensAt: '2031-04-01T00:00:00Z', seatCount: 20, price: 90 }] },
    ]),
    'bad.json': JSON.stringify({ concerts: [{ title: 'Fine', schedules: [{ startsAt: '2031-05-01T19:00:00Z', seatCount: 10, price: 70 }] }, { title: 'Empty room', schedules: [{ startsAt: '2031-05-01T19:00:00Z', seatCount: 0, price: 70 }] }] }),
  });
  const { events: store } = await openTestStores(t, { dir });
  const good = await cli(dir, ['seed', '--file', join(dir, 'good.json'), '--json']);
  t.equal(good.code, 0, good.stderr);
  t.match(jsonLines<SeededConcert>(good.stdout), [
    { title: 'Night one', schedules: [{ seatCount: 10, price: 70 }] },
    { title: 'Night two', schedules: [{ seatCount: 20, price: 90, bookingOpensAt: '2031-04-01T00:00:00Z' }] },
  ]);
  const written = (await concertStreams(store)).length;
  t.equal(written, 4, 'two concerts of one schedule each');

  const bad = await cli(dir, ['seed', '--file', join(dir, 'bad.json')]);
  t.equal(bad.code, 1);
  t.match(bad.stderr, 'INVALID_SEAT_COUNT');
  t.equal((await concertStreams(store)).length, written, 'not even the good concert of the bad file');

  writeFileSync(join(dir, 'shape.json'), JSON.stringify({ title: 'No schedules key' }));
  const shape = await cli(dir, ['seed', '--file', join(dir, 'shape.json')]);
  t.equal(shape.code, 1);
  t.match(shape.stderr, 'expected {title, schedules: [...]}');
  const missing = await cli(dir, ['seed', '--file', join(dir, 'nowhere.json')]);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /concertctl: ENOENT.*nowhere\.json/);
});
