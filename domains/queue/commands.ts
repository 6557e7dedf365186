import type { LineToken, QueueTokenExpiryReason } from './events.js';

/** A user asks for a place in line; `tokenId` is minted by the route, used only if a new token is issued. */
export type IssueToken = { type: 'IssueToken'; data: { tokenId: string; userId: string; now: string } };

/** An admission decision lets a waiting token in for `ttlMs` from `now` (the decision's time). */
export type Activate = { type: 'Activate'; data: { tokenId: string; now: string; ttlMs: number } };

/**
 * Ends the user's active token. Without `tokenId` it means whichever token is
 * active (a completed payment does not know which token its user holds).
 */
export type Expire = { type: 'Expire'; data: { tokenId?: string; now: string; reason: QueueTokenExpiryReason } };

export type QueueCommand = IssueToken | Activate | Expire;

/**
 * The admission tick's view of the line, to decide who is let in next. The
 * view is only worth something if it includes every earlier decision: `after`
 * is how many decisions the line model had applied when it was read.
 */
export type Admit = {
  type: 'Admit';
  data: {
    after: number;
    /** Slots the view shows taken: tokens ADMITTED (decided, not yet activated) or ACTIVE. */
    taken: number;
    maxActive: number;
    /** WAITING tokens of the view in issue order, from the first one after the last admitted. */
    waiting: LineToken[];
    ttlMs: number;
    now: string;
  };
};

export type AdmissionLineCommand = Admit;
