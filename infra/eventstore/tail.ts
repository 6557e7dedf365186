import type { Observable, Subscription } from 'rxjs';
import { positionOf } from './messages.js';
import { matchesFilter, type EventFilter, type Position, type RecordedEvent, type SubscriptionMessage } from './port.js';

export interface TailSource {
  /** Up to `limit` events after `after`, unfiltered, in order. */
  readAfter(after: Position, limit: number): RecordedEvent[];
  head(): Position;
  /** Fires after every commit to the log (this process's, and others' as they are seen). */
  changes(): Observable<void>;
}

const PAGE = 1_000;


/**
 * The newest events of the log, read once per commit and shared by every
 * follower in the process: with twenty followers, a new page is read and
 * parsed once instead of twenty times. It holds at most `capacity` events; a
 * follower behind the window reads the store itself, at its own pace, and
 * joins the window when it reaches it.
 */
export class LogTail {
  /** Events with positions in (start, end], ascending. */
  private events: RecordedEvent[] = [];
  private start: Position;
  private end: Position;
  private dirty = true;
  private readonly sleepers = new Set<() => void>();
  private wake: Subscription | undefined;
  private followers = 0;

  constructor(
    private readonly source: TailSource,
    private readonly capacity: number,
  ) {
    this.start = this.end = source.head();
  }

  /** A follower joins: while anyone follows, commits are listened for. */
  join(): void {
    this.followers += 1;
    this.wake ??= this.source.changes().subscribe(() => {
      this.dirty = true;
      for (const wake of this.sleepers) wake();
      this.sleepers.clear();
    });
  }

  leave(): void {
    this.followers -= 1;
    if (this.followers > 0) return;
    this.wake?.unsubscribe();
    this.wake = undefined;
    this.dirty = true;
  }

  /** The last position the window has read. */
  get head(): Position {
    return this.end;
  }

  /** Reads what was committed since the last look, if anything was; `force` looks even without a signal. */
  refresh(force = false): void {
    if (!this.dirty && !force) return;
    this.dirty = false;
    const head = this.source.head();
    if (head <= this.end) return;
    const floor = head - BigInt(this.capacity);
    if (floor > this.end) {
      // Too far behind to be worth reading through: start the window near the head.
      this.events = [];
      this.start = this.end = floor;
    }
    for (;;) {
      const page = this.source.readAfter(this.end, PAGE);
      for (const event of page) this.events.push(event);
      if (page.length > 0) this.end = page.at(-1)!.position;
      if (page.length < PAGE) break;
    }
    if (this.end < head) this.end = head;
    const excess = this.events.length - this.capacity;
    if (excess > 0) {
      this.start = this.events[excess - 1]!.position;
      this.events = this.events.slice(excess);
    }
  }

  /**
   * The messages after `cursor` that match `filter`, at most `max`, ending
   * with a checkpoint at the window's end when the rest was filtered out;
   * null when `cursor` is before the window, or the window has nothing newer.
   */
  read(cursor: Position, filter: EventFilter | undefined, max: number): SubscriptionMessage[] | null {
    if (cursor < this.start || cursor >= this.end) return null;
    let i = this.firstAfter(cursor);
    const out: SubscriptionMessage[] = [];
    for (; i < this.events.length && out.length < max; i++) {
      const event = this.events[i]!;
      if (matchesFilter(filter, event.streamId, event.type)) out.push({ kind: 'event', event });
    }
    // Scanned to the end of the window with its last events filtered out: say how far this reader has got.
    const lastEvent = out.at(-1);
    const scannedToEnd = i >= this.events.length;
    if (scannedToEnd && (!lastEvent || positionOf(lastEvent) < this.end)) out.push({ kind: 'checkpoint', position: this.end });
    return out;
  }

  /** Binary search: the index of the first event after `cursor`. */
  private firstAfter(cursor: Position): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.events[mid]!.position <= cursor) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Resolves at the next commit (at once if one came since the last look), or when `signal` aborts. */
  changed(signal: AbortSignal | undefined): Promise<void> {
    if (this.dirty) return Promise.resolve();
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        this.sleepers.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.sleepers.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
