import type { RushSchedule } from '../load/rush-users.js';

/** Registers one concert of `schedules` × `seats` over HTTP as the admin, bookings open now; returns what the users need to know. */
export async function registerConcert(
  url: string,
  adminToken: string,
  shape: { title: string; schedules: number; seats: number; price: number },
): Promise<RushSchedule[]> {
  const startsAt = new Date(Date.now() + 30 * 24 * 3_600_000);
  const response = await fetch(`${url}/concerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({
      title: shape.title,
      schedules: Array.from({ length: shape.schedules }, (_, i) => ({
        startsAt: new Date(startsAt.getTime() + i * 3_600_000).toISOString(),
        seatCount: shape.seats,
        price: shape.price,
      })),
    }),
  });
  const body = (await response.json()) as { schedules?: Array<{ scheduleId: string; seatCount: number; price: number }> };
  if (response.status !== 201 || !body.schedules) throw new Error(`POST /concerts answered ${response.status}: ${JSON.stringify(body)}`);
  return body.schedules.map(({ scheduleId, seatCount, price }) => ({ scheduleId, seatCount, price }));
}
