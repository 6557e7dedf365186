import type { TimerRule } from '../../bus/reaction.js';
import type { PointCommand } from './commands.js';
import type { PointEvent } from './events.js';
import type { WalletState } from './wallet.js';

/** The point service keeps no deadlines: every step it takes answers another service's event. */
export const timers: readonly TimerRule<WalletState, PointCommand, PointEvent>[] = [];
