import type { AnyProjection } from '../../bus/projection.js';
import { timerProjection } from '../../bus/timers.js';
import type { ServiceDefinition } from '../../bus/service.js';
import { allProjections } from '../../projections/index.js';

/**
 * Every read model in the system: the API's and the queue's, and each
 * service's timers (a read model too), one per instance of the layout.
 */
export function projectionCatalogue(services: Record<string, ServiceDefinition>, instances = 1): AnyProjection[] {
  const all: AnyProjection[] = [...allProjections];
  for (const service of Object.values(services)) {
    for (const projection of service.projections ?? []) all.push(projection);
    if (service.timers.length === 0) continue;
    for (let index = 1; index <= instances; index++) all.push(timerProjection(service.name, service.timers, { index, count: instances }));
  }
  // The queue's line is both a service's own model and in allProjections: list it once.
  return all.filter((projection, i) => all.findIndex((p) => p.name === projection.name) === i);
}
