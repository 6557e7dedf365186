import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

export interface BareProcess extends ServerProcess {
  adminToken: string;
  queueSecret: string;
}

const entry = fileURLToPath(new URL('./bare-ticketing-main.js', import.meta.url));

/** The bare Fastify baseline in a process of its own, with the same queue knobs as the system it is compared with. */
export async function startBare(knobs: { QUEUE_MAX_ACTIVE: string; QUEUE_ADMIT_INTERVAL_MS: string }): Promise<BareProcess> {
  const port = await freePort();
  const adminToken = randomBytes(12).toString('base64url');
  const queueSecret = randomBytes(24).toString('base64url');
  const server = await startServerProcess({
    script: entry,
    env: { PATH: process.env.PATH, ...knobs, PORT: String(port), ADMIN_TOKEN: adminToken, QUEUE_SECRET: queueSecret },
    port,
  });
  return { ...server, adminToken, queueSecret };
}
