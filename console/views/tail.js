import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { follow } from '../api.js';
import { go } from '../go.js';
import { summary, time, tone } from '../format.js';

/** Rows kept on screen: the oldest go first, so a long tail costs the browser nothing more. */
const KEEP = 500;

export function Tail({ onUnauthorized }) {
  const [filters, setFilters] = useState({ category: '', type: '', correlation: '' });
  const [rows, setRows] = useState([]);
  const [status, setStatus] = useState({ state: 'idle' });
  const stop = useRef(null);

  function start(event) {
    event?.preventDefault();
    stop.current?.abort();
    const abort = new AbortController();
    stop.current = abort;
    setRows([]);
    setStatus({ state: 'connecting' });
    const keep = (row) => setRows((current) => [row, ...current].slice(0, KEEP));
    follow(
      filters,
      {
        onReady: ({ after }) => setStatus({ state: 'following', after }),
        onEvent: (record) => keep({ kind: 'event', key: record.position, record }),
        onSkipped: (skipped) => keep({ kind: 'skipped', key: `skipped-${Date.now()}-${skipped}`, skipped }),
      },
      abort.signal,
    )
      .then(() => !abort.signal.aborted && setStatus({ state: 'ended' }))
      .catch((error) => {
        if (abort.signal.aborted) return;
        if (error.status === 401) onUnauthorized();
        setStatus({ state: 'error', message: error.message });
      });
  }

  useEffect(() => () => stop.current?.abort(), []);
  const field = (name, label, placeholder) =>
    html`<label>${label} <input name=${name} placeholder=${placeholder} value=${filters[name]} onInput=${(e) => setFilters({ ...filters, [name]: e.target.value.trim() })} /></label>`;

  return html`<h2>Live tail</h2>
    <form class="filters" onSubmit=${start}>
      ${field('category', 'Categories', 'payment,seat')} ${field('type', 'Event types', 'PaymentFailed,SeatReleased')}
      ${field('correlation', 'Correlation', 'a paymentId or reservationId')}
      <button type="submit">Follow</button>
      ${status.state === 'following' || status.state === 'connecting'
        ? html`<button type="button" class="quiet" onClick=${() => (stop.current?.abort(), setStatus({ state: 'stopped' }))}>Stop</button>`
        : null}
    </form>
    <p class="status" data-state=${status.state} role=${status.state === 'error' ? 'alert' : 'status'}>
      ${{
        idle: 'Choose filters (all optional) and follow: new events appear at the top.',
        connecting: 'Connecting…',
        following: `Following new events after position ${status.after ?? 0}.`,
        stopped: 'Stopped.',
        ended: 'The server ended the stream.',
        error: status.message,
      }[status.state]}
    </p>
    <table class="events tail">
      <thead><tr><th>Position</th><th>Time</th><th>Stream</th><th>Type</th><th>Data</th></tr></thead>
      <tbody>
        ${rows.map((row) =>
          row.kind === 'skipped'
            ? html`<tr key=${row.key} class="skipped"><td colspan="5">${row.skipped} events skipped: the browser read slower than they came</td></tr>`
            : html`<tr key=${row.key} data-type=${row.record.type}>
                <td>${row.record.position}</td>
                <td>${time(row.record.created)}</td>
                <td><a href="#streams/${encodeURIComponent(row.record.streamId)}">${row.record.streamId}@${row.record.revision}</a></td>
                <td class=${tone(row.record.type)}>${row.record.type}</td>
                <td class="data">
                  ${row.record.metadata.correlationId
                    ? html`<a class="saga-link" href="#" onClick=${(e) => (e.preventDefault(), go('sagas', row.record.metadata.correlationId))}>saga</a> `
                    : null}
                  ${summary(row.record.data)}
                </td>
              </tr>`,
        )}
      </tbody>
    </table>`;
}
