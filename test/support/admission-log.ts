import type { Test } from 'tap';
import type { EventStore, Position } from '../../infra/eventstore/port.js';
import { allEvents } from '../../infra/inspect/all-events.js';
import { isEvent } from '../../bus/decider.js';
import type { QueueServiceEvent } from '../../domains/queue/events.js';

/** What the whole log says about the waiting line, walked position by position. */
export interface AdmissionLog {
  issueOrder: string[];
  /** Tokens in the order the admission decisions named them. */
  admissionOrder: string[];
  activatedAt: Map<string, string>;
  /** The most tokens ACTIVE at any one position. */
  mostActive: number;
  /** The most admitted and not yet expired at any one position: what the decisions are checked against. */
  mostHolding: number;
  violations: string[];
}

/**
 * Walks every event of the store once, in order, and checks the admission
 * rules at each position: a token is admitted once, activated once and only
 * after its decision, at the decision's time, and never more than
 * `maxActive` are ACTIVE at once.
 */
export async function walkAdmissions(store: EventStore, maxActive: number): Promise<AdmissionLog> {
  const log: AdmissionLog = { issueOrder: [], admissionOrder: [], activatedAt: new Map(), mostActive: 0, mostHolding: 0, violations: [] };
  const decisionOf = new Map<string, { position: Position; admittedAt: string }>();
  const active = new Set<string>();
  const holding = new Set<string>();
  for await (const event of allEvents(store)) {
    if (isEvent<QueueServiceEvent, 'QueueTokenIssued'>(event, 'QueueTokenIssued')) log.issueOrder.push(event.data.tokenId);
    if (isEvent<QueueServiceEvent, 'QueueTokensAdmitted'>(event, 'QueueTokensAdmitted')) {
      for (const { tokenId } of event.data.tokens) {
        if (decisionOf.has(tokenId)) log.violations.push(`${tokenId} admitted twice`);
        decisionOf.set(tokenId, { position: event.position, admittedAt: event.data.admittedAt });
        log.admissionOrder.push(tokenId);
        holding.add(tokenId);
      }
    }
    if (isEvent<QueueServiceEvent, 'QueueTokenActivated'>(event, 'QueueTokenActivated')) {
      const { tokenId } = event.data;
      const decision = decisionOf.get(tokenId);
      if (!decision) log.violations.push(`${tokenId} activated at ${event.position} without an admission before it`);
      else if (decision.admittedAt !== event.data.activatedAt) log.violations.push(`${tokenId} activated at ${event.data.activatedAt}, admitted at ${decision.admittedAt}`);
      if (log.activatedAt.has(tokenId)) log.violations.push(`${tokenId} activated twice`);
      log.activatedAt.set(tokenId, event.data.activatedAt);
      active.add(tokenId);
    }
    if (isEvent<QueueServiceEvent, 'QueueTokenExpired'>(event, 'QueueTokenExpired')) {
      active.delete(event.data.tokenId);
      holding.delete(event.data.tokenId);
    }
    if (active.size > maxActive) log.violations.push(`${active.size} active at position ${event.position}`);
    log.mostActive = Math.max(log.mostActive, active.size);
    log.mostHolding = Math.max(log.mostHolding, holding.size);
  }
  return log;
}

/** The assertions both admission tests make of the walked log. */
export function assertAdmissions(t: Test, log: AdmissionLog, tokens: number, maxActive: number): void {
  t.same(log.violations.slice(0, 10), [], 'no token admitted or activated twice, none activated without its admission, none at another time');
  t.equal(log.issueOrder.length, tokens, 'every token was issued');
  t.ok(log.mostActive <= maxActive, `at every position of the log at most ${maxActive} tokens are ACTIVE (most: ${log.mostActive})`);
  t.ok(log.mostHolding <= maxActive, `and at most ${maxActive} are admitted and not yet expired (most: ${log.mostHolding})`);
  t.ok(log.mostActive >= maxActive / 2, `the slots were used, not left idle (most active: ${log.mostActive})`);
  t.same(log.admissionOrder, log.issueOrder, 'admitted once each, in the order of issue');
  t.equal(log.activatedAt.size, tokens, 'every admitted token was activated');
  const times = log.issueOrder.map((tokenId) => log.activatedAt.get(tokenId) ?? '');
  t.ok(times.every((time, i) => i === 0 || time >= times[i - 1]!), 'in issue order, no token became active later than one issued after it');
}
