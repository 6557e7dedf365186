import { systemClock } from '../clock.js';
import type { Config } from '../config.js';
import type { Stores } from '../stores.js';
import { serviceDefinitions, SERVICE_NAMES, type ServiceName } from '../services.js';
import type { ServiceDefinition } from '../../bus/service.js';
import type { Send } from '../../domains/dataplatform/outcome.js';

/**
 * The services as data, for their reactions and timer rules: the operator's
 * tools (concertctl, the console) run a reaction on a redrive but never a
 * timer, so nothing here sends to the data platform (a redriven delivery goes out from the running dataplatform service).
 */
const sendsNothing: Send = async () => ({ ok: false, status: null, error: 'the operator tools do not deliver; the dataplatform service does' });

export function definitions(stores: Stores, config: Config): Record<ServiceName, ServiceDefinition> {
  return serviceDefinitions({ config, store: stores.events, reads: stores.reads, clock: systemClock, send: sendsNothing });
}

export { SERVICE_NAMES, type ServiceName };
