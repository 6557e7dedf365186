import type { Position } from '../infra/eventstore/port.js';
import type { ReadStore } from '../infra/readstore/port.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves true once a model that another process runs has committed its
 * checkpoint at or past `position`, false when `timeoutMs` passes first. The
 * checkpoint commits with the documents it covers, so at true they are readable.
 */
export async function checkpointReached(
  reads: Pick<ReadStore, 'checkpoint'>,
  name: string,
  position: Position,
  timeoutMs: number,
  pollMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const at = await reads.checkpoint(name);
    if (at !== null && at >= position) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await sleep(Math.min(pollMs, left));
  }
}
