import type { EventStore, Position, RecordedEvent } from './eventstore/port.js';
import type { PaymentEvent, PaymentFailureReason } from '../domains/payment/events.js';
import type { SeatEvent } from '../domains/reservation/events.js';
import type { PointEvent } from '../domains/point/events.js';
import type { ConcertEvent } from '../domains/concert/events.js';

/**
 * The invariants of DESIGN.md (1–10), checked over everything in the event
 * store. Tests, benchmarks and the CLI's `check` all call this one function.
 */

export interface InvariantResult {
  id: number;
  name: string;
  ok: boolean;
  /** What was looked at, for the report. */
  counts: Record<string, number>;
  /** The first few things that break it. */
  violations: string[];
}

export interface CheckOptions {
  /** The time the check is made at: payments past their deadline by more than `graceMs` must have ended. */
  now: Date;
  graceMs?: number;
  /**
   * The receiver's records (paymentId and how many effects it kept), to check
   * one effect per payment; without it only the delivery events are checked.
   */
  receiver?: ReadonlyArray<{ paymentId: string; effects: number }>;
  /**
   * The receiver's cancellation records (paymentId, how many effects it kept,
   * and whether it had the payment's reservation when it took the
   * cancellation), for invariant 7's data-platform half; without it only the
   * delivery events are checked.
   */
  receivedCancellations?: ReadonlyArray<{ paymentId: string; effects: number; afterReservation?: boolean }>;
  /** Invariant 6 runs only when given: it rebuilds projections and replays reactions. */
  replay?: () => Promise<{ projectionsDiffering: string[]; projections: number; reactionAppends: number; events: number }>;
  /** Invariant 10's limit: MAX_SEATS_PER_USER (default 4). */
  maxSeatsPerUser?: number;
}

interface PaymentFacts {
  /** REFUNDING from RefundRequested until PaymentRefunded: paid, its refund under way. */
  status: 'PENDING' | 'COMPLETED' | 'FAILED' | 'REFUNDING' | 'REFUNDED';
  amount: number;
  seats: string[];
  reservationId: string;
  deadlineAt: string;
  reason?: PaymentFailureReason;
}

interface SeatFacts {
  status: 'AVAILABLE' | 'HELD' | 'RESERVED';
  reservedFor: string | null;
  /** Whose hold or reservation it is, while not AVAILABLE. */
  reservationId: string | null;
  userId: string | null;
}

interface ReservationFacts {
  seats: string[];
  expiresAt: string;
}

interface WalletFacts {
  balance: number;
  charged: number;
  debited: number;
  refunded: number;
}

const MAX_LISTED = 20;

function list(violations: string[], message: string): void {
  if (violations.length < MAX_LISTED) violations.push(message);
  else if (violations.length === MAX_LISTED) violations.push('…and more');
}

async function* everyEvent(store: EventStore): AsyncGenerator<RecordedEvent> {
  let after: Position | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 5_000 });
    yield* page;
    if (page.length < 5_000) return;
    after = page.at(-1)!.position;
  }
}

const seatKey = (scheduleId: string, seatNo: number) => `${scheduleId}#${seatNo}`;

/**
 * Invariant 8, followed along the log beside the others: once settled, a
 * cancelled schedule has no HELD or RESERVED seat and no payment that is not
 * REFUNDED or FAILED, and no seat of it was held after it was withdrawn.
 * Beside the seats and payments the other invariants follow, it keeps the
 * cancelled schedules and a set of withdrawn seats: no event lists.
 */
class CancelledSchedules {
  private readonly cancelled = new Set<string>();
  private readonly withdrawn = new Set<string>();
  private readonly violations: string[] = [];

