import type { Config } from '../../infra/config.js';
import { checkInvariants, type InvariantResult } from '../../infra/invariants.js';
import type { Stores } from '../../infra/stores.js';
import { replayCheck } from '../../infra/cli/replay-check.js';
import { definitions } from '../../infra/inspect/definitions.js';
import { verdictSection as reportSection } from './verdict.js';

/**
 * The six invariants over the whole store, as `concertctl check --replay`
 * runs them (the same functions), with the receiver's records for the
 * one-effect-per-payment half of invariant 5. Run it on a settled system
 * whose processes have stopped, so that nothing moves under the replay.
 */

export interface Verdict {
  results: InvariantResult[];
  ok: boolean;
  ms: number;
}

/** One receiver record per key: effects per payment are the records that name it. */
export function effectsByPayment(records: ReadonlyArray<{ paymentId: string }>): Array<{ paymentId: string; effects: number }> {
  const effects = new Map<string, number>();
  for (const { paymentId } of records) effects.set(paymentId, (effects.get(paymentId) ?? 0) + 1);
  return [...effects].map(([paymentId, n]) => ({ paymentId, effects: n }));
}

export async function invariantVerdict(
  stores: Stores,
  config: Config,
  receiver?: ReadonlyArray<{ paymentId: string }>,
): Promise<Verdict> {
  const started = performance.now();
  const results = await checkInvariants(stores.events, {
    now: new Date(),
    receiver: receiver ? effectsByPayment(receiver) : undefined,
    replay: () => replayCheck(stores, definitions(stores, config)),
  });
  return { results, ok: results.every((r) => r.ok), ms: performance.now() - started };
}

export function verdictSection(verdict: Verdict, receiverNote: string): string {
  return reportSection(
    { results: verdict.results, replayMs: null },
    `\`checkInvariants\` with the reaction replay and projection rebuild of \`concertctl check --replay\` (invariant 6), ${receiverNote}, after the processes stopped (${(verdict.ms / 1000).toFixed(1)} s):`,
  );
}
