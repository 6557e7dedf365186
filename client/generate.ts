import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { loadConfig } from '../infra/config.js';
import { systemClock } from '../infra/clock.js';
import { openStores } from '../infra/stores.js';
import { buildApi } from '../infra/http/server.js';
import { ReadSide } from '../infra/http/read-side.js';
import { Metrics } from '../infra/http/metrics.js';

/** Where the generated types live, from the repository's root (npm runs scripts there, tap runs tests there). */
export const SCHEMA_FILE = join('client', 'schema.d.ts');

const BANNER = `/**
 * The HTTP API's types, generated from the OpenAPI document the server
 * serves at /docs/json. Do not edit: change the route schemas, then run
 * \`npm run client:generate\` (a test fails while this file is stale).
 */

`;

/**
 * The OpenAPI document as the server serves it, from an app built in-process
 * on empty stores in a temporary directory: nothing external is started, and
 * nothing is listened on. The configuration is the defaults, not this
 * process's environment, so that the document (a summary quotes HOLD_TTL_MS)
 * is the same on every machine.
 */
export async function servedDocument(): Promise<OpenAPI3> {
  const dataDir = mkdtempSync(join(tmpdir(), 'openapi-'));
  try {
    const config = { ...loadConfig({ DATA_DIR: dataDir }), queueSecret: 'document-only', adminToken: 'document-only' };
    const { events: store, reads } = await openStores(config);
    try {
      // No read model runs: the document is all that is asked of this app.
      const readSide = new ReadSide({ store, reads, projections: [] });
      const app = await buildApi({ config, store, reads, clock: systemClock, readSide, metrics: new Metrics({ processMetrics: false }) });
      try {
        const response = await app.inject({ method: 'GET', url: '/docs/json' });
        if (response.statusCode !== 200) throw new Error(`GET /docs/json answered ${response.statusCode}: ${response.body}`);
        return response.json<OpenAPI3>();
      } finally {
        await app.close();
      }
    } finally {
      await Promise.all([store.close(), reads.close()]);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The text of client/schema.d.ts for a document. */
export async function clientSchema(document: OpenAPI3): Promise<string> {
  return BANNER + astToString(await openapiTS(document));
}
