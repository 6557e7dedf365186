import { Rejection, type Aggregate } from '../../bus/decider.js';
import { positionFromKey } from '../../infra/readstore/position-key.js';
import { admit } from './admission.js';
import type { Admit, AdmissionLineCommand } from './commands.js';
import type { AdmissionLineEvent, LineToken } from './events.js';

/**
 * The admission line (one stream, `admission-line`): the sequence of admission
 * decisions, whichever queue instance made them. Every instance ticks; each
 * decision is appended with the stream's expected revision, so of two
 * instances deciding from the same view one wins and the other decides again
 * from a view that includes the winner's decision.
 */
export interface AdmissionLineState {
  /** How many decisions the stream holds. */
  decisions: number;
  /**
   * The issue position key of the last token admitted: a decision only takes
   * tokens issued after it, so no token is admitted twice and none jumps the line.
   */
  lastAdmitted: string | null;
  /** When the last decision admitted its tokens (ISO-8601), or null before the first. */
  lastAdmittedAt: string | null;
}

/** The category cannot collide with `queue-{userId}`: a user id is never the line's stream. */
export const ADMISSION_CATEGORY = 'admission';
export const admissionStream = `${ADMISSION_CATEGORY}-line`;

/** Position keys are fixed-width digits: as strings they compare exactly as the positions do. */
const issuedAfter = (token: LineToken, last: string | null) => last === null || token.issuedPosition > last;

function decideAdmit({ data }: Admit, state: AdmissionLineState): AdmissionLineEvent[] {
  if (!Number.isInteger(data.ttlMs) || data.ttlMs < 1) {
    throw new Rejection('invalid', 'INVALID_TTL', `ttlMs must be a positive integer, got ${data.ttlMs}`);
  }
  if (!Number.isInteger(data.maxActive) || data.maxActive < 1 || !Number.isInteger(data.taken) || data.taken < 0) {
    throw new Rejection('invalid', 'INVALID_SLOTS', `maxActive ${data.maxActive} and taken ${data.taken} must be whole numbers, maxActive at least 1`);
  }
  // The free slots were counted on a line that did not include the newer
  // decisions: they may have spent those slots already. Decide again from a fresh view.
  if (data.after !== state.decisions) {
    throw new Rejection('conflict', 'LINE_MOVED', `the view includes ${data.after} admission decisions, the line holds ${state.decisions}`);
  }
  const candidates = data.waiting.filter((token) => issuedAfter(token, state.lastAdmitted));
  const chosen = admit(
    { waiting: candidates.map((token) => ({ ...token, position: positionFromKey(token.issuedPosition) })), active: data.taken },
    data.maxActive,
  );
  if (chosen.length === 0) return [];
  const byId = new Map(candidates.map((token) => [token.tokenId, token]));
  const tokens = chosen.map(({ tokenId }) => {
    const token = byId.get(tokenId);
    if (!token) throw new Error(`admit chose ${tokenId}, which was not a candidate`);
    return { tokenId: token.tokenId, userId: token.userId, issuedPosition: token.issuedPosition };
  });
  // Admitters tick on their own clocks, and one that loses a race decides
  // again with the time its tick began: a decision is never dated before the
  // one it follows, so a token admitted later never expires before one admitted earlier.
  const admittedAt = state.lastAdmittedAt !== null && state.lastAdmittedAt > data.now ? state.lastAdmittedAt : data.now;
  return [{ type: 'QueueTokensAdmitted', data: { tokens, admittedAt, ttlMs: data.ttlMs } }];
}

export const admissionLine: Aggregate<AdmissionLineState, AdmissionLineCommand, AdmissionLineEvent> = {
  category: ADMISSION_CATEGORY,
  initialState: () => ({ decisions: 0, lastAdmitted: null, lastAdmittedAt: null }),
  decide(command, state) {
    switch (command.type) {
      case 'Admit':
        return decideAdmit(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'QueueTokensAdmitted': {
        // Tokens of one decision are in issue order; the max keeps that true even for a hand-written event.
        const last = event.data.tokens.reduce<string | null>((max, t) => (max === null || t.issuedPosition > max ? t.issuedPosition : max), state.lastAdmitted);
        return { decisions: state.decisions + 1, lastAdmitted: last, lastAdmittedAt: event.data.admittedAt };
      }
    }
  },
};
