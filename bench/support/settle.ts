import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '../../infra/clock.js';
import type { Config } from '../../infra/config.js';
import { positions, subscribers } from '../../infra/http/subscribers.js';
import type { Stores } from '../../infra/stores.js';
import type { SagaTally } from './saga-tally.js';

/**
 * Settled: every checkpointed subscriber of every process (reactions, timers,
 * read models) stands at the head of $all, no payment is PENDING, and every
 * completed payment's delivery has ended. Read from the stores the processes
 * share, the way `concertctl projections` reads them: checkpoints are the truth
 * across processes. A subscriber that saw only events it filters out saves
 * its checkpoint about a second late, so "settled" is at most that late.
 */

export interface SettleState {
  settled: boolean;
  head: bigint | null;
  /** Subscribers behind the head, by name. */
  lagging: Array<{ name: string; lag: number }>;
  pendingPayments: number;
  pendingDeliveries: number;
}

export async function settleState(stores: Stores, config: Config, tally: SagaTally): Promise<SettleState> {
  await tally.catchUp(stores.events);
  const list = subscribers({ config, store: stores.events, reads: stores.reads, clock: systemClock });
  const found = await positions(stores.events, stores.reads, list);
  const head = await stores.events.headPosition();
  // behind, not lag > 0: on EventStoreDB a subscriber behind within one transaction lags 0 bytes.
  const lagging = found.filter((p) => p.behind).map(({ name, lag }) => ({ name, lag }));
  const pendingPayments = tally.pendingPayments();
  const pendingDeliveries = tally.pendingDeliveries();
  return {
    settled: lagging.length === 0 && pendingPayments === 0 && pendingDeliveries === 0,
    head,
    lagging,
    pendingPayments,
    pendingDeliveries,
  };
}

/**
 * Polls until settled twice in a row at the same head (so nothing was still on
 * its way), or until `timeoutMs`. Resolves with the time it took and the last state.
 */
export async function waitUntilSettled(
  stores: Stores,
  config: Config,
  tally: SagaTally,
  { timeoutMs, pollMs = 200 }: { timeoutMs: number; pollMs?: number },
): Promise<{ ms: number; state: SettleState }> {
  const started = performance.now();
  let previous: { state: SettleState; at: number } | undefined;
  for (;;) {
    const at = performance.now();
    const state = await settleState(stores, config, tally);
    // The confirming look only proves the first one right: the time is the first one's.
    if (state.settled && previous?.state.settled && previous.state.head === state.head) return { ms: previous.at - started, state };
    if (at - started > timeoutMs) return { ms: at - started, state };
    previous = { state, at };
    await sleep(pollMs);
  }
}

export function describeUnsettled(state: SettleState): string {
  const parts: string[] = [];
  if (state.lagging.length > 0) parts.push(`behind the head: ${state.lagging.map((l) => `${l.name} (${l.lag})`).join(', ')}`);
  if (state.pendingPayments > 0) parts.push(`${state.pendingPayments} payments PENDING`);
  if (state.pendingDeliveries > 0) parts.push(`${state.pendingDeliveries} deliveries not ended`);
  return parts.join('; ') || 'settled';
}