  observe(recorded: RecordedEvent): void {
    const event = { type: recorded.type, data: recorded.data } as ConcertEvent | SeatEvent;
    switch (event.type) {
      case 'ScheduleCancelled':
        this.cancelled.add(event.data.scheduleId);
        break;
      case 'SeatWithdrawn':
        this.withdrawn.add(seatKey(event.data.scheduleId, event.data.seatNo));
        break;
      case 'SeatHeld':
        if (this.withdrawn.has(seatKey(event.data.scheduleId, event.data.seatNo))) {
          list(this.violations, `${recorded.streamId}@${recorded.revision}: SeatHeld after the seat was withdrawn`);
        }
        break;
    }
  }

  /** `seats` and `payments`: every seat's and payment's status at the end of the log. */
  result(seats: ReadonlyMap<string, SeatFacts>, payments: ReadonlyMap<string, PaymentFacts>): InvariantResult {
    const violations = [...this.violations];
    const cancelled = (key: string) => this.cancelled.has(key.slice(0, key.lastIndexOf('#')));
    let ofCancelled = 0;
    for (const [key, seat] of seats) {
      if (cancelled(key) && seat.status !== 'AVAILABLE') list(violations, `seat ${key} of a cancelled schedule is ${seat.status}`);
    }
    for (const [paymentId, payment] of payments) {
      if (!payment.seats.some(cancelled)) continue;
      ofCancelled++;
      if (payment.status !== 'REFUNDED' && payment.status !== 'FAILED') list(violations, `payment ${paymentId} of a cancelled schedule is ${payment.status}`);
    }
    return {
      id: 8,
      name: 'a cancelled schedule ends with no seat HELD or RESERVED, every payment REFUNDED or FAILED, no hold after withdrawal',
      ok: violations.length === 0,
      counts: { cancelled: this.cancelled.size, withdrawn: this.withdrawn.size, payments: ofCancelled },
      violations,
    };
  }
}

/** Completed at some time: COMPLETED, or refunded (or being refunded) since. */
const paid = (payment: PaymentFacts) => payment.status === 'COMPLETED' || payment.status === 'REFUNDING' || payment.status === 'REFUNDED';

/**
 * Invariant 7, the refund's half: a REFUNDED payment has a net debit of zero
 * (one debit, one refund) and none of its seats stays RESERVED for it. (The
 * data platform's half, its cancellation sent once after its reservation, is
 * checked with the deliveries.)
 */
function refundedPaymentsUndone(
  payments: ReadonlyMap<string, PaymentFacts>,
  netDebit: ReadonlyMap<string, { debits: number; refunds: number; net: number }>,
  seats: ReadonlyMap<string, SeatFacts>,
): InvariantResult {
  const violations: string[] = [];
  let refunded = 0;
  for (const [paymentId, payment] of payments) {
    if (payment.status !== 'REFUNDED') continue;
    refunded++;
    const net = netDebit.get(paymentId) ?? { debits: 0, refunds: 0, net: 0 };
    if (net.net !== 0 || net.debits !== 1 || net.refunds !== 1) {
      list(violations, `REFUNDED ${paymentId}: ${net.debits} debits, ${net.refunds} refunds, net ${net.net}`);
    }
    for (const key of payment.seats) {
      const seat = seats.get(key);
      if (seat?.status === 'RESERVED' && seat.reservedFor === paymentId) list(violations, `REFUNDED ${paymentId} still holds seat ${key}`);
    }
  }
  return {
    id: 7,
    name: 'a REFUNDED payment has a net debit of zero and none of its seats stays RESERVED for it',
    ok: violations.length === 0,
    counts: { refunded },
    violations,
  };
}

