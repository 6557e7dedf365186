import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, post } from '../api.js';
import { useLoad } from '../load.js';
import { time } from '../format.js';

/**
 * Dead-lettered deliveries and parked reactions, with the redrives
 * concertctl makes: a dead letter becomes due now for the dataplatform
 * service; a parked event is handed to its reaction again, here and now.
 */
export function Failures({ onUnauthorized }) {
  const [round, setRound] = useState(0);
  const [notice, setNotice] = useState(null);
  const letters = useLoad(() => get('/admin/dead-letters'), [round], onUnauthorized);
  const parked = useLoad(() => get('/admin/parked'), [round], onUnauthorized);
  const refresh = () => setRound(round + 1);

  async function redrive(path, describe) {
    try {
      setNotice({ ok: true, text: describe(await post(path)) });
    } catch (error) {
      if (error.status === 401) onUnauthorized();
      setNotice({ ok: false, text: error.message });
    }
    refresh();
  }

  return html`<h2>Failures <button type="button" class="quiet" onClick=${refresh}>Refresh</button></h2>
    ${notice && html`<p class=${notice.ok ? 'notice' : 'error'} role=${notice.ok ? 'status' : 'alert'}>${notice.text}</p>`}
    <h3>Dead letters</h3>
    ${letters.error && html`<p class="error" role="alert">${letters.error.message}</p>`}
    ${letters.value &&
    (letters.value.length === 0
      ? html`<p class="empty dead-letters">No dead letters.</p>`
      : html`<table class="dead-letters">
          <thead><tr><th>Payment</th><th>User</th><th>Attempts</th><th>Last error</th><th>Dead-lettered</th><th></th></tr></thead>
          <tbody>
            ${letters.value.map(
              // A refunded payment may have two letters: its reservation's and its cancellation's.
              (letter) => html`<tr key=${`${letter.kind ?? 'reservation'}-${letter.paymentId}`} data-payment=${letter.paymentId} data-kind=${letter.kind ?? 'reservation'}>
                <td><a href="#sagas/${letter.paymentId}">${letter.paymentId}</a>${letter.kind === 'cancellation' ? ' (cancellation)' : ''}</td>
                <td>${letter.payload.userId}</td>
                <td>${letter.attempts}</td>
                <td>${letter.lastStatus ?? 'no answer'} ${letter.lastError ?? ''}</td>
                <td>${time(letter.deadLetteredAt)}</td>
                <td>
                  <button type="button" disabled=${letter.cancellationStatus !== undefined && letter.cancellationStatus !== 'WAITING'} title=${letter.cancellationStatus ? `its cancellation is ${letter.cancellationStatus}` : ''} onClick=${() =>
                    redrive(`/admin/dead-letters/${encodeURIComponent(letter.paymentId)}/redrive`, (r) => `Redriven ${r.paymentId}${r.kind ? ' (its cancellation)' : ''}: due ${time(r.dueAt)}; the dataplatform service sends it again.`)}>
                    Redrive
                  </button>
                </td>
              </tr>`,
            )}
          </tbody>
        </table>`)}
    <h3>Parked reactions</h3>
    ${parked.error && html`<p class="error" role="alert">${parked.error.message}</p>`}
    ${parked.value &&
    (parked.value.length === 0
      ? html`<p class="empty parked">No parked events.</p>`
      : html`<table class="parked">
          <thead><tr><th>Event</th><th>Service</th><th>Reaction</th><th>Attempts</th><th>Error</th><th>Parked</th><th></th></tr></thead>
          <tbody>
            ${parked.value.map(
              (entry) => html`<tr key=${`${entry.handler}-${entry.eventId}`}>
                <td><a href="#streams/${encodeURIComponent(entry.streamId)}">${entry.eventType} ${entry.streamId} #${entry.position}</a></td>
                <td>${entry.service}</td>
                <td>${entry.handler}</td>
                <td>${entry.attempts}</td>
                <td>${entry.error}${entry.lastRedrive ? html`<br /><em>redrive at ${time(entry.lastRedrive.redrivenAt)} failed too</em>` : null}</td>
                <td>${time(entry.parkedAt)}</td>
                <td>
                  <button type="button" onClick=${() =>
                    redrive(`/admin/parked/${encodeURIComponent(entry.eventId)}/redrive`, (outcomes) =>
                      outcomes.map((o) => `${o.handler}: ${o.outcome}${o.error ? ` (${o.error})` : ''}`).join('; '),
                    )}>
                    Redrive
                  </button>
                </td>
              </tr>`,
            )}
          </tbody>
        </table>`)}`;
}
