import type { AddressInfo } from 'node:net';
import { loadConfig } from './config.js';
import { buildMockDataPlatform } from '../domains/dataplatform/mock-server.js';
import { failStartup } from './startup.js';

/**
 *   node dist/infra/mock-data-platform.js
 *
 * The mock data platform as a process of its own, so that a deployment uses it
 * only by choice (compose's `mock` profile) and names it in DATA_PLATFORM_URL
 * like any real endpoint. Listens on HOST:MOCK_DATA_PLATFORM_PORT; fails
 * MOCK_DATA_PLATFORM_FAILURE_RATE of requests with 503, on purpose.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = buildMockDataPlatform({ failureRate: config.mockDataPlatformFailureRate, latencyMs: config.mockDataPlatformLatencyMs });
  await app.listen({ port: config.mockDataPlatformPort, host: config.host });
  const { port } = app.server.address() as AddressInfo;
  process.stdout.write(`mock data platform listening on http://${config.host}:${port} (failure rate ${config.mockDataPlatformFailureRate})\n`);
  const stop = () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch(failStartup);