export async function checkInvariants(store: EventStore, options: CheckOptions): Promise<InvariantResult[]> {
  const payments = new Map<string, PaymentFacts>();
  const seats = new Map<string, SeatFacts>();
  const wallets = new Map<string, WalletFacts>();
  const netDebit = new Map<string, { debits: number; refunds: number; net: number }>();
  const deliveries = new Map<string, 'SCHEDULED' | 'SUCCEEDED' | 'DEAD_LETTERED'>();
  const seatViolations: string[] = [];
  const balanceViolations: string[] = [];
  const reservations = new Map<string, ReservationFacts>();
  /** Seats each user has of each schedule, now and at the worst position of the log. */
  const owned = new Map<string, number>();
  const maxSeats = options.maxSeatsPerUser ?? 4;
  let mostOwned = 0;
  const limitViolations: string[] = [];
  let events = 0;
  const cancellations = new CancelledSchedules();
  const cancellationDeliveries = new CancellationDeliveries();

  for await (const recorded of everyEvent(store)) {
    events++;
    cancellations.observe(recorded);
    cancellationDeliveries.observe(recorded);
    const event = { type: recorded.type, data: recorded.data } as PaymentEvent | SeatEvent | PointEvent;
    switch (event.type) {
      case 'PaymentRequested': {
        const d = event.data;
        const seatNos = d.seatNos && d.seatNos.length > 0 ? d.seatNos : [d.seatNo];
        payments.set(d.paymentId, {
          status: 'PENDING',
          amount: d.amount,
          seats: seatNos.map((n) => seatKey(d.scheduleId, n)),
          reservationId: d.reservationId,
          deadlineAt: d.deadlineAt,
        });
        break;
      }
      case 'PaymentCompleted':
      case 'PaymentFailed': {
        const facts = payments.get(event.data.paymentId);
        if (facts) {
          facts.status = event.type === 'PaymentCompleted' ? 'COMPLETED' : 'FAILED';
          if (event.type === 'PaymentFailed') facts.reason = event.data.reason;
        }
        break;
      }
      case 'RefundRequested':
      case 'PaymentRefunded': {
        const facts = payments.get(event.data.paymentId);
        if (facts) facts.status = event.type === 'RefundRequested' ? 'REFUNDING' : 'REFUNDED';
        break;
      }
      case 'SeatHeld':
      case 'SeatHoldExpired':
      case 'SeatHoldReleased':
      case 'SeatReserved':
      case 'SeatReleased': {
        const key = seatKey(event.data.scheduleId, event.data.seatNo);
        const seat = seats.get(key) ?? { status: 'AVAILABLE', reservedFor: null, reservationId: null, userId: null };
        const expect = (from: SeatFacts['status']) => {
          if (seat.status !== from) list(seatViolations, `${recorded.streamId}@${recorded.revision}: ${event.type} while ${seat.status}`);
        };
        const ownerKey = `${event.data.scheduleId}#${seat.userId ?? event.data.userId}`;
        const own = (delta: number) => {
          const now = Math.max(0, (owned.get(ownerKey) ?? 0) + delta);
          owned.set(ownerKey, now);
          mostOwned = Math.max(mostOwned, now);
          if (now > maxSeats) list(limitViolations, `${recorded.streamId}@${recorded.revision}: ${ownerKey.replace('#', ' / ')} has ${now} seats`);
        };
        if (event.type === 'SeatHeld') {
          expect('AVAILABLE');
          seat.status = 'HELD';
          seat.reservationId = event.data.reservationId;
          seat.userId = event.data.userId;
          if (!reservations.has(event.data.reservationId)) {
            const seatNos = event.data.seatNos && event.data.seatNos.length > 0 ? event.data.seatNos : [event.data.seatNo];
            reservations.set(event.data.reservationId, {
              seats: seatNos.map((n) => seatKey(event.data.scheduleId, n)),
              expiresAt: event.data.expiresAt,
            });
          }
          own(+1);
        } else if (event.type === 'SeatHoldExpired' || event.type === 'SeatHoldReleased') {
          expect('HELD');
          own(-1);
          seat.status = 'AVAILABLE';
          seat.reservationId = null;
          seat.userId = null;
        } else if (event.type === 'SeatReserved') {
          expect('HELD');
          seat.status = 'RESERVED';
          seat.reservedFor = event.data.paymentId;
        } else {
          expect('RESERVED');
          own(-1);
          seat.status = 'AVAILABLE';
          seat.reservedFor = null;
          seat.reservationId = null;
          seat.userId = null;
        }
        seats.set(key, seat);
        break;
      }
      case 'PointsCharged':
      case 'PointsDebited':
      case 'PointsRefunded': {
        const wallet = wallets.get(event.data.userId) ?? { balance: 0, charged: 0, debited: 0, refunded: 0 };
        if (event.type === 'PointsCharged') {
          wallet.charged += event.data.amount;
          wallet.balance += event.data.amount;
        } else {
          const sign = event.type === 'PointsDebited' ? -1 : 1;
          wallet.balance += sign * event.data.amount;
          if (sign < 0) wallet.debited += event.data.amount;
          else wallet.refunded += event.data.amount;
          const net = netDebit.get(event.data.paymentId) ?? { debits: 0, refunds: 0, net: 0 };
          if (sign < 0) net.debits++;
          else net.refunds++;
          net.net -= sign * event.data.amount;
          netDebit.set(event.data.paymentId, net);
        }
        if (wallet.balance < 0) list(balanceViolations, `${recorded.streamId}@${recorded.revision}: balance ${wallet.balance}`);
        if (event.data.balanceAfter !== wallet.balance) {
          list(balanceViolations, `${recorded.streamId}@${recorded.revision}: balanceAfter ${event.data.balanceAfter}, sum says ${wallet.balance}`);
        }
        wallets.set(event.data.userId, wallet);
        break;
      }
      default: {
        const type = recorded.type;
        const ofReservation = (recorded.data as { kind?: string }).kind === undefined;
        if (ofReservation && (type === 'DeliveryScheduled' || type === 'DeliverySucceeded' || type === 'DeliveryDeadLettered' || type === 'DeliveryRedriven')) {
          const { paymentId } = recorded.data as { paymentId: string };
          deliveries.set(
            paymentId,
            type === 'DeliverySucceeded' ? 'SUCCEEDED' : type === 'DeliveryDeadLettered' ? 'DEAD_LETTERED' : 'SCHEDULED',
          );
        }
      }
    }
  }

  const results: InvariantResult[] = [];

  // 1. A seat is RESERVED only for a COMPLETED payment once settled; never two holders.
  {
    const violations = [...seatViolations];
    let reserved = 0;
    for (const [key, seat] of seats) {
      if (seat.status !== 'RESERVED') continue;
      reserved++;
      const status = payments.get(seat.reservedFor ?? '')?.status;
      if (status === 'FAILED') list(violations, `seat ${key} RESERVED for FAILED payment ${seat.reservedFor}`);
      if (status === undefined) list(violations, `seat ${key} RESERVED for unknown payment ${seat.reservedFor}`);
    }
    for (const [paymentId, payment] of payments) {
      if (payment.status !== 'COMPLETED') continue;
      for (const key of payment.seats) {
        if (seats.get(key)?.reservedFor !== paymentId) list(violations, `COMPLETED payment ${paymentId} does not hold seat ${key}`);
      }
    }
    results.push({ id: 1, name: 'a seat is RESERVED only for a COMPLETED payment; never two holders', ok: violations.length === 0, counts: ({ seats: seats.size, reserved }), violations });
  }

  // 2. COMPLETED: exactly one net debit; FAILED: net zero.
  {
    const violations: string[] = [];
    let completed = 0;
    let failed = 0;
    for (const [paymentId, payment] of payments) {
      const net = netDebit.get(paymentId) ?? { debits: 0, refunds: 0, net: 0 };
      if (payment.status === 'COMPLETED') {
        completed++;
        if (net.debits !== 1 || net.refunds !== 0 || net.net !== payment.amount) {
          list(violations, `COMPLETED ${paymentId}: ${net.debits} debits, ${net.refunds} refunds, net ${net.net} of ${payment.amount}`);
        }
      } else if (payment.status === 'REFUNDING') {
        // Paid, and its points perhaps back already (PaymentRefunded follows PointsRefunded): one debit, at most one refund.
        if (net.debits !== 1 || net.refunds > 1 || (net.net !== payment.amount && net.net !== 0)) {
          list(violations, `REFUNDING ${paymentId}: ${net.debits} debits, ${net.refunds} refunds, net ${net.net} of ${payment.amount}`);
        }
      } else if (payment.status === 'FAILED') {
        failed++;
        if (net.net !== 0 || net.debits > 1 || net.refunds > 1) {
          list(violations, `FAILED ${paymentId}: ${net.debits} debits, ${net.refunds} refunds, net ${net.net}`);
        }
      }
    }
    results.push({ id: 2, name: 'COMPLETED payments have exactly one net debit; FAILED ones none', ok: violations.length === 0, counts: ({ completed, failed }), violations });
  }

  // 3. A balance is never negative, and balance = charged − debited + refunded.
  {
    const violations = [...balanceViolations];
    for (const [userId, wallet] of wallets) {
      if (wallet.balance !== wallet.charged - wallet.debited + wallet.refunded) list(violations, `${userId}: balance does not add up`);
    }
    results.push({ id: 3, name: 'balances are never negative and add up', ok: violations.length === 0, counts: ({ wallets: wallets.size }), violations });
  }

  // 4. Every request ends COMPLETED or FAILED within the deadline.
  {
    const violations: string[] = [];
    const grace = options.graceMs ?? 5_000;
    let pending = 0;
    for (const [paymentId, payment] of payments) {
      if (payment.status !== 'PENDING') continue;
      pending++;
      if (Date.parse(payment.deadlineAt) + grace < options.now.getTime()) list(violations, `${paymentId} still PENDING past its deadline ${payment.deadlineAt}`);
    }
    results.push({ id: 4, name: 'every payment ends COMPLETED or FAILED within its deadline', ok: violations.length === 0, counts: ({ events, payments: payments.size, pending }), violations });
  }

  // 5. Every COMPLETED payment reaches the data platform or its dead-letter list; one effect per payment.
  {
    const violations: string[] = [];
    let delivered = 0;
    let deadLettered = 0;
    for (const [paymentId, payment] of payments) {
      // A refunded payment was completed, and delivered, first: its cancellation is a second message (invariant 7).
      if (!paid(payment)) continue;
      const delivery = deliveries.get(paymentId);
      if (delivery === 'SUCCEEDED') delivered++;
      else if (delivery === 'DEAD_LETTERED') deadLettered++;
      else list(violations, `COMPLETED ${paymentId}: delivery ${delivery ?? 'never scheduled'}`);
    }
    if (options.receiver) {
      const byPayment = new Map(options.receiver.map((r) => [r.paymentId, r.effects]));
      for (const [paymentId, state] of deliveries) {
        const effects = byPayment.get(paymentId) ?? 0;
        if (state === 'SUCCEEDED' && effects !== 1) list(violations, `${paymentId}: the receiver kept ${effects} effects`);
      }
      for (const paymentId of byPayment.keys()) {
        const payment = payments.get(paymentId);
        if (!payment || !paid(payment)) list(violations, `the receiver has ${paymentId}, which is not a COMPLETED payment`);
      }
    }
    results.push({ id: 5, name: 'every COMPLETED payment is delivered (or dead-lettered) once', ok: violations.length === 0, counts: ({ delivered, deadLettered }), violations });
  }

  // 6. Rebuilding projections gives the same read model; replaying reactions appends nothing.
  if (options.replay) {
    const replay = await options.replay();
    const violations = [
      ...replay.projectionsDiffering.map((name) => `projection ${name} differs after a rebuild`),
      ...(replay.reactionAppends > 0 ? [`replaying reactions appended ${replay.reactionAppends} events`] : []),
    ];
    results.push({
      id: 6,
      name: 'a rebuild gives the same read models; a replay appends nothing',
      ok: violations.length === 0,
      counts: ({ projections: replay.projections, events: replay.events, reactionAppends: replay.reactionAppends }),
      violations,
    });
  }
  results.push(refundedPaymentsUndone(payments, netDebit, seats));
  // 7, the data platform's half: every REFUNDED payment's cancellation sent once, after its reservation.
  results.push(cancellationDeliveries.result(options));
  results.push(cancellations.result(seats, payments));

  // 9. The seats of one reservation share one fate; a payment debits once for all of them.
  {
    const violations: string[] = [];
    const grace = options.graceMs ?? 5_000;
    // Confirmed seat after seat while PENDING, released seat after seat while REFUNDING.
    const pendingFor = new Set([...payments.values()].filter((p) => p.status === 'PENDING' || p.status === 'REFUNDING').map((p) => p.reservationId));
    let several = 0;
    for (const [reservationId, reservation] of reservations) {
      if (reservation.seats.length > 1) several++;
      let held = 0;
      let reserved = 0;
      for (const key of reservation.seats) {
        const seat = seats.get(key);
        if (seat?.reservationId !== reservationId) continue;
        if (seat.status === 'HELD') held++;
        else if (seat.status === 'RESERVED') reserved++;
      }
      const n = reservation.seats.length;
      if (held + reserved === 0 || held === n || reserved === n) continue;
      // Still being held (its request under way), or its payment still confirming seat after seat.
      const holding = reserved === 0 && Date.parse(reservation.expiresAt) + grace >= options.now.getTime();
      if (holding || pendingFor.has(reservationId)) continue;
      list(violations, `reservation ${reservationId}: ${held} of ${n} seats HELD, ${reserved} RESERVED`);
    }
    for (const paymentId of payments.keys()) {
      const net = netDebit.get(paymentId);
      if (net && net.debits > 1) list(violations, `payment ${paymentId} debited ${net.debits} times`);
    }
    results.push({ id: 9, name: 'the seats of one reservation share one fate; one debit per payment', ok: violations.length === 0, counts: ({ reservations: reservations.size, several }), violations });
  }

  // 10. No user holds or owns more than MAX_SEATS_PER_USER seats of one schedule at any position.
  results.push({
    id: 10,
    name: `no user has more than ${maxSeats} seats of one schedule at any position`,
    ok: limitViolations.length === 0,
    counts: ({ users: owned.size, mostOwned }),
    violations: limitViolations,
  });
  return results;
}

