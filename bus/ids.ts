import { v5 as uuidv5 } from 'uuid';

/** Fixed namespace for every id this system derives; changing it would break idempotency across versions. */
const NAMESPACE = '6f1c9f3e-4b7a-5d2e-9a41-2c8e0b7d5f10';

/**
 * The id of the n-th event a handler appends for one source (an event or a
 * timer). Handling the same source again yields the same ids, which the
 * event store recognises as already written.
 */
export const derivedEventId = (handler: string, sourceId: string, n: number): string =>
  uuidv5(`${handler}\u0000${sourceId}\u0000${n}`, NAMESPACE);

/** A stable id derived from a name and a value, e.g. the payment of a reservation. */
export const derivedId = (kind: string, value: string): string => uuidv5(`${kind}\u0000${value}`, NAMESPACE);
