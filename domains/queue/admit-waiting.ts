import type { EventStore, Position } from '../../infra/eventstore/port.js';
import type { Collection, Where } from '../../infra/readstore/port.js';
import { handleCommand, load } from '../../bus/command.js';
import { Rejection } from '../../bus/decider.js';
import type { QueueTokenDoc } from '../../projections/queue-tokens.js';
import { admissionLine, admissionStream } from './admission-line.js';
import type { LineToken } from './events.js';

export interface AdmissionDeps {
  store: EventStore;
  /** The queue's line model (projections/queue-tokens.ts), which some projector keeps. */
  line: Pick<Collection<QueueTokenDoc>, 'count' | 'find'>;
  /** Resolves true once the line model includes `position`, false when it does not in time. */
  lineReached: (position: Position) => Promise<boolean>;
  maxActive: number;
  ttlMs: number;
}

/** Fresh views tried in one tick when other admitters keep deciding first; the next tick goes on. */
const MAX_VIEWS = 5;

export class LineBehindError extends Error {
  override readonly name = 'LineBehindError';
  constructor(readonly position: Position) {
    super(`the line model has not reached the latest admission decision (position ${position}); not admitting from a stale line`);
  }
}

/**
 * One admission tick: let the next waiting tokens in, as many as there are
 * free slots, as one decision on the admission line. Returns the tokens this
 * call admitted (none when there is no room, nobody waits, or other admitters
 * kept deciding first).
 *
 * Why this is safe with any number of admitters:
 * - the free slots are counted on the line model only once it includes the
 *   line's latest decision, so every token admitted so far is ADMITTED,
 *   ACTIVE or EXPIRED there; events after that point can only free slots
 *   (expiries) or turn ADMITTED into ACTIVE, never take one;
 * - the decision is appended with the line's expected revision, and says how
 *   many decisions its view included: a decision made in between makes it
 *   fail (LINE_MOVED), and it is made again from a fresh view;
 * - it takes only tokens issued after the last admitted one, in issue order.
 *   The model applies the log in order, so once it shows a token it shows
 *   every token issued before it: none is skipped, none admitted twice.
 */
export async function admitWaiting(deps: AdmissionDeps, now: Date): Promise<LineToken[]> {
  const { store, line } = deps;
  for (let view = 1; view <= MAX_VIEWS; view++) {
    const { state, revision } = await load(store, admissionLine, admissionStream);
    if (revision >= 0) {
      const [latest] = await store.readStream(admissionStream, { fromRevision: revision, maxCount: 1 });
      if (!latest) throw new Error(`${admissionStream} has no event at its revision ${revision}`);
      if (!(await deps.lineReached(latest.position))) throw new LineBehindError(latest.position);
    }
    // ADMITTED is counted before ACTIVE: a token activated between the two
    // counts is then counted twice (one slot too careful, for one tick), never
    // missed (one slot too many, for good).
    const admitted = await line.count({ status: 'ADMITTED' });
    const active = await line.count({ status: 'ACTIVE' });
    const free = deps.maxActive - admitted - active;
    if (free <= 0) return [];
    const where: Where = { status: 'WAITING' };
    if (state.lastAdmitted !== null) where.issuedPosition = { gt: state.lastAdmitted };
    const waiting = await line.find({ where, sort: [['issuedPosition', 'asc']], limit: free });
    if (waiting.length === 0) return [];
    try {
      const result = await handleCommand(
        store,
        admissionLine,
        admissionStream,
        {
          type: 'Admit',
          data: {
            after: state.decisions,
            taken: admitted + active,
            maxActive: deps.maxActive,
            waiting: waiting.map(({ tokenId, userId, issuedPosition }) => ({ tokenId, userId, issuedPosition })),
            ttlMs: deps.ttlMs,
            now: now.toISOString(),
          },
        },
        // The store's conflict becomes LINE_MOVED on the next load: no blind retries of a stale view.
        { maxAttempts: 2, service: 'queue' },
      );
      return result.events.flatMap((event) => event.data.tokens);
    } catch (error) {
      if (error instanceof Rejection && error.code === 'LINE_MOVED') continue;
      throw error;
    }
  }
  return [];
}
