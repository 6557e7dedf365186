import { readFile } from 'node:fs/promises';
import type { EventStore } from './eventstore/port.js';
import { registerConcert, type NewConcert } from '../domains/concert/register-concert.js';
import { concert } from '../domains/concert/concert.js';

/**
 * The catalogue a fresh system starts with, so `npm start` has something to
 * sell at once: a few concerts, 50 seats a schedule, bookings open now.
 */

export interface SeededConcert {
  concertId: string;
  title: string;
  schedules: Array<{ scheduleId: string; startsAt: string; bookingOpensAt: string; seatCount: number; price: number }>;
}

export interface Seeded {
  concerts: SeededConcert[];
}

const DAY_MS = 86_400_000;

/** Shows at 19:00 UTC some days from now: far enough that no demo hold outlives the show. */
function evening(now: Date, daysAhead: number): string {
  const day = new Date(now.getTime() + daysAhead * DAY_MS);
  day.setUTCHours(19, 0, 0, 0);
  return day.toISOString();
}

export function demoCatalogue(now: Date): NewConcert[] {
  const seats = 50;
  return [
    {
      title: 'IU: The Golden Hour',
      schedules: [
        { startsAt: evening(now, 30), seatCount: seats, price: 150 },
        { startsAt: evening(now, 31), seatCount: seats, price: 150 },
      ],
    },
    {
      title: 'Seoul Philharmonic: Mahler 2',
      schedules: [
        { startsAt: evening(now, 14), seatCount: seats, price: 100 },
        { startsAt: evening(now, 21), seatCount: seats, price: 120 },
      ],
    },
    { title: 'Jazz at Night: Trio Live', schedules: [{ startsAt: evening(now, 7), seatCount: seats, price: 80 }] },
  ];
}

async function register(store: EventStore, concerts: readonly NewConcert[], now: Date): Promise<Seeded> {
  const seeded: SeededConcert[] = [];
  for (const input of concerts) {
    const { concertId, title, schedules } = await registerConcert(store, input, now);
    seeded.push({ concertId, title, schedules });
  }
  return { concerts: seeded };
}

export function seedDemo(store: EventStore, now: Date): Promise<Seeded> {
  return register(store, demoCatalogue(now), now);
}

export class SeedFileError extends Error {
  override readonly name = 'SeedFileError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body of POST /concerts, checked for shape; the concert decider then checks the values. */
function concertFrom(value: unknown, where: string): NewConcert {
  if (!isRecord(value) || typeof value.title !== 'string' || !Array.isArray(value.schedules)) {
    throw new SeedFileError(`${where}: expected {title, schedules: [...]}`);
  }
  const schedules = value.schedules.map((schedule: unknown, i) => {
    const at = `${where}.schedules[${i}]`;
    if (!isRecord(schedule) || typeof schedule.startsAt !== 'string' || typeof schedule.seatCount !== 'number' || typeof schedule.price !== 'number') {
      throw new SeedFileError(`${at}: expected {startsAt, bookingOpensAt?, seatCount, price}`);
    }
    if (schedule.bookingOpensAt !== undefined && typeof schedule.bookingOpensAt !== 'string') {
      throw new SeedFileError(`${at}.bookingOpensAt: expected an ISO-8601 time`);
    }
    return {
      startsAt: schedule.startsAt,
      seatCount: schedule.seatCount,
      price: schedule.price,
      ...(schedule.bookingOpensAt === undefined ? {} : { bookingOpensAt: schedule.bookingOpensAt }),
    };
  });
  return { title: value.title, schedules };
}

/** A file of POST /concerts bodies: one body, an array of them, or `{concerts: [...]}`. */
export function parseSeedFile(text: string, name: string): NewConcert[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SeedFileError(`${name}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const list = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json.concerts) ? json.concerts : [json];
  return list.map((concert: unknown, i) => concertFrom(concert, `${name}[${i}]`));
}

/** Asks the concert decider on a blank stream, so a value it would refuse is refused before anything is written. */
function assertRegistrable(input: NewConcert, now: Date): void {
  concert.decide(
    {
      type: 'RegisterConcert',
      data: {
        concertId: 'check',
        title: input.title,
        schedules: input.schedules.map((s, i) => ({ ...s, scheduleId: `check-${i}`, bookingOpensAt: s.bookingOpensAt ?? now.toISOString() })),
        now: now.toISOString(),
      },
    },
    concert.initialState(),
  );
}

/** Every concert is checked before the first is written, so a bad file writes nothing. */
export async function seedFromFile(store: EventStore, path: string, now: Date): Promise<Seeded> {
  const concerts = parseSeedFile(await readFile(path, 'utf8'), path);
  for (const input of concerts) assertRegistrable(input, now);
  return register(store, concerts, now);
}
