import { Command } from 'commander';
import { filter, take, type Observable } from 'rxjs';
import type { RecordedEvent, SubscriptionStart } from '../eventstore/port.js';
import { onlyEvents } from '../eventstore/messages.js';
import { STREAM_CATEGORIES } from '../inspect/owners.js';
import { tailFilter, type TailFilters } from '../inspect/tail-filter.js';
import { count, from as parseFrom, subscriptionStart, type From } from './options.js';
import { createOutput } from './output.js';
import { eventLine, eventRecord } from './describe.js';
import { withStores } from './session.js';

interface TailOptions extends TailFilters {
  from: From;
  limit?: number;
  json?: boolean;
}

/** Resolves when SIGINT or SIGTERM arrives, or when `until` settles first; always forgets its handlers. */
function untilSignal(until: Promise<void>): Promise<void> {
  let onSignal: () => void = () => {};
  const signalled = new Promise<void>((resolve) => {
    onSignal = resolve;
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  return Promise.race([until, signalled]).finally(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
}

export function tailCommand(): Command {
  return new Command('tail')
    .description('follow events as they are appended, until Ctrl-C (or --limit)')
    .option('--stream <streamId>', 'one stream, e.g. payment-<paymentId>')
    .option('--category <category...>', `stream categories (${STREAM_CATEGORIES.join(', ')}): streams named <category>-…; combines with the other filters (AND)`)
    .option('--type <eventType...>', 'event types, e.g. PaymentFailed SeatReleased')
    .option('--from <where>', 'start, end, or a position (inclusive)', parseFrom, 'end' as From)
    .option('--correlation <id>', 'only events of this correlation (a paymentId, a reservationId…)')
    .option('--limit <n>', 'stop after n events', count)
    .option('--json', 'one JSON object per event per line')
    .action(async (options: TailOptions) => {
      const out = createOutput(options);
      // Checked before the store is opened: a filter that matches nothing is an answer, not a wait.
      const { server, local } = tailFilter(options);
      await withStores(async ({ events: store }) => {
        // `end` is read here rather than left to the store, so that everything
        // appended after the hint below is surely shown.
        let start: SubscriptionStart;
        if (options.from === 'end') {
          const head = await store.headPosition();
          start = head === null ? 'start' : { after: head };
          out.note(`following from after position ${head ?? 0} (Ctrl-C to stop)`);
        } else {
          start = subscriptionStart(options.from);
          out.note(`following from ${options.from === 'start' ? 'the start' : `position ${options.from.at}`} (Ctrl-C to stop)`);
        }
        let source: Observable<RecordedEvent> = store.subscribe({ from: start, filter: server }).pipe(onlyEvents(), filter(local));
        if (options.limit !== undefined) source = source.pipe(take(options.limit));

        // The store's own polling does not keep the process alive: this does, until the end.
        const alive = setInterval(() => {}, 1 << 30);
        let subscription: { unsubscribe(): void } | undefined;
        const ended = new Promise<void>((resolve, reject) => {
          subscription = source.subscribe({
            next: (event) => {
              out.line(eventLine(event, out.color, process.stdout.isTTY ? process.stdout.columns : undefined));
              out.record(eventRecord(event));
            },
            error: reject,
            complete: resolve,
          });
        });
        try {
          await untilSignal(ended);
        } finally {
          subscription?.unsubscribe();
          clearInterval(alive);
        }
      });
    });
}
