import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get } from '../api.js';
import { go } from '../go.js';
import { useLoad } from '../load.js';
import { time } from '../format.js';

/** Health is re-read this often while the view is open: lag is worth watching move. */
const EVERY_MS = 5_000;

function useTicking(ms) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}

function Subscribers({ health }) {
  return html`<p>
      Status <span class="badge ${health.status}">${health.status}</span>
      ${` · event store ${health.eventStore.kind} ${health.eventStore.ok ? 'up' : 'down'} · read store ${health.readStore.kind} ${health.readStore.ok ? 'up' : 'down'} · parked `}
      <a href="#failures">${health.parked ?? '?'}</a>
    </p>
    <table class="subscribers">
      <thead><tr><th>Subscriber</th><th>Kind</th><th>Position</th><th>Head</th><th>Lag</th></tr></thead>
      <tbody>
        ${health.projections.map(
          (p) => html`<tr key=${p.name} class=${p.behind ? 'behind' : ''}>
            <td>${p.name}</td><td>${p.kind}</td><td>${p.position ?? '—'}</td><td>${p.head}</td><td>${p.lag} ${p.lagUnit}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
}

/** How a schedule stands: its free seats while OPEN; once cancelled, how far the cancellation has come. */
function standing(s) {
  if (s.status === 'CANCELLING') return `CANCELLING, ${s.refundsPending} refunds pending`;
  if (s.status === 'CANCELLED') return 'CANCELLED';
  return `${s.availableSeats}/${s.totalSeats} free`;
}

function SeatMap() {
  const concerts = useLoad(() => get('/concerts'), []);
  const [concertId, setConcertId] = useState('');
  const schedules = useLoad(concertId ? () => get(`/concerts/${concertId}/schedules`) : null, [concertId]);
  const [scheduleId, setScheduleId] = useState('');
  const seats = useLoad(scheduleId ? () => get(`/schedules/${scheduleId}/seats`) : null, [scheduleId]);
  useEffect(() => {
    if (!concertId && concerts.value?.length) setConcertId(concerts.value[0].concertId);
  }, [concerts.value]);
  useEffect(() => {
    setScheduleId(schedules.value?.[0]?.scheduleId ?? '');
  }, [schedules.value]);
  return html`<div class="filters">
      <label>Concert
        <select name="concert" value=${concertId} onChange=${(e) => setConcertId(e.target.value)}>
          ${(concerts.value ?? []).map((c) => html`<option value=${c.concertId}>${c.title}</option>`)}
        </select>
      </label>
      <label>Schedule
        <select name="schedule" value=${scheduleId} onChange=${(e) => setScheduleId(e.target.value)}>
          ${(schedules.value ?? []).map((s) => html`<option value=${s.scheduleId}>${time(s.startsAt)} (${standing(s)})</option>`)}
        </select>
      </label>
    </div>
    ${concerts.value?.length === 0 && html`<p class="empty">No concerts yet.</p>`}
    <div class="seats" aria-label="seat map">
      ${(seats.value ?? []).map(
        (seat) => html`<button type="button" key=${seat.seatNo} class="seat ${seat.status}" title="seat ${seat.seatNo}: ${seat.status}, ${seat.price} points"
          onClick=${() => go('streams', `seat-${scheduleId}_${seat.seatNo}`)}>${seat.seatNo}</button>`,
      )}
    </div>
    ${seats.value && html`<p class="legend"><span class="seat AVAILABLE">free</span> <span class="seat HELD">held</span> <span class="seat RESERVED">reserved</span> · a seat opens its stream</p>`}`;
}

export function Health() {
  const tick = useTicking(EVERY_MS);
  // /health answers 503 with the same body when a store is down: that is worth showing too.
  const health = useLoad(() => fetch('/health').then((r) => r.json()), [tick]);
  const ranking = useLoad(() => get('/rankings/sold-out?limit=10'), [tick]);
  return html`<h2>Health</h2>
    <div class="columns">
      <div>
        <h3>Subscribers</h3>
        ${health.value ? html`<${Subscribers} health=${health.value} />` : health.error ? html`<p class="error">${health.error.message}</p>` : null}
      </div>
      <div>
        <h3>Sold-out ranking</h3>
        ${ranking.value &&
        (ranking.value.length === 0
          ? html`<p class="empty">Nothing sold out yet.</p>`
          : html`<table class="ranking">
              <thead><tr><th>#</th><th>Concert</th><th>Sold out</th><th>In</th></tr></thead>
              <tbody>
                ${ranking.value.map((r) => html`<tr key=${r.scheduleId}><td>${r.rank}</td><td>${r.title}</td><td>${time(r.soldOutAt)}</td><td>${Math.round(r.durationMs / 1000)} s</td></tr>`)}
              </tbody>
            </table>`)}
        <h3>Seat map</h3>
        <${SeatMap} />
      </div>
    </div>`;
}
