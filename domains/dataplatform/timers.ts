import { isEvent } from '../../bus/decider.js';
import { annotate } from '../../bus/tracing.js';
import type { DueTimer, TimerRule } from '../../bus/reaction.js';
import type { DeliveryCommand, DeliveryPolicy } from './commands.js';
import { delivery, type DeliveryState } from './delivery.js';
import type { DeliveryEvent, DeliveryPayload } from './events.js';
import type { DeliveryOutcome, Send } from './outcome.js';

type DeliveryTimer = TimerRule<DeliveryState, DeliveryCommand, DeliveryEvent>;

/** What a delivery timer carries: which attempt it is and what to send. */
interface AttemptDue {
  attempt: number;
  delivery: DeliveryPayload;
}

const set = (event: { streamId: string }, paymentId: string, dueAt: string, due: AttemptDue) =>
  ({ op: 'set', key: paymentId, dueAt, streamId: event.streamId, payload: { ...due } }) as const;

function attemptDue(timer: DueTimer): AttemptDue {
  const { attempt, delivery: payload } = timer.payload;
  const fields = payload as Partial<Record<keyof DeliveryPayload, unknown>> | null | undefined;
  const readable =
    typeof attempt === 'number' &&
    Number.isInteger(attempt) &&
    attempt >= 1 &&
    typeof fields === 'object' &&
    fields !== null &&
    typeof fields.paymentId === 'string' &&
    typeof fields.paidAt === 'string' &&
    typeof fields.seatNo === 'number' &&
    typeof fields.amount === 'number';
  if (!readable) throw new TypeError(`delivery timer ${timer.key} has an unreadable payload`);
  return { attempt, delivery: payload as DeliveryPayload };
}

/** An injected sender that throws is still an answer: a failed attempt with its message, retried like a network error. */
async function attemptSend(send: Send, payload: DeliveryPayload): Promise<DeliveryOutcome> {
  try {
    return await send(payload);
  } catch (error) {
    return { ok: false, status: null, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/**
 * The delivery attempts: due at DeliveryScheduled's dueAt, at each retryAt and
 * at a redrive's dueAt; gone once the delivery succeeds or is dead-lettered.
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
        const { paymentId, payload, dueAt } = event.data;
        return [set(event, paymentId, dueAt, { attempt: 1, delivery: payload })];
      }
      if (isEvent<DeliveryEvent, 'DeliveryAttemptFailed'>(event, 'DeliveryAttemptFailed')) {
        const { paymentId, payload, retryAt, attempt } = event.data;
        return [set(event, paymentId, retryAt, { attempt: attempt + 1, delivery: payload })];
      }
      if (isEvent<DeliveryEvent, 'DeliveryRedriven'>(event, 'DeliveryRedriven')) {
        const { paymentId, payload, dueAt } = event.data;
        return [set(event, paymentId, dueAt, { attempt: 1, delivery: payload })];
      }
      if (
        isEvent<DeliveryEvent, 'DeliverySucceeded'>(event, 'DeliverySucceeded') ||
        isEvent<DeliveryEvent, 'DeliveryDeadLettered'>(event, 'DeliveryDeadLettered')
      ) {
        return [{ op: 'cancel', key: event.data.paymentId }];
      }
      return [];
    },
    async fire(timer, now) {
      const { attempt, delivery: payload } = attemptDue(timer);
      annotate({ 'concert.delivery_attempt': attempt });
      const outcome = await attemptSend(send, payload);
      // The backoff counts from when the attempt ended: after a timeout, `now`
      // (when it was fired) may already be past the retry it would compute.
      const ended = clock ? clock() : now;
      return [
        {
          streamId: timer.streamId,
          command: { type: 'RecordAttempt', data: { attempt, outcome, now: ended.toISOString(), jitter: random(), policy } },
        },
      ];
    },
  };
}

/** The dataplatform's timers need their sender, so they are built, not constant. */
export function timers(send: Send, policy: DeliveryPolicy, random: () => number = Math.random, clock?: () => Date): readonly DeliveryTimer[] {
  return [deliveryTimer(send, policy, random, clock)];
}
