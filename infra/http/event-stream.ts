import type { Writable } from 'node:stream';

/**
 * Server-sent events to one client through a bounded queue. Frames are
 * written while the socket takes them; once it pushes back (its buffer is
 * past its high-water mark) they wait here, up to `capacity` frames. Past
 * that a frame is dropped and counted, and the client is told how many it
 * missed, in order, with a `skipped` event where the gap is. A browser that
 * reads slowly therefore costs at most `capacity` frames of memory, and the
 * store's subscription that feeds it never waits for it.
 */

/** One SSE frame; `data` is JSON on one line, so no line of it can end the frame early. */
export function sseFrame(event: string, data: unknown, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

type Queued = { frame: string } | { skipped: number };

export class EventStream {
  private readonly queue: Queued[] = [];
  /** Frames waiting (gap markers not counted). */
  private waiting = 0;
  private pushedBack = false;
  private ended = false;

  constructor(
    private readonly out: Writable,
    private readonly capacity: number,
  ) {
    out.on('drain', () => {
      this.pushedBack = false;
      this.flush();
    });
    out.once('close', () => this.drop());
  }

  get closed(): boolean {
    return this.ended || this.out.destroyed || this.out.writableEnded;
  }

  /** Queues a frame, or drops and counts it when the queue is full; false when it was dropped or the stream is closed. */
  send(frame: string): boolean {
    if (this.closed) return false;
    if (this.waiting >= this.capacity) {
      // The markers between frames are never more than the frames: the queue stays within twice its capacity.
      const last = this.queue.at(-1);
      if (last && 'skipped' in last) last.skipped++;
      else this.queue.push({ skipped: 1 });
      return false;
    }
    this.queue.push({ frame });
    this.waiting++;
    this.flush();
    return true;
  }

  /** A comment line (`: …`) keeps proxies from closing an idle stream; it is worth nothing once the queue holds anything. */
  comment(text: string): void {
    if (!this.closed && this.queue.length === 0 && !this.pushedBack) this.write(`: ${text}\n\n`);
  }

  /** Ends the response once; what is still queued is given up (the client is leaving, or the server is). */
  end(): void {
    if (this.ended) return;
    this.drop();
    if (!this.out.destroyed && !this.out.writableEnded) this.out.end();
  }

  private drop(): void {
    this.ended = true;
    this.queue.length = 0;
    this.waiting = 0;
  }

  private flush(): void {
    while (!this.pushedBack && !this.closed) {
      const next = this.queue.shift();
      if (next === undefined) return;
      if ('frame' in next) {
        this.waiting--;
        this.write(next.frame);
      } else {
        this.write(sseFrame('skipped', { skipped: next.skipped }));
      }
    }
  }

  private write(text: string): void {
    if (!this.out.write(text)) this.pushedBack = true;
  }
}
