import { isEvent } from '../../bus/decider.js';
import { annotate } from '../../bus/tracing.js';
import type { DueTimer, TimerRule } from '../../bus/reaction.js';
import type { DeliveryCommand, DeliveryPolicy } from './commands.js';
import { delivery, type DeliveryState } from './delivery.js';
import { messageKey, type CancellationPayload, type DeliveryEvent, type DeliveryPayload, type Message } from './events.js';
import type { DeliveryOutcome, Send } from './outcome.js';

type DeliveryTimer = TimerRule<DeliveryState, DeliveryCommand, DeliveryEvent>;

/** What a delivery timer carries: which attempt it is and what to send. */
interface AttemptDue {
  attempt: number;
  message: Message;
}

/** Just the message out of an event's data (which carries more). */
const messageIn = (data: Message): Message =>
  data.kind === 'cancellation' ? { kind: 'cancellation', payload: data.payload } : { payload: data.payload };

/**
 * One timer per message, keyed like its Idempotency-Key (the reservation's
 * by the paymentId, as before cancellations): the two never replace each other.
 * The reservation's payload keeps its old shape, so timers stored before still fire.
 */
function set(event: { streamId: string }, paymentId: string, dueAt: string, attempt: number, message: Message) {
  const payload = message.kind === 'cancellation' ? { attempt, kind: message.kind, delivery: message.payload } : { attempt, delivery: message.payload };
  return { op: 'set', key: messageKey(message.kind, paymentId), dueAt, streamId: event.streamId, payload } as const;
}

function readableReservation(fields: Partial<Record<keyof DeliveryPayload, unknown>>): boolean {
  return typeof fields.paymentId === 'string' && typeof fields.paidAt === 'string' && typeof fields.seatNo === 'number' && typeof fields.amount === 'number';
}

function readableCancellation(fields: Partial<Record<keyof CancellationPayload, unknown>>): boolean {
  return (
    typeof fields.paymentId === 'string' &&
    typeof fields.refundedAt === 'string' &&
    Array.isArray(fields.seatNos) &&
    fields.seatNos.length > 0 &&
    fields.seatNos.every((n) => typeof n === 'number') &&
    typeof fields.amount === 'number'
  );
}

function attemptDue(timer: DueTimer): AttemptDue {
  const { attempt, kind, delivery: payload } = timer.payload;
  const fields = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : null;
  const readable =
    typeof attempt === 'number' &&
    Number.isInteger(attempt) &&
    attempt >= 1 &&
    fields !== null &&
    (kind === 'cancellation' ? readableCancellation(fields) : kind === undefined && readableReservation(fields));
  if (!readable) throw new TypeError(`delivery timer ${timer.key} has an unreadable payload`);
  const message: Message =
    kind === 'cancellation' ? { kind, payload: payload as CancellationPayload } : { payload: payload as DeliveryPayload };
  return { attempt, message };
}

/** An injected sender that throws is still an answer: a failed attempt with its message, retried like a network error. */
async function attemptSend(send: Send, message: Message): Promise<DeliveryOutcome> {
  try {
    return await send(message);
  } catch (error) {
    return { ok: false, status: null, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/**
 * The delivery attempts of both messages: due at DeliveryScheduled's dueAt,
 * at each retryAt and at a redrive's dueAt; gone once the message succeeds or
 * is dead-lettered. A deferred cancellation sets nothing: it gets its timer
 * from the DeliveryScheduled the end of its reservation's delivery appends.
 * Firing performs the POST through `send` and hands the outcome to the
 * decider, with `random()` as the backoff jitter.
 */
export function deliveryTimer(send: Send, policy: DeliveryPolicy, random: () => number, clock?: () => Date): DeliveryTimer {
  return {
    name: 'dataplatform.deliveryAttempt',
    aggregate: delivery,
    eventTypes: ['DeliveryScheduled', 'DeliveryAttemptFailed', 'DeliveryRedriven', 'DeliverySucceeded', 'DeliveryDeadLettered'],
    schedule(event) {
      if (isEvent<DeliveryEvent, 'DeliveryScheduled'>(event, 'DeliveryScheduled')) {
        const { paymentId, dueAt } = event.data;
        return [set(event, paymentId, dueAt, 1, messageIn(event.data))];
      }
      if (isEvent<DeliveryEvent, 'DeliveryAttemptFailed'>(event, 'DeliveryAttemptFailed')) {
        const { paymentId, retryAt, attempt } = event.data;
        return [set(event, paymentId, retryAt, attempt + 1, messageIn(event.data))];
      }
      if (isEvent<DeliveryEvent, 'DeliveryRedriven'>(event, 'DeliveryRedriven')) {
        const { paymentId, dueAt } = event.data;
        return [set(event, paymentId, dueAt, 1, messageIn(event.data))];
      }
      if (
        isEvent<DeliveryEvent, 'DeliverySucceeded'>(event, 'DeliverySucceeded') ||
        isEvent<DeliveryEvent, 'DeliveryDeadLettered'>(event, 'DeliveryDeadLettered')
      ) {
        return [{ op: 'cancel', key: messageKey(event.data.kind, event.data.paymentId) }];
      }
      return [];
    },
    async fire(timer, now) {
      const { attempt, message } = attemptDue(timer);
      annotate({ 'concert.delivery_attempt': attempt });
      const outcome = await attemptSend(send, message);
      // The backoff counts from when the attempt ended: after a timeout, `now`
      // (when it was fired) may already be past the retry it would compute.
      const ended = clock ? clock() : now;
      const kind = message.kind === 'cancellation' ? { kind: message.kind } : {};
      return [
        {
          streamId: timer.streamId,
          command: { type: 'RecordAttempt', data: { attempt, outcome, now: ended.toISOString(), jitter: random(), policy, ...kind } },
        },
      ];
    },
  };
}

/** The dataplatform's timers need their sender, so they are built, not constant. */
export function timers(send: Send, policy: DeliveryPolicy, random: () => number = Math.random, clock?: () => Date): readonly DeliveryTimer[] {
  return [deliveryTimer(send, policy, random, clock)];
}
