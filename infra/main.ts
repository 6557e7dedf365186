import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { ROLES, startNode, type Role } from './runner.js';
import { failStartup } from './startup.js';

/**
 *   node dist/infra/main.js                       every role in one process, demo data on an empty store
 *   node dist/infra/main.js --service reservation  one role (a service, or `api`) per process
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { service: { type: 'string', multiple: true } }, strict: true });
  const asked = values.service ?? [];
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
  const node = await startNode(config, { roles, seed: asked.length === 0 });
  // A role with nothing to subscribe to (the concert service) would otherwise
  // exit at once; a service process runs until it is told to stop.
  const keepAlive = setInterval(() => undefined, 60_000);

  const shutdown = (signal: string) => {
    node.log.info({ signal, roles }, 'shutting down: finishing work in hand');
    clearInterval(keepAlive);
    node.stop().then(
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
