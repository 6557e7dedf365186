import type { DomainEvent } from '../../bus/decider.js';

/** A user's tokens over time (stream `queue-{userId}`): at most one is live, and only the last. */

export type QueueTokenIssued = DomainEvent<'QueueTokenIssued', { tokenId: string; userId: string; issuedAt: string }>;

export type QueueTokenActivated = DomainEvent<
  'QueueTokenActivated',
  { tokenId: string; userId: string; activatedAt: string; expiresAt: string }
>;

export type QueueTokenExpiryReason = 'TTL' | 'PAYMENT_COMPLETED';

export type QueueTokenExpired = DomainEvent<
  'QueueTokenExpired',
  { tokenId: string; userId: string; expiredAt: string; reason: QueueTokenExpiryReason }
>;

export type QueueEvent = QueueTokenIssued | QueueTokenActivated | QueueTokenExpired;

/** A token as the admission line names it: who, and where its QueueTokenIssued sits in $all (a position key). */
export interface LineToken {
  tokenId: string;
  userId: string;
  /** The position key (fixed-width digits) of the token's issue: the order of the line, as the line model stores it. */
  issuedPosition: string;
}

/**
 * One admission decision (stream `admission-line`): these tokens, the next in
 * issue order, take free slots from `admittedAt` for `ttlMs`. The decision,
 * not the per-user activations it causes, is what the active limit is
 * checked against: it is appended with the line's expected revision, so two
 * admitters cannot both spend the same free slots.
 */
export type QueueTokensAdmitted = DomainEvent<'QueueTokensAdmitted', { tokens: LineToken[]; admittedAt: string; ttlMs: number }>;

export type AdmissionLineEvent = QueueTokensAdmitted;

/** Every event the queue service writes: its users' tokens and its admission line. */
export type QueueServiceEvent = QueueEvent | AdmissionLineEvent;

export const queueEventTypes = [
  'QueueTokenIssued',
  'QueueTokenActivated',
  'QueueTokenExpired',
  'QueueTokensAdmitted',
] as const satisfies readonly QueueServiceEvent['type'][];
