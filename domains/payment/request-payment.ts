import type { EventStore } from '../../infra/eventstore/port.js';
import { handleCommand } from '../../bus/command.js';
import type { PaymentRef } from './events.js';
import { payment, paymentIdFor, paymentStream } from './payment.js';

/**
 * Starts the saga. The payment id is derived from the reservation, so a double
 * submit lands on the same stream and decides nothing new.
 */
export async function requestPayment(store: EventStore, ref: Omit<PaymentRef, 'paymentId'>, now: Date, deadlineMs: number) {
  const paymentId = paymentIdFor(ref.reservationId);
  const result = await handleCommand(store, payment, paymentStream(paymentId), {
    type: 'RequestPayment',
    data: { ...ref, paymentId, now: now.toISOString(), deadlineMs },
  }, { metadata: { correlationId: paymentId }, service: 'payment' });
  return { paymentId, created: result.events.length > 0, state: result.state, position: result.position };
}
