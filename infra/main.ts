import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { ROLES, startNode, type Role } from './runner.js';
import { failStartup } from './startup.js';

/**
 *   node dist/infra/main.js                       every role in one process, demo data on an empty store
 *   node dist/infra/main.js --service reservation  one role (a service, `projector` or `api`) per process
 *   node dist/infra/main.js --cluster              every role in processes of its own, supervised (infra/cluster.ts)
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { service: { type: 'string', multiple: true }, cluster: { type: 'boolean' } }, strict: true });
  const asked = values.service ?? [];
  if (values.cluster && asked.length > 0) {
    process.stderr.write('--cluster runs every role: it takes no --service\n');
    process.exit(2);
  }
  const unknown = asked.filter((name) => !ROLES.includes(name as Role));
  if (unknown.length > 0) {
    process.stderr.write(`unknown --service ${unknown.join(', ')}; choose from ${ROLES.join(', ')}\n`);
    process.exit(2);
  }
  const roles = (asked.length > 0 ? asked : ROLES) as Role[];
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  if (values.cluster) {
    // Loaded only by the primary: its workers, like every --service process, skip the supervisor and its mock server.
    const { runCluster } = await import('./cluster.js');
    return runCluster(config);
  }
  // Loaded only when an OTEL_* variable asks for it: untraced, the SDK is not even imported.
  const tracing =
    config.tracing.exporter === 'none' ? undefined : (await import('./telemetry.js')).startTracingFromConfig(config, roles);
  const node = await startNode(config, { roles, seed: asked.length === 0, announce: !cluster.isWorker });
  // A role with nothing to subscribe to (the concert service) would otherwise
  // exit at once; a service process runs until it is told to stop.
  const keepAlive = setInterval(() => undefined, 60_000);

  const shutdown = (signal: string) => {
    node.log.info({ signal, roles }, 'shutting down: finishing work in hand');
    clearInterval(keepAlive);
    node
      .stop()
      // The last batch of spans goes out before the process does.
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          node.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch(failStartup);
