import { Observable, Subject } from 'rxjs';

/**
 * Tells live subscriptions that the event log changed. Commits made by this
 * process are announced directly; those of other processes on the same file
 * are only visible by asking, so while anyone listens, SQLite's data_version
 * (which changes when another connection commits) is polled.
 */
export class CommitSignal {
  private readonly commits = new Subject<void>();
  private listeners = 0;
  private poller: NodeJS.Timeout | undefined;
  private lastVersion = 0;

  constructor(
    private readonly dataVersion: () => number,
    private readonly pollMs: number,
  ) {}

  /** A commit by this process. */
  committed(): void {
    this.commits.next();
  }

  /** Commits by anyone, for as long as the subscription lasts; it keeps the process alive like a socket would. */
  changes(): Observable<void> {
    return new Observable<void>((subscriber) => {
      const inner = this.commits.subscribe(subscriber);
      this.listen();
      return () => {
        inner.unsubscribe();
        this.unlisten();
      };
    });
  }

  private listen(): void {
    this.listeners += 1;
    if (this.poller) return;
    this.lastVersion = this.dataVersion();
    this.poller = setInterval(() => {
      const version = this.dataVersion();
      if (version !== this.lastVersion) {
        this.lastVersion = version;
        this.commits.next();
      }
    }, this.pollMs);
  }

  private unlisten(): void {
    this.listeners -= 1;
    if (this.listeners === 0) this.stop();
  }

  private stop(): void {
    clearInterval(this.poller);
    this.poller = undefined;
  }

  close(): void {
    this.stop();
    this.commits.complete();
  }
}
