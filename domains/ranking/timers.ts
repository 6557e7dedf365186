import type { TimerRule } from '../../bus/reaction.js';
import type { RankingCommand } from './commands.js';
import type { RankingEvent } from './events.js';
import type { SelloutState } from './sellout.js';

/** Ranking keeps no deadlines: a sell-out is decided by the sale that completes it. */
export const timers: readonly TimerRule<SelloutState, RankingCommand, RankingEvent>[] = [];
