import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get } from '../api.js';
import { go } from '../go.js';
import { useLoad } from '../load.js';
import { json, summary, time, tone } from '../format.js';

/**
 * Any stream's events with their data and metadata, and its aggregate's
 * state folded at a revision, as concertctl replay --to-revision shows it.
 */
function Stream({ streamId, onUnauthorized }) {
  const [revision, setRevision] = useState(null);
  const path = `/admin/streams/${encodeURIComponent(streamId)}${revision === null ? '' : `?toRevision=${revision}`}`;
  const { value: folded, error, loading } = useLoad(() => get(path), [path], onUnauthorized);
  const [open, setOpen] = useState(null);
  if (error) return html`<p class="error" role="alert">${error.message}</p>`;
  if (!folded) return loading ? html`<p class="status">Loading ${streamId}…</p>` : null;
  return html`<article class="stream">
    <div class="fold">
      <label>Fold to revision
        <input type="range" min="0" max=${folded.of} value=${folded.revision} onInput=${(e) => setRevision(Number(e.target.value))} />
        <input type="number" name="revision" min="0" max=${folded.of} value=${folded.revision} onChange=${(e) => setRevision(Number(e.target.value))} />
      </label>
      <span class="status" data-revision=${folded.revision}>State at revision ${folded.revision} of ${folded.of}</span>
      ${folded.revision !== folded.of ? html`<button type="button" class="quiet" onClick=${() => setRevision(null)}>Latest</button>` : null}
    </div>
    <div class="columns">
      <table class="events">
        <thead><tr><th>Rev</th><th>Position</th><th>Time</th><th>Type</th><th>Data</th><th></th></tr></thead>
        <tbody>
          ${folded.events.map(
            (event) => html`<tr key=${event.id} data-type=${event.type} class=${event.revision > folded.revision ? 'after' : ''}>
              <td>${event.revision}</td>
              <td>${event.position}</td>
              <td>${time(event.created)}</td>
              <td class=${tone(event.type)}><a href="#" onClick=${(e) => (e.preventDefault(), setOpen(open === event.id ? null : event.id))}>${event.type}</a></td>
              <td class="data">${summary(event.data)}${open === event.id ? html`<pre>${json({ data: event.data, metadata: event.metadata })}</pre>` : null}</td>
              <td><button type="button" class="quiet fold-here" onClick=${() => setRevision(event.revision)}>Fold here</button></td>
            </tr>`,
          )}
        </tbody>
      </table>
      <pre class="state" aria-label="folded state">${json(folded.state)}</pre>
    </div>
  </article>`;
}

export function Streams({ arg, onUnauthorized }) {
  const [streamId, setStreamId] = useState(arg);
  useEffect(() => setStreamId(arg), [arg]);
  return html`<h2>Streams</h2>
    <form class="filters" onSubmit=${(e) => (e.preventDefault(), streamId && go('streams', streamId))}>
      <label>Stream id <input name="stream" placeholder="seat-<scheduleId>_<seatNo>, payment-<paymentId>" value=${streamId} onInput=${(e) => setStreamId(e.target.value.trim())} /></label>
      <button type="submit">Open</button>
    </form>
    ${arg && html`<${Stream} key=${arg} streamId=${arg} onUnauthorized=${onUnauthorized} />`}`;
}