type ReservationDeliveryStatus = 'NONE' | 'PENDING' | 'SUCCEEDED' | 'DEAD_LETTERED';
type CancellationDeliveryStatus = 'NONE' | 'WAITING' | 'PENDING' | 'SUCCEEDED' | 'DEAD_LETTERED';

const ATTEMPT_ENDS: Record<string, 'SUCCEEDED' | 'DEAD_LETTERED' | undefined> = {
  DeliverySucceeded: 'SUCCEEDED',
  DeliveryDeadLettered: 'DEAD_LETTERED',
};

/**
 * Invariant 7, the data platform's half (DESIGN.md: "the data platform gets
 * its cancellation once, after its reservation"): every PaymentRefunded has a
 * cancellation delivery that ends SUCCEEDED or DEAD_LETTERED; no cancellation
 * was due, let alone attempted, before its reservation's delivery had ended,
 * and nothing of the reservation happened after that; the receiver kept
 * exactly one cancellation per refunded payment it was delivered for, each
 * after the reservation when that was delivered. Fed every event in log
 * order, like the rest of checkInvariants.
 */
class CancellationDeliveries {
  private readonly refunded = new Set<string>();
  private readonly streams = new Map<string, { reservation: ReservationDeliveryStatus; cancellation: CancellationDeliveryStatus }>();
  private readonly violations: string[] = [];

