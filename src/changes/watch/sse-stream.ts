import type { Response } from 'express';

/** How long a closed stream may take to hand its last bytes to a client that stopped reading. */
const CLOSE_GRACE_MS = 5_000;

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

  /** Queues an event; false when the client has fallen too far behind (nothing queued then). */
  send(text: string): boolean {
    if (this.isClosed) return false;
    if (this.response.writableLength > this.maxBufferedBytes) return false;
    this.response.write(text);
    return true;
  }

  /** Whether the client reads slower than we write: wait for `drained` before the next batch. */
  get isBackedUp(): boolean {
    return this.response.writableLength > this.maxBufferedBytes / 2;
  }

  /** Resolves when the queue has emptied (true), or after `timeoutMs` or a close (false). */
  drained(timeoutMs: number): Promise<boolean> {
    if (!this.isBackedUp) return Promise.resolve(!this.isClosed);
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
