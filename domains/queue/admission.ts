/** Who gets in next, and how long the rest will wait: pure functions for the admission decision and the token route. */

/** A global store position (bigint) or a number read back from a read model. */
export type LinePosition = bigint | number;

export interface WaitingToken {
  tokenId: string;
  userId: string;
  /** Shown, never ordered by (see admit). */
  issuedAt?: string;
  /** The global position of the QueueTokenIssued event: the order of issue across all users. */
  position: LinePosition;
}

export interface Line {
  waiting: readonly WaitingToken[];
  /** How many tokens are ACTIVE now. */
  active: number;
}

const byPosition = (a: WaitingToken, b: WaitingToken) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0);

/**
 * The waiting tokens to activate now, in the order they were issued, as many
 * as there are free slots. Issue time is not the order: clocks of several
 * instances disagree, the store's global position does not.
 */
export function admit(line: Line, maxActive: number): Array<{ tokenId: string; userId: string }> {
  const free = Math.max(0, Math.floor(maxActive) - line.active);
  if (free === 0) return [];
  return [...line.waiting]
    .sort(byPosition)
    .slice(0, free)
    .map(({ tokenId, userId }) => ({ tokenId, userId }));
}

export type Timestamp = number | string | Date;

const toMs = (time: Timestamp) => (time instanceof Date ? time.getTime() : typeof time === 'number' ? time : Date.parse(time));

/**
 * Estimated wait for the token at `positionInLine` (1 = admitted next), from
 * the admission rate over the last `windowMs`.
 *
 * The rate counts admissions after the oldest one in the window, over the time
 * from that oldest one to now: a steady tick gives its true rate, a single
 * batch gives no rate at all (null: unknown, not "zero wait"), and a line that
 * has stopped moving sees its rate fall as time passes.
 */
export function etaMs(
  positionInLine: number,
  recentAdmissions: readonly Timestamp[],
  now: Timestamp,
  windowMs = 60_000,
): number | null {
  if (positionInLine < 1) return 0;
  const end = toMs(now);
  const times = recentAdmissions.map(toMs).filter((time) => Number.isFinite(time) && time <= end && time > end - windowMs);
  if (times.length === 0) return null;
  const oldest = Math.min(...times);
  return etaFromRate(positionInLine, { oldest, admittedSince: times.filter((time) => time > oldest).length }, now);
}

/** The admissions of the window in summary: the oldest one, and how many came after it. */
export interface AdmissionRate {
  oldest: Timestamp;
  admittedSince: number;
}

/** The same estimate from a summary, which a read model can give with two indexed look-ups instead of every admission. */
export function etaFromRate(positionInLine: number, rate: AdmissionRate, now: Timestamp): number | null {
  if (positionInLine < 1) return 0;
  const elapsed = toMs(now) - toMs(rate.oldest);
  if (rate.admittedSince === 0 || elapsed <= 0) return null;
  return Math.ceil((positionInLine * elapsed) / rate.admittedSince);
}
