import { FORWARDS, START, type EventStoreDBClient, type ResolvedEvent } from '@eventstore/db-client';
import { StreamNotFoundError } from './errors.js';
import { isSystemType, packPosition, toRecorded, translate } from './esdb-mapping.js';
import type { RecordedEvent } from './port.js';

/**
 * One saga's events from the server's `$by_correlation_id` system projection,
 * which links every event carrying `$correlationId` (see esdb-mapping.ts)
 * into the stream `$bc-<correlationId>`.
 *
 * What the projection cannot tell, and the callers must know:
 * - it writes its links behind $all, so an event appended a moment ago may
 *   not be linked yet;
 * - events written before the `$correlationId` convention carry our own
 *   `correlationId` name and were never linked.
 */
export const correlationStream = (correlationId: string) => `$bc-${correlationId}`;

/**
 * The links, resolved, as the port's events. Each position is the original
 * event's own $all position: with `resolveLinkTos` the client hands the
 * original as `event` and the link as `link`, and each record carries its own
 * (commit, prepare) pair, so `event.position` is where the event sits in $all
 * while `link.position` is where the projection wrote the link, later.
 *
 * Servers before 22.6 send no positions on stream reads: then the answer is
 * null, and the caller reads $all instead (a position of 0 would break every
 * comparison the port promises). Unresolvable links (the original deleted or
 * truncated) come back as the link record itself and are left out, as $all no
 * longer has their event; so are system records, which $all reads leave out too.
 */
export function fromCorrelationLinks(correlationId: string, resolved: readonly ResolvedEvent[]): RecordedEvent[] | null {
  const events: RecordedEvent[] = [];
  for (const { event } of resolved) {
    if (!event || event.streamId.startsWith('$') || isSystemType(event.type)) continue;
    if (!event.position) return null;
    const recorded = toRecorded(event, packPosition(event.position));
    // The projection links by the server's name; the port's promise is about ours, so it is checked on what comes back.
    if (recorded.metadata.correlationId === correlationId) events.push(recorded);
  }
  // Links are written in $all order, but a projection reset rewrites them: sorting keeps the promise whatever happened.
  events.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  return events.filter((event, i) => i === 0 || event.position !== events[i - 1]!.position);
}

/** The correlation's events; or why the server could not give them: no `$bc-` stream, or no positions. */
export async function readCorrelationStream(
  client: EventStoreDBClient,
  correlationId: string,
): Promise<RecordedEvent[] | 'no-stream' | 'no-positions'> {
  const streamId = correlationStream(correlationId);
  const resolved: ResolvedEvent[] = [];
  try {
    for await (const event of client.readStream(streamId, { direction: FORWARDS, fromRevision: START, resolveLinkTos: true })) {
      resolved.push(event);
    }
  } catch (error) {
    const translated = translate(error, streamId);
    if (translated instanceof StreamNotFoundError) return 'no-stream';
    throw translated;
  }
  return fromCorrelationLinks(correlationId, resolved) ?? 'no-positions';
}
