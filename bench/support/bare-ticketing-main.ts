import { integer } from '../../infra/config.js';
import { buildBareTicketing } from './bare-ticketing.js';

/** The baseline server as a process of its own, like the system under test: PORT, QUEUE_* and ADMIN_TOKEN from the environment. */
const env = process.env;
const app = buildBareTicketing({
  queueMaxActive: integer(env, 'QUEUE_MAX_ACTIVE', 100, 1),
  queueAdmitIntervalMs: integer(env, 'QUEUE_ADMIT_INTERVAL_MS', 1_000, 1),
  queueSecret: env.QUEUE_SECRET ?? 'bare',
  adminToken: env.ADMIN_TOKEN ?? 'bare',
});
await app.listen({ port: integer(env, 'PORT', 0), host: '127.0.0.1' });
const shutdown = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
