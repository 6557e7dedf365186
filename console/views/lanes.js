import { html } from '../html.js';
import { tone } from '../format.js';

/**
 * A saga as a diagram: one lane per service, one row per event in global
 * order, an arrow from each event to the events it caused. The services
 * never call each other, so every arrow is an event that another lane
 * reacted to; compensations and failures stand out by colour.
 */

const LANES = ['queue', 'reservation', 'payment', 'point', 'dataplatform', 'ranking', 'concert'];
const LANE_WIDTH = 170;
const ROW = 46;
const BOX = { width: 156, height: 34 };
const TOP = 34;

export function Lanes({ events, selected, onSelect }) {
  const lanes = [...LANES, ...new Set(events.map((e) => e.service).filter((s) => !LANES.includes(s)))];
  const x = (service) => lanes.indexOf(service) * LANE_WIDTH + (LANE_WIDTH - BOX.width) / 2;
  const y = (index) => TOP + index * ROW;
  const row = new Map(events.map((event, index) => [event.id, index]));
  const width = lanes.length * LANE_WIDTH;
  const height = TOP + events.length * ROW + 8;
  return html`<svg class="lanes" viewBox="0 0 ${width} ${height}" width=${width} height=${height} role="img" aria-label="causation diagram across the service lanes">
    <defs>
      <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" class="arrowhead" /></marker>
    </defs>
    ${lanes.map(
      (lane, i) => html`<g key=${lane}>
        <rect class="lane" x=${i * LANE_WIDTH} y="0" width=${LANE_WIDTH} height=${height} />
        <text class="lane-name" x=${i * LANE_WIDTH + LANE_WIDTH / 2} y="20">${lane}</text>
      </g>`,
    )}
    ${events.map((event, index) => {
      const parent = event.parentId === null ? undefined : row.get(event.parentId);
      if (parent === undefined) return null;
      const from = events[parent];
      const x1 = x(from.service) + BOX.width / 2;
      const y1 = y(parent) + BOX.height;
      const x2 = x(event.service) + BOX.width / 2;
      const y2 = y(index);
      return html`<path key=${`edge-${event.id}`} class="edge" d="M${x1} ${y1} C${x1} ${y1 + 18}, ${x2} ${y2 - 18}, ${x2} ${y2}" marker-end="url(#arrow)" />`;
    })}
    ${events.map(
      (event, index) => html`<g
        key=${event.id}
        class="node ${tone(event.type)} ${event.compensation ? 'compensation' : ''} ${selected === event.id ? 'selected' : ''}"
        data-type=${event.type}
        transform="translate(${x(event.service)} ${y(index)})"
        onClick=${() => onSelect(event.id)}
      >
        <title>${event.type} in ${event.streamId}@${event.revision}, +${event.sinceMs} ms${event.compensation ? ' (compensation)' : ''}</title>
        <rect width=${BOX.width} height=${BOX.height} rx="5" />
        <text x="8" y="14" class="node-type">${event.compensation ? '↺ ' : event.viaTimer ? '⏱ ' : ''}${event.type}</text>
        <text x="8" y="28" class="node-time">+${event.sinceMs} ms · #${event.position}</text>
      </g>`,
    )}
  </svg>`;
}
