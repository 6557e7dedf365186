import type { EventStore, Position } from '../eventstore/port.js';
import type { Collection, Doc } from '../readstore/port.js';
import { silentLog, type Log } from '../log.js';
import type { AnyProjection } from '../../bus/projection.js';
import type { ReadSide } from './read-side.js';
import { HttpProblem } from './errors.js';

/**
 * Read-your-writes over eventually consistent read models: a command waits
 * (bounded) for the models its client reads next, and a lookup that misses
 * waits for its model to reach the store's head before it calls the id
 * unknown. So "hold, then pay at once" and "pay, then GET the payment" never
 * see a spurious 404, whichever process runs the models.
 */
export class Consistency {
  constructor(
    private readonly store: EventStore,
    private readonly readSide: ReadSide,
    /** READ_YOUR_WRITES_MS: the longest a request waits for a model. */
    private readonly waitMs: number,
    private readonly log: Log = silentLog,
  ) {}

  /** After a command: waits until every model has applied `position`. False when one ran out of time (the answer goes out anyway). */
  async settled(position: Position | null, models: readonly AnyProjection[]): Promise<boolean> {
    if (position === null) return true;
    const reached = await Promise.all(models.map((model) => this.readSide.reached(model.name, position, this.waitMs)));
    const late = models.filter((_, i) => !reached[i]).map((model) => model.name);
    if (late.length > 0) this.log.warn({ models: late, position: position.toString(), waitMs: this.waitMs }, 'read models behind a write');
    return late.length === 0;
  }

  /**
   * A document by id. On a miss (or a document not yet `usable`), waits for
   * the model to catch up with the head of the store and looks once more.
   * A model that does not catch up in time (its projector restarting) cannot
   * say the id is unknown: that is a 503 to retry, not a 404.
   */
  async find<T extends Doc>(
    collection: Collection<T>,
    model: AnyProjection,
    id: string,
    usable: (doc: T) => boolean = () => true,
  ): Promise<T | null> {
    const found = async () => {
      const doc = await collection.get(id);
      return doc && usable(doc) ? doc : null;
    };
    const first = await found();
    if (first) return first;
    const head = await this.store.headPosition();
    if (head === null) return null;
    const at = await this.readSide.position(model.name);
    if (at !== null && at >= head) return null;
    if (await this.readSide.reached(model.name, head, this.waitMs)) return found();
    const retried = await found();
    if (retried) return retried;
    throw new HttpProblem(503, 'READ_MODEL_BEHIND', `the ${model.name} read model is behind the latest writes; try again`, { 'retry-after': '1' });
  }
}