  observe(recorded: RecordedEvent): void {
    const { type } = recorded;
    const data = recorded.data as { paymentId?: string; kind?: string };
    if (typeof data.paymentId !== 'string') return;
    if (type === 'PaymentRefunded') {
      this.refunded.add(data.paymentId);
      return;
    }
    if (!type.startsWith('Delivery') && type !== 'CancellationDeferred') return;
    const facts = this.streams.get(data.paymentId) ?? { reservation: 'NONE', cancellation: 'NONE' };
    this.streams.set(data.paymentId, facts);
    const where = `${recorded.streamId}@${recorded.revision}`;
    const due = facts.cancellation !== 'NONE' && facts.cancellation !== 'WAITING';
    if (type === 'CancellationDeferred') {
      facts.cancellation = 'WAITING';
    } else if (data.kind === 'cancellation') {
      if (type === 'DeliveryScheduled') {
        if (facts.reservation === 'NONE' || facts.reservation === 'PENDING') {
          list(this.violations, `${where}: cancellation due while the reservation's delivery is ${facts.reservation === 'NONE' ? 'not even scheduled' : 'PENDING'}`);
        }
        facts.cancellation = 'PENDING';
      } else if (type === 'DeliveryRedriven') {
        facts.cancellation = 'PENDING';
      } else {
        // An attempt's outcome: the cancellation must have been due.
        if (facts.cancellation !== 'PENDING') list(this.violations, `${where}: cancellation ${type} while ${facts.cancellation}`);
        facts.cancellation = ATTEMPT_ENDS[type] ?? facts.cancellation;
      }
    } else {
      if (due) list(this.violations, `${where}: the reservation's ${type} after its cancellation was due`);
      facts.reservation = type === 'DeliveryScheduled' || type === 'DeliveryRedriven' ? 'PENDING' : (ATTEMPT_ENDS[type] ?? facts.reservation);
    }
  }

