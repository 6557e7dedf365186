import { join } from 'node:path';
import { SqliteEventStore } from '../../infra/eventstore/sqlite.js';
import { registerConcert } from '../../domains/concert/register-concert.js';
import { issueToken } from '../../domains/queue/issue-token.js';
import { chargePoints } from '../../domains/point/charge-points.js';
import { holdSeat } from '../../domains/reservation/hold-seat.js';

/**
 * The saga benchmark's starting point, written before the system starts
 * through the same application commands the routes call (register, issue a
 * token, charge, hold), so that its runs measure payments and nothing else:
 * one fan per payment, each with a token (admitted by the system's own queue
 * once it runs), exactly the seat's price in points, and one seat held.
 */
export interface PreparedHold {
  userId: string;
  tokenId: string;
  reservationId: string;
  scheduleId: string;
  seatNo: number;
  price: number;
}

const SEATS_PER_SCHEDULE = 1_000;
const SCHEDULES_PER_CONCERT = 100;
/** Commands in flight at once: enough for group commit to fill its transactions. */
const WIDTH = 500;

export async function prepareHolds(dataDir: string, count: number, options: { price: number; holdTtlMs: number }): Promise<PreparedHold[]> {
  // Durability does not matter for a starting point that is rebuilt on every run.
  const store = new SqliteEventStore({ file: join(dataDir, 'events.db'), synchronous: 'OFF' });
  try {
    const now = new Date();
    const startsAt = new Date(now.getTime() + 30 * 24 * 3_600_000).toISOString();
    const seats: Array<{ scheduleId: string; seatNo: number }> = [];
    const schedules = Math.ceil(count / SEATS_PER_SCHEDULE);
    for (let first = 0; first < schedules; first += SCHEDULES_PER_CONCERT) {
      const here = Math.min(SCHEDULES_PER_CONCERT, schedules - first);
      const concert = await registerConcert(
        store,
        { title: `Saga ${first / SCHEDULES_PER_CONCERT + 1}`, schedules: Array.from({ length: here }, () => ({ startsAt, seatCount: SEATS_PER_SCHEDULE, price: options.price })) },
        now,
      );
      for (const schedule of concert.schedules) {
        for (let seatNo = 1; seatNo <= SEATS_PER_SCHEDULE; seatNo++) seats.push({ scheduleId: schedule.scheduleId, seatNo });
      }
    }
    const holds: PreparedHold[] = [];
    for (let from = 0; from < count; from += WIDTH) {
      const batch = Array.from({ length: Math.min(WIDTH, count - from) }, (_, i) => from + i);
      holds.push(
        ...(await Promise.all(
          batch.map(async (n) => {
            const userId = `payer-${n}`;
            const { ticket } = await issueToken(store, userId, now);
            await chargePoints(store, userId, options.price, now, `saga-charge-${n}`);
            const seat = seats[n]!;
            const hold = await holdSeat(store, { ...seat, userId, price: options.price }, now, options.holdTtlMs);
            return { userId, tokenId: ticket.tokenId, reservationId: hold.reservationId, scheduleId: seat.scheduleId, seatNo: seat.seatNo, price: options.price };
          }),
        )),
      );
    }
    return holds;
  } finally {
    await store.close();
  }
}

/**
 * The system's knobs for paying prepared holds: every fan admitted at once,
 * tokens and holds that outlive the run, deliveries retried within seconds.
 */
export function knobsForPreparedHolds(holds: readonly PreparedHold[], holdTtlMs: number): Record<string, string> {
  return {
    QUEUE_MAX_ACTIVE: String(holds.length + 1_000),
    QUEUE_ADMIT_INTERVAL_MS: '100',
    QUEUE_TOKEN_TTL_MS: String(holdTtlMs),
    HOLD_TTL_MS: String(holdTtlMs),
    DELIVERY_BACKOFF_MS: '200',
    DELIVERY_MAX_BACKOFF_MS: '2000',
  };
}
