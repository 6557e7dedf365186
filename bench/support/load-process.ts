import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadAck, LoadCommand, LoadMessage, LoadPlan, LoadSummary } from '../faults/payment-load.js';

/** The payment load (bench/faults/payment-load.ts) as a child process: acknowledgements as they come, the summary at the end. */

export interface RunningLoad {
  acks: LoadAck[];
  /** Stops starting journeys; resolves with the summary once those in flight have finished (or the drain ran out). */
  stop(): Promise<LoadSummary>;
  /** Resolves when the plan has run out by itself. */
  finished: Promise<LoadSummary>;
}

const script = fileURLToPath(new URL('../faults/payment-load.js', import.meta.url));

export function startLoad(plan: LoadPlan): RunningLoad {
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const acks: LoadAck[] = [];
  const finished = new Promise<LoadSummary>((resolve, reject) => {
    let summary: LoadSummary | undefined;
    child.on('message', (message: LoadMessage) => {
      if (message.type === 'ack') acks.push(message);
      else summary = message.summary;
    });
    child.once('error', reject);
    // 'close' comes after the IPC channel has closed, so every message has arrived by then.
    child.once('close', (code) => (summary ? resolve(summary) : reject(new Error(`the load process exited with ${String(code)} without a summary`))));
  });
  const command = (message: LoadCommand) => child.send(message);
  command({ type: 'plan', plan });
  return {
    acks,
    finished,
    stop: () => {
      if (child.connected) command({ type: 'stop' });
      return finished;
    },
  };
}

/** Acknowledged ids of one kind. */
export const acknowledged = (acks: readonly LoadAck[], kind: LoadAck['kind']): string[] => acks.filter((a) => a.kind === kind).map((a) => a.id);
