import type { ChangeFilter } from '../change-record';
import type { SseStream } from './sse-stream';
import { errorText, matchesScope, WatchEvent } from './watch-event';

/**
 * A read's events as one UTF-8 buffer, built on first use and shared by every
 * watcher that takes them all: a string would be encoded again by each
 * socket it is written to.
 */
export class EventBatch {
  private joined: Buffer | null = null;

  constructor(private readonly events: readonly WatchEvent[]) {}

  get bytes(): Buffer {
    return (this.joined ??= Buffer.from(this.events.map((event) => event.text).join(''), 'utf8'));
  }
}

/**
 * One watch connection: its filters, the revision it has been sent up to,
 * and how it ends. Events at or below that revision are skipped, so the
 * catch-up from the log and the live feed may overlap without a duplicate.
 */
export class Watcher {
  private ended = false;
  private readonly unfiltered: boolean;
  private readonly endListeners: (() => void)[] = [];

  constructor(
    readonly stream: SseStream,
    readonly filter: ChangeFilter,
    /** The revision the client already has everything up to. */
    public revision: number,
    /** Whether the client's token still holds the viewer role (a revoked token ends the stream). */
    private readonly authorized: () => Promise<boolean>,
  ) {
    this.unfiltered = Object.values(filter).every((value) => value === undefined);
    stream.onClose(() => this.finish());
  }

  get isEnded(): boolean {
    return this.ended || this.stream.isClosed;
  }

  /**
   * Sends the events after its revision that match its filters, as ONE write
   * (a write per event would queue an entry per event and watcher); answers
   * how many were sent. A watcher without filters that needs the whole batch
   * gets the batch's text, built once for all of them. A client too far
   * behind is cut off.
   */
  deliver(events: readonly WatchEvent[], batch?: EventBatch): number {
    if (this.isEnded || events.length === 0) return 0;
    if (this.stream.isOverflowing) {
      this.tooSlow();
      return 0;
    }
    const last = events[events.length - 1].revision;
    if (last <= this.revision) return 0;
    if (batch && this.unfiltered && events[0].revision > this.revision) {
      if (this.stream.send(batch.bytes)) this.revision = last;
      return events.length;
    }
    const parts: string[] = [];
    for (const event of events) if (event.revision > this.revision && matchesScope(event, this.filter)) parts.push(event.text);
    if (parts.length > 0 && !this.stream.send(parts.join(''))) return 0;
    this.revision = last;
    return parts.length;
  }

  /** A bookmark (the text shared by every watcher at this tick) when it advances the client. */
  bookmark(revision: number, text: string): void {
    if (this.isEnded || revision < this.revision) return;
    if (this.stream.isOverflowing) this.tooSlow();
    else if (this.stream.send(text)) this.revision = revision;
  }

  private tooSlow(): void {
    this.end('TooSlow', 'the client fell too far behind; resume from this revision (Last-Event-ID)');
  }

  async recheckToken(): Promise<void> {
    const authorized = await this.authorized().catch(() => true); // a database hiccup is not a revocation
    if (!authorized) this.end('Unauthorized', 'the token was revoked or has expired');
  }

  /** Ends the stream with an ERROR event that carries the revision to resume after. */
  end(code: string, message: string): void {
    if (this.isEnded) return;
    this.stream.close(errorText(code, message, this.revision));
    this.finish();
  }

  /** Ends the stream without a word (the server is stopping: the client reconnects, perhaps elsewhere). */
  close(): void {
    this.stream.close();
    this.finish();
  }

  onEnd(listener: () => void): void {
    if (this.ended) listener();
    else this.endListeners.push(listener);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    for (const listener of this.endListeners) listener();
  }
}
