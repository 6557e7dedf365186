import t from 'tap';
import { fold } from '../../../bus/decider.js';
import type { RankingEvent } from '../../../domains/ranking/events.js';
import { rankingStream, sellout } from '../../../domains/ranking/sellout.js';
import { given } from '../../support/given.js';

const scheduleId = 's-1';
const opensAt = '2030-01-01T10:00:00.000Z';
const schedule = { scheduleId, concertId: 'c-1', title: 'Night Show', seatCount: 3, bookingOpensAt: opensAt };
const at = (seconds: number) => new Date(Date.parse(opensAt) + seconds * 1000).toISOString();

const opened: RankingEvent = { type: 'RankingOpened', data: schedule };
const counted = (seatNo: number, paidSeats: number, paidAt = at(seatNo)): RankingEvent => ({
  type: 'SeatSaleCounted',
  data: { scheduleId, paymentId: `pay-${seatNo}`, seatNo, paidSeats, paidAt },
});
const sale = (seatNo: number, paidAt = at(seatNo)) =>
  ({ type: 'CountSale', data: { scheduleId, paymentId: `pay-${seatNo}`, seatNo, paidAt } }) as const;
const soldOut = (soldOutAt: string): RankingEvent => ({
  type: 'ScheduleSoldOut',
  data: {
    scheduleId,
    concertId: 'c-1',
    title: 'Night Show',
    bookingOpenedAt: opensAt,
    soldOutAt,
    durationMs: Date.parse(soldOutAt) - Date.parse(opensAt),
  },
});

t.test('stream and category', async (t) => {
  t.equal(sellout.category, 'ranking');
  t.equal(rankingStream('s-9'), 'ranking-s-9');
});

t.test('Open', async (t) => {
  t.test('opens once', async (t) => {
    given(t, sellout, []).when({ type: 'Open', data: schedule }).then([opened]);
    given(t, sellout, [opened]).when({ type: 'Open', data: schedule }).thenNothing('a second opening changes nothing');
  });
});

t.test('CountSale', async (t) => {
  t.test('counts a paid seat', async (t) => {
    given(t, sellout, [opened]).when(sale(1)).then([counted(1, 1)]);
    given(t, sellout, [opened, counted(1, 1)]).when(sale(2)).then([counted(2, 2)]);
  });

  t.test('each seat counts once', async (t) => {
    given(t, sellout, [opened, counted(1, 1)]).when(sale(1, at(30))).thenNothing();
  });

  t.test('the last seat sells the schedule out, with the time since booking opened', async (t) => {
    given(t, sellout, [opened, counted(1, 1), counted(2, 2)])
      .when(sale(3, at(42)))
      .then([counted(3, 3, at(42)), soldOut(at(42))]);
  });

  t.test('a one-seat schedule sells out with its first sale', async (t) => {
    const single = { ...schedule, seatCount: 1 };
    const openedSingle: RankingEvent = { type: 'RankingOpened', data: single };
    const events = sellout.decide(sale(1, at(5)), fold(sellout, [openedSingle]));
    t.same(events.map((e) => e.type), ['SeatSaleCounted', 'ScheduleSoldOut']);
    t.equal(events[1]?.type === 'ScheduleSoldOut' && events[1].data.durationMs, 5000);
  });

  t.test('sold out once: a later duplicate seat changes nothing', async (t) => {
    given(t, sellout, [opened, counted(1, 1), counted(2, 2), counted(3, 3), soldOut(at(3))]).when(sale(3)).thenNothing();
  });

  t.test('a sale past sold out (a seat beyond the count) never sells out twice', async (t) => {
    given(t, sellout, [opened, counted(1, 1), counted(2, 2), counted(3, 3), soldOut(at(3))])
      .when(sale(4))
      .then([counted(4, 4)]);
  });

  t.test('the sell-out is dated by the latest payment, whatever order the sales came in', async (t) => {
    given(t, sellout, [opened, counted(1, 1, at(50)), counted(2, 2, at(10))])
      .when(sale(3, at(40)))
      .then([counted(3, 3, at(40)), soldOut(at(50))]);
  });
});

t.test('sales before the opening (cannot happen in one ordered subscription, handled anyway)', async (t) => {
  t.test('are counted', async (t) => {
    given(t, sellout, []).when(sale(1)).then([counted(1, 1)]);
  });

  t.test('do not sell out without knowing the seat count', async (t) => {
    given(t, sellout, [counted(1, 1), counted(2, 2)]).when(sale(3, at(9))).then([counted(3, 3, at(9))]);
  });

  t.test('an opening that finds the schedule full sells it out at the latest payment', async (t) => {
    given(t, sellout, [counted(1, 1, at(7)), counted(2, 2, at(9)), counted(3, 3, at(8))])
      .when({ type: 'Open', data: schedule })
      .then([opened, soldOut(at(9))]);
  });

  t.test('an opening that finds it partly sold just opens, and the rest continues from there', async (t) => {
    given(t, sellout, [counted(1, 1)]).when({ type: 'Open', data: schedule }).then([opened]);
    given(t, sellout, [counted(1, 1), opened, counted(3, 2)]).when(sale(2, at(20))).then([counted(2, 3, at(20)), soldOut(at(20))]);
  });
});

t.test('evolve', async (t) => {
  const state = fold(sellout, [opened, counted(2, 1, at(4)), counted(1, 2, at(3))]);
  t.equal(state.paidSeats, 2);
  t.equal(state.lastPaidAt, at(4));
  t.equal(state.soldOut, false);
  t.same(state.schedule, schedule);
  t.equal(fold(sellout, [opened, counted(1, 1), counted(2, 2), counted(3, 3), soldOut(at(3))]).soldOut, true);

  // Counting 1,000 seats stays linear: a fold per sale must not copy what came before.
  const big = { ...schedule, seatCount: 1000 };
  let s = fold(sellout, [{ type: 'RankingOpened', data: big }]);
  const history: RankingEvent[] = [{ type: 'RankingOpened', data: big }];
  for (let seat = 1; seat <= 1000; seat += 1) {
    for (const event of sellout.decide(sale(seat, at(seat)), s)) {
      s = sellout.evolve(s, event);
      history.push(event);
    }
  }
  t.equal(s.paidSeats, 1000);
  t.equal(s.soldOut, true);
  t.same(history.at(-1), soldOut(at(1000)), 'sold out with the last seat');
  t.same(fold(sellout, history), s, 'folding the history gives the same state');
});
