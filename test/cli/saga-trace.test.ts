import t from 'tap';
import { sagaStore } from './saga-store.js';
import { collectTrace } from '../../infra/inspect/saga-trace.js';
import { paymentIdFor, paymentStream } from '../../domains/payment/payment.js';
import type { EventStore, RecordedEvent } from '../../infra/eventstore/port.js';

/**
 * What trace gathered when it scanned $all, kept here as the reference: the
 * reads by correlation must give exactly the same events.
 */
async function scanned(store: EventStore, id: string): Promise<RecordedEvent[]> {
  const correlations = new Set([id, paymentIdFor(id)]);
  const streams = new Set([...correlations].map(paymentStream));
  const picked: RecordedEvent[] = [];
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    for (const event of page) {
      const correlation = event.metadata.correlationId;
      if (event.type === 'SeatHeld') {
        const { reservationId } = event.data as { reservationId?: string };
        if (reservationId && correlations.has(paymentIdFor(reservationId))) correlations.add(reservationId);
      }
      if ((correlation !== undefined && correlations.has(correlation)) || streams.has(event.streamId)) picked.push(event);
    }
    if (page.length < 1000) return picked;
    after = page.at(-1)!.position;
  }
}

t.test('collectTrace reads by correlation and gathers what a scan of $all gathered', async (t) => {
  const saga = await sagaStore(t);
  const { store } = saga.system;
  let allReads = 0;
  const counting: EventStore = Object.assign(Object.create(store) as EventStore, {
    readAll: (...args: Parameters<EventStore['readAll']>) => {
      allReads += 1;
      return store.readAll(...args);
    },
  });
  const ids = {
    'a payment id': saga.happy.paymentId,
    'its reservation id': saga.happy.hold.reservationId,
    'a failed payment': saga.poor.paymentId,
    'a dead-lettered delivery': saga.refused.paymentId,
    'a queue token (a correlation of its own)': saga.token.ticket.tokenId,
    'an unknown id': '00000000-0000-4000-8000-000000000000',
  };
  for (const [what, id] of Object.entries(ids)) {
    const expected = await scanned(store, id);
    if (what !== 'an unknown id') t.ok(expected.length > 0, `${what}: has events to compare`);
    allReads = 0;
    const events = await collectTrace(counting, id);
    t.same(events.map((e) => e.id), expected.map((e) => e.id), `${what}: the same events, in the same order`);
    t.equal(allReads, 0, `${what}: without reading $all`);
  }
  const happy = await collectTrace(store, saga.happy.paymentId);
  t.ok(happy.some((e) => e.type === 'SeatHeld'), 'traced by its payment id, a saga still starts at its hold');
});
