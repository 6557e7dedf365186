import { loadConfig, type Config } from '../config.js';
import { openStores, type Stores } from '../stores.js';

/**
 * Opens whatever store the environment names (DATA_DIR, EVENTSTORE_URL,
 * MONGODB_URL), hands it to the subcommand and closes it however that ends,
 * so a CLI run never leaves a connection or a file lock behind.
 */
export async function withStores<T>(work: (stores: Stores, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const stores = await openStores(config);
  try {
    return await work(stores, config);
  } finally {
    await stores.reads.close();
    await stores.events.close();
  }
}
