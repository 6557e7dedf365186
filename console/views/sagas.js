import { useEffect, useState } from 'preact/hooks';
import { useLoad } from '../load.js';
import { html } from '../html.js';
import { get } from '../api.js';
import { go } from '../go.js';
import { json, summary, time, tone } from '../format.js';
import { Lanes } from './lanes.js';

const REF_FIELDS = ['paymentId', 'reservationId', 'userId', 'concertId', 'scheduleId', 'seatNo', 'amount'];

function Saga({ id, onUnauthorized }) {
  const { value: saga, error, loading } = useLoad(() => get(`/admin/sagas/${encodeURIComponent(id)}`), [id], onUnauthorized);
  const [selected, setSelected] = useState(null);
  if (loading) return html`<p class="status">Loading the saga…</p>`;
  if (error) return html`<p class="error" role="alert">${error.message}</p>`;
  if (!saga) return null;
  const { outcome } = saga;
  const chosen = saga.events.find((event) => event.id === selected);
  return html`<article class="saga">
    <h3>
      Saga ${saga.id} <span class="badge ${outcome.status}" data-outcome=${outcome.status}>${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ''}</span>
    </h3>
    <dl class="ref">
      ${REF_FIELDS.filter((field) => saga.ref[field] !== undefined).map((field) => html`<dt>${field}</dt><dd>${saga.ref[field]}</dd>`)}
      <dt>events</dt><dd>${saga.events.length} over ${saga.durationMs} ms</dd>
      ${outcome.at && html`<dt>ended</dt><dd>${time(outcome.at)}</dd>`}
      <dt>compensations</dt><dd class="compensations">${outcome.compensations.length ? outcome.compensations.join(', ') : 'none'}</dd>
      <dt>data platform</dt><dd class="delivery">${outcome.delivery ?? 'no delivery'}</dd>
    </dl>
    <div class="diagram"><${Lanes} events=${saga.events} selected=${selected} onSelect=${setSelected} /></div>
    ${chosen &&
    html`<div class="detail">
      <h4>${chosen.type} <a href="#streams/${encodeURIComponent(chosen.streamId)}">${chosen.streamId}@${chosen.revision}</a></h4>
      <pre>${json({ data: chosen.data, metadata: chosen.metadata })}</pre>
    </div>`}
    <table class="events">
      <thead><tr><th>Time</th><th>Since cause</th><th>Service</th><th>Type</th><th>Stream</th><th>Data</th></tr></thead>
      <tbody>
        ${saga.events.map(
          (event) => html`<tr key=${event.id} data-type=${event.type} class=${event.compensation ? 'compensation' : ''}>
            <td>${time(event.created)}</td>
            <td>+${event.sinceMs} ms</td>
            <td>${event.service}</td>
            <td class=${tone(event.type)} style="padding-left: ${0.5 + event.depth}em">${event.compensation ? '↺ ' : ''}${event.type}</td>
            <td><a href="#streams/${encodeURIComponent(event.streamId)}">${event.streamId}@${event.revision}</a></td>
            <td class="data">${summary(event.data, REF_FIELDS)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </article>`;
}

export function Sagas({ arg, onUnauthorized }) {
  const [query, setQuery] = useState(arg);
  const [search, setSearch] = useState(null);
  const { value: found, error } = useLoad(search && (() => get(`/admin/sagas?q=${encodeURIComponent(search)}`)), [search], onUnauthorized);
  useEffect(() => setQuery(arg), [arg]);
  function submit(event) {
    event.preventDefault();
    if (query) setSearch(query);
  }
  return html`<h2>Sagas</h2>
    <form class="filters" onSubmit=${submit}>
      <label>Payment, reservation or user id <input name="q" value=${query} onInput=${(e) => setQuery(e.target.value.trim())} /></label>
      <button type="submit">Find</button>
    </form>
    ${error && html`<p class="error" role="alert">${error.message}</p>`}
    ${found &&
    (found.length === 0
      ? html`<p class="status">No payment for ${search}${search !== arg ? html` — <a href="#sagas/${encodeURIComponent(search)}">trace it as a correlation id</a>` : ''}.</p>`
      : html`<table class="payments">
          <thead><tr><th>Payment</th><th>User</th><th>Seat</th><th>Amount</th><th>Status</th><th>Requested</th></tr></thead>
          <tbody>
            ${found.map(
              (payment) => html`<tr key=${payment.paymentId}>
                <td><a href="#sagas/${payment.paymentId}" onClick=${(e) => (e.preventDefault(), go('sagas', payment.paymentId))}>${payment.paymentId}</a></td>
                <td>${payment.userId}</td>
                <td>${payment.scheduleId ? `${payment.scheduleId.slice(0, 8)}… #${payment.seatNo}` : ''}</td>
                <td>${payment.amount}</td>
                <td class="badge ${payment.status}">${payment.status}</td>
                <td>${time(payment.requestedAt)}</td>
              </tr>`,
            )}
          </tbody>
        </table>`)}
    ${arg && html`<${Saga} key=${arg} id=${arg} onUnauthorized=${onUnauthorized} />`}`;
}