  result(options: CheckOptions): InvariantResult {
    const violations = [...this.violations];
    let cancelled = 0;
    let deadLettered = 0;
    for (const paymentId of this.refunded) {
      const status = this.streams.get(paymentId)?.cancellation ?? 'NONE';
      if (status === 'SUCCEEDED') cancelled++;
      else if (status === 'DEAD_LETTERED') deadLettered++;
      else list(violations, `REFUNDED ${paymentId}: cancellation ${status === 'NONE' ? 'never scheduled' : status}`);
    }
    for (const [paymentId, facts] of this.streams) {
      if (facts.cancellation !== 'NONE' && !this.refunded.has(paymentId)) list(violations, `${paymentId}: a cancellation for a payment never refunded`);
    }
    if (options.receivedCancellations) {
      const effects = new Map<string, number>();
      for (const record of options.receivedCancellations) {
        effects.set(record.paymentId, (effects.get(record.paymentId) ?? 0) + record.effects);
        if (!this.refunded.has(record.paymentId)) list(violations, `the receiver has a cancellation of ${record.paymentId}, which is not a REFUNDED payment`);
        if (record.afterReservation === false && this.streams.get(record.paymentId)?.reservation === 'SUCCEEDED') {
          list(violations, `the receiver took the cancellation of ${record.paymentId} before its reservation`);
        }
      }
      for (const [paymentId, count] of effects) {
        const succeeded = this.streams.get(paymentId)?.cancellation === 'SUCCEEDED';
        if (count > 1 || (succeeded && count !== 1)) list(violations, `${paymentId}: the receiver kept ${count} cancellations`);
      }
      for (const paymentId of this.refunded) {
        if (this.streams.get(paymentId)?.cancellation === 'SUCCEEDED' && !effects.has(paymentId)) {
          list(violations, `${paymentId}: cancellation SUCCEEDED but the receiver kept none`);
        }
      }
    }
    return {
      id: 7,
      name: "the data platform gets each REFUNDED payment's cancellation once, after its reservation's delivery ended",
      ok: violations.length === 0,
      counts: { refunded: this.refunded.size, cancelled, deadLettered },
      violations,
    };
  }
}
