import type { Reaction } from '../../bus/reaction.js';
import type { ConcertCommand } from './commands.js';
import type { ConcertState } from './concert.js';
import type { ConcertEvent } from './events.js';

/** The catalogue answers only the admin: it reacts to no other service's events. */
export const reactions: readonly Reaction<ConcertState, ConcertCommand, ConcertEvent>[] = [];
