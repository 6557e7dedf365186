import type { QueueTokenExpiryReason } from './events.js';

/** A user asks for a place in line; `tokenId` is minted by the route, used only if a new token is issued. */
export type IssueToken = { type: 'IssueToken'; data: { tokenId: string; userId: string; now: string } };

/** The admission tick lets a waiting token in for `ttlMs`. */
export type Activate = { type: 'Activate'; data: { tokenId: string; now: string; ttlMs: number } };

/**
 * Ends the user's active token. Without `tokenId` it means whichever token is
 * active (a completed payment does not know which token its user holds).
 */
export type Expire = { type: 'Expire'; data: { tokenId?: string; now: string; reason: QueueTokenExpiryReason } };

export type QueueCommand = IssueToken | Activate | Expire;
