/** Starts the clock for a schedule: what it sells and since when. */
export type Open = {
  type: 'Open';
  data: { scheduleId: string; concertId: string; title: string; seatCount: number; bookingOpensAt: string };
};

/** One paid seat. */
export type CountSale = { type: 'CountSale'; data: { scheduleId: string; paymentId: string; seatNo: number; paidAt: string } };

export type RankingCommand = Open | CountSale;
