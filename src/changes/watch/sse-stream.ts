import type { Response } from 'express';

/** How long a closed stream may take to hand its last bytes to a client that stopped reading. */
const CLOSE_GRACE_MS = 10_000;

/**
 * One Server-Sent Events response with a bounded send buffer. Node queues
 * whatever the socket cannot take yet; `send` refuses once more than
 * `maxBufferedBytes` wait, so a client that stops reading never makes the
 * server's memory grow. The queued chunks are the shared event strings.
 */
export class SseStream {
  private closed = false;

  constructor(
    private readonly response: Response,
    private readonly maxBufferedBytes: number,
  ) {}

  open(): void {
    this.response.status(200);
    this.response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    this.response.setHeader('Cache-Control', 'no-cache, no-transform');
    this.response.setHeader('Connection', 'keep-alive');
    // Proxies (nginx) must pass events on as they come, not buffer them.
    this.response.setHeader('X-Accel-Buffering', 'no');
    this.response.flushHeaders();
    // A client that reconnects after a drop waits this long (ms): the standard field of the format.
    this.response.write('retry: 1000\n\n');
  }

  get isClosed(): boolean {
    return this.closed || this.response.destroyed || this.response.writableEnded;
  }

  /**
   * Whether more than the allowed bytes still wait from earlier writes. Asked
   * before a burst, not within it: a burst is queued in one synchronous go
   * (the socket cannot drain meanwhile), so the bound is the limit plus one
   * burst (at most a read batch of the log).
   */
  get isOverflowing(): boolean {
    return this.response.writableLength > this.maxBufferedBytes;
  }

  /** Queues events (a buffer shared by many streams is written as is); false when the stream is closed. */
  send(chunk: string | Buffer): boolean {
    if (this.isClosed) return false;
    this.response.write(chunk);
    return true;
  }

  /** Whether the client reads slower than we write: wait for `drained` before the next batch. */
  get isBackedUp(): boolean {
    return this.response.writableLength > this.maxBufferedBytes / 2;
  }

  /** Resolves when the queue has emptied (true), or after `timeoutMs` or a close (false). */
  drained(timeoutMs: number): Promise<boolean> {
    // Below Node's high-water mark no 'drain' will come: the queue is short enough.
    if (!this.isBackedUp || !this.response.writableNeedDrain) return Promise.resolve(!this.isClosed);
    return new Promise((resolve) => {
      const done = (drained: boolean) => {
        clearTimeout(timer);
        this.response.off('drain', onDrain);
        this.response.off('close', onClose);
        resolve(drained);
      };
      const onDrain = () => done(true);
      const onClose = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.response.once('drain', onDrain);
      this.response.once('close', onClose);
    });
  }

  /** Sends batches of writes in one go (one syscall for a burst of events). */
  cork(): void {
    if (!this.isClosed) this.response.cork();
  }

  uncork(): void {
    if (!this.response.destroyed) this.response.uncork();
  }

  /** Ends the stream after a last event (sent whatever the buffer holds); a client that never reads it is cut off. */
  close(lastText?: string): void {
    if (this.isClosed) return;
    this.closed = true;
    if (lastText) this.response.write(lastText);
    this.response.end();
    setTimeout(() => this.response.destroy(), CLOSE_GRACE_MS).unref();
  }

  onClose(listener: () => void): void {
    this.response.on('close', listener);
  }
}
