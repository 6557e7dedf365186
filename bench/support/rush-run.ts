import type { RushInput, RushOutput, RushSchedule } from '../load/rush-users.js';
import { startBare } from './bare-process.js';
import { registerConcert } from './concert.js';
import { runLoad } from './run-load.js';
import { startSystem } from './system-process.js';
import { receiverEffects, waitUntilSettled, type Settled } from './verdict.js';

/**
 * One ticket rush against the real system, or against the bare baseline with
 * the same client: shared by the rush benchmark and by the replay benchmark
 * when it has no rush's store to start from.
 */
export interface RushShape {
  users: number;
  schedules: number;
  seats: number;
  price: number;
  maxMs: number;
  arrivalMs: number;
  queueMaxActive: number;
  admitIntervalMs: number;
  tokenTtlMs: number;
  lineConnections: number;
  shopConnections: number;
  pollMinMs: number;
  pollMaxMs: number;
  pollUnknownMs: number;
  seatLooks: number;
  holdAttempts: number;
  lookPauseMs: number;
  payWaitMs: number;
  payWaitRounds: number;
}

/** The system's knobs for a rush: the queue tuned for it, delivery retries short enough to settle within the run. */
export function rushKnobs(shape: RushShape): Record<string, string> {
  return {
    QUEUE_MAX_ACTIVE: String(shape.queueMaxActive),
    QUEUE_ADMIT_INTERVAL_MS: String(shape.admitIntervalMs),
    QUEUE_TOKEN_TTL_MS: String(shape.tokenTtlMs),
    DELIVERY_BACKOFF_MS: '200',
    DELIVERY_MAX_BACKOFF_MS: '2000',
  };
}

function loadInput(url: string, schedules: RushSchedule[], shape: RushShape, userPrefix: string): RushInput {
  return {
    url,
    users: shape.users,
    userPrefix,
    schedules,
    maxMs: shape.maxMs,
    arrivalMs: shape.arrivalMs,
    lineConnections: shape.lineConnections,
    shopConnections: shape.shopConnections,
    pollMinMs: shape.pollMinMs,
    pollMaxMs: shape.pollMaxMs,
    pollUnknownMs: shape.pollUnknownMs,
    seatLooks: shape.seatLooks,
    holdAttempts: shape.holdAttempts,
    lookPauseMs: shape.lookPauseMs,
    payWaitMs: shape.payWaitMs,
    payWaitRounds: shape.payWaitRounds,
  };
}

export interface SystemRush {
  output: RushOutput;
  schedules: RushSchedule[];
  knobs: Record<string, string>;
  receiver: Array<{ paymentId: string; effects: number }>;
  /** Schedules in GET /rankings/sold-out after the rush. */
  soldOutSchedules: number;
  /** From the load's end until nothing was PENDING, every delivery had ended and every subscriber stood at the head. */
  settled: Settled;
  stopCode: number | null;
}

/** The longest the saga's tail is waited for after the load. */
export const SETTLE_MS = 60_000;

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function rushSystem(dataDir: string, shape: RushShape, options: { cpuProfileDir?: string } = {}): Promise<SystemRush> {
  const knobs = rushKnobs(shape);
  const system = await startSystem({ dataDir, knobs, cpuProfileDir: options.cpuProfileDir });
  try {
    const schedules = await registerConcert(system.url, system.adminToken, { title: 'Rush', schedules: shape.schedules, seats: shape.seats, price: shape.price });
    log(`[rush] system up at ${system.url}; ${shape.users} users for ${shape.schedules * shape.seats} seats`);
    const output = await runLoad<RushInput, RushOutput>('rush-users', loadInput(system.url, schedules, shape, 'fan'));
    log(`[rush] load ended (${output.stoppedBy}) after ${((output.endedAt - output.startedAt) / 1000).toFixed(1)} s; waiting for the saga's tail`);
    const settled = await waitUntilSettled(dataDir, system.url, SETTLE_MS);
    const receiver = await receiverEffects(system.mockUrl);
    const ranking = (await (await fetch(`${system.url}/rankings/sold-out?limit=100`)).json()) as unknown[];
    const stopCode = await system.stop();
    return { output, schedules, knobs, receiver, soldOutSchedules: ranking.length, settled, stopCode };
  } finally {
    await system.stop();
  }
}

export async function rushBare(shape: RushShape): Promise<RushOutput> {
  const bare = await startBare({ QUEUE_MAX_ACTIVE: String(shape.queueMaxActive), QUEUE_ADMIT_INTERVAL_MS: String(shape.admitIntervalMs) });
  try {
    const schedules = await registerConcert(bare.url, bare.adminToken, { title: 'Rush', schedules: shape.schedules, seats: shape.seats, price: shape.price });
    log(`[rush] bare baseline up at ${bare.url}`);
    return await runLoad<RushInput, RushOutput>('rush-users', loadInput(bare.url, schedules, shape, 'fan'));
  } finally {
    await bare.stop();
  }
}
