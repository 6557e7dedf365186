import { median } from './percentiles.js';

/** A measured piece of work: what it returned and how long it took. */
export interface Timed<T> {
  result: T;
  ms: number;
}

export async function timed<T>(work: () => T | Promise<T>): Promise<Timed<T>> {
  const start = performance.now();
  const result = await work();
  return { result, ms: performance.now() - start };
}

export const perSecond = (count: number, ms: number): number => (count * 1000) / ms;

/** Items per second of work that returns how many items it handled. */
export async function rateOf(work: () => number | Promise<number>): Promise<number> {
  const { result, ms } = await timed(work);
  return perSecond(result, ms);
}

/**
 * Runs every measurement once per round, in turn, so drift in the machine's
 * state (disk, caches, a neighbour's load) falls on all of them alike rather
 * than on whichever ran last; the median of each one's rounds counts.
 */
export async function interleavedMedians<Name extends string>(
  rounds: number,
  measurements: Record<Name, () => Promise<number>>,
  onSample: (name: NoInfer<Name>, value: number) => void = () => {},
): Promise<Record<Name, number>> {
  const names = Object.keys(measurements) as Name[];
  const samples = new Map<Name, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const value = await measurements[name]();
      samples.get(name)!.push(value);
      onSample(name, value);
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(samples.get(name)!)])) as Record<Name, number>;
}

/** A wall-clock instant with sub-millisecond resolution that another process on the same machine can compare with. */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();
