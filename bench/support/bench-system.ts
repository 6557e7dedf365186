import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../infra/config.js';
import { openStores, type Stores } from '../../infra/stores.js';
import { freePort } from './free-port.js';
import { RoleProcesses } from './role-processes.js';

export interface BenchSystem {
  dir: string;
  port: number;
  /** The API's base URL. */
  base: string;
  /** The environment every role process gets. */
  env: NodeJS.ProcessEnv;
  processes: RoleProcesses;
  config: Config;
  /** The same stores the processes use, opened here to read the outcome. */
  stores: Stores;
  /** Stops the processes, closes the stores, removes the data directory. */
  close(): Promise<void>;
}

/**
 * The system under test for a fault benchmark: a fresh data directory, a free
 * port for the API, the role processes (started by the benchmark, in its own
 * layout) and the stores opened beside them. `env` adds or overrides knobs;
 * an `undefined` value removes one inherited from this process.
 */
export async function benchSystem(
  name: string,
  env: Record<string, string | undefined>,
  options: { readyTimeoutMs?: number } = {},
): Promise<BenchSystem> {
  const dir = mkdtempSync(join(os.tmpdir(), `bench-${name}-`));
  const port = await freePort();
  const systemEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dir,
    PORT: String(port),
    HOST: '127.0.0.1',
    QUEUE_SECRET: `${name}-bench-queue-secret`,
    ...env,
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete systemEnv[key];
  const processes = new RoleProcesses({ env: systemEnv, ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}) });
  const config = loadConfig(systemEnv as Record<string, string | undefined>);
  const stores = await openStores(config);
  return {
    dir,
    port,
    base: `http://127.0.0.1:${port}`,
    env: systemEnv,
    processes,
    config,
    stores,
    async close() {
      await processes.stopAll(5_000);
      await stores.events.close();
      await stores.reads.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
