import type { TimerRule } from '../../bus/reaction.js';
import type { ConcertCommand } from './commands.js';
import type { ConcertState } from './concert.js';
import type { ConcertEvent } from './events.js';

/** The catalogue keeps no deadlines: booking windows are read from ScheduleOpened, not enforced by timers. */
export const timers: readonly TimerRule<ConcertState, ConcertCommand, ConcertEvent>[] = [];
