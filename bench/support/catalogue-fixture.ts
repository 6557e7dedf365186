/** Seats for a benchmark's journeys: one concert whose schedules hold at least `seats` seats, open for booking now. */

export interface SeatPlan {
  concertId: string;
  scheduleIds: string[];
  seatCount: number;
  price: number;
}

const SEATS_PER_SCHEDULE = 1_000;
const SCHEDULES_PER_CONCERT = 100;

export async function registerSeats(base: string, adminToken: string, seats: number, price: number): Promise<SeatPlan> {
  const schedules = Math.ceil(seats / SEATS_PER_SCHEDULE);
  if (schedules > SCHEDULES_PER_CONCERT) throw new RangeError(`${seats} seats need more than ${SCHEDULES_PER_CONCERT} schedules`);
  const startsAt = new Date(Date.now() + 30 * 24 * 3600_000);
  const response = await fetch(`${base}/concerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({
      title: 'Benchmark night',
      schedules: Array.from({ length: schedules }, (_, i) => ({
        startsAt: new Date(startsAt.getTime() + i * 3600_000).toISOString(),
        seatCount: SEATS_PER_SCHEDULE,
        price,
      })),
    }),
  });
  const body = (await response.json()) as { concertId: string; schedules: Array<{ scheduleId: string }> };
  if (response.status !== 201) throw new Error(`POST /concerts answered ${response.status}: ${JSON.stringify(body)}`);
  return { concertId: body.concertId, scheduleIds: body.schedules.map((s) => s.scheduleId), seatCount: SEATS_PER_SCHEDULE, price };
}
