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

export const queueEventTypes = [
  'QueueTokenIssued',
  'QueueTokenActivated',
  'QueueTokenExpired',
] as const satisfies readonly QueueEvent['type'][];
