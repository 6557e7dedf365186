import { ConfigError, integer } from '../../infra/config.js';

/** Benchmark sizes come from the environment like every other knob; lists are comma-separated. */
export { integer };

type Env = Record<string, string | undefined>;

export function integers(env: Env, name: string, fallback: readonly number[], min = 1): number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return [...fallback];
  return raw.split(',').map((part) => integer({ [name]: part.trim() }, name, 0, min));
}

export function choices<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: readonly T[]): T[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return [...fallback];
  return raw.split(',').map((part) => {
    const value = part.trim().toUpperCase() as T;
    if (!allowed.includes(value)) throw new ConfigError(`${name} must list values from ${allowed.join(', ')}, got "${raw}"`);
    return value;
  });
}
