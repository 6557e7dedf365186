import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ROLES } from '../../infra/runner.js';
import { freePort } from './free-port.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/**
 * The whole system as `npm start` runs it (every role in one process, the
 * mock data platform on) from the build, on a data directory of the
 * benchmark's choosing. Every role is named on the command line so that an
 * empty store is not seeded with the demo catalogue: the benchmark's own
 * concerts are the only seats.
 */
export interface SystemProcess extends ServerProcess {
  dataDir: string;
  adminToken: string;
  queueSecret: string;
  /** The mock data platform, to ask what it received. */
  mockUrl: string;
  /** The knobs the system ran with, for the report. */
  env: Record<string, string>;
}

export interface SystemOptions {
  dataDir: string;
  /** System knobs (QUEUE_MAX_ACTIVE, HOLD_TTL_MS, …); PORT, DATA_DIR, ADMIN_TOKEN, QUEUE_SECRET are set here. */
  knobs?: Record<string, string>;
  /** A directory for `node --cpu-prof`: the profile is written when the process stops. */
  cpuProfileDir?: string;
  /** Show the system's log (stdout) here; LOG_LEVEL in `knobs` sets how much. */
  showLog?: boolean;
  /** The command line after the entry point; default every role named, in one process. */
  args?: string[];
}

const entry = fileURLToPath(new URL('../../infra/main.js', import.meta.url));

export async function startSystem(options: SystemOptions): Promise<SystemProcess> {
  const port = await freePort();
  const mockPort = await freePort();
  const adminToken = randomBytes(12).toString('base64url');
  const queueSecret = randomBytes(24).toString('base64url');
  const env: Record<string, string> = {
    LOG_LEVEL: 'warn',
    ...options.knobs,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    ADMIN_TOKEN: adminToken,
    QUEUE_SECRET: queueSecret,
    MOCK_DATA_PLATFORM_PORT: String(mockPort),
  };
  const server = await startServerProcess({
    script: entry,
    args: options.args ?? ROLES.flatMap((role) => ['--service', role]),
    nodeArgs: options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [],
    env: { PATH: process.env.PATH, ...env },
    port,
    stdout: options.showLog ? 'inherit' : 'ignore',
  });
  return { ...server, dataDir: options.dataDir, adminToken, queueSecret, mockUrl: `http://127.0.0.1:${mockPort}`, env };
}
