import { request as httpRequest, IncomingMessage } from 'node:http';

export interface ReceivedEvent {
  event: string;
  id: string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

/**
 * A test's Server-Sent Events client over plain HTTP: every event it received,
 * parsed, and a way to wait for the ones a test expects. `paused` opens it
 * without reading (a slow consumer) until `resume()`.
 */
export class SseClient {
  readonly events: ReceivedEvent[] = [];
  status = 0;
  /** The body of an answer other than 200 (a 400, a 410). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any = null;
  readonly ended: Promise<void>;
  private response: IncomingMessage | null = null;
  private markEnded!: () => void;
  private readonly waiters = new Set<() => void>();

  private constructor() {
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
  }

  static open(url: string, headers: Record<string, string>, options: { paused?: boolean } = {}): Promise<SseClient> {
    const client = new SseClient();
    const parser = new EventParser((message) => {
      client.events.push({ event: message.event ?? 'message', id: message.id, data: JSON.parse(message.data) });
      for (const waiter of client.waiters) waiter();
    });
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
        client.response = response;
        client.status = response.statusCode ?? 0;
        response.setEncoding('utf8');
        const finish = () => {
          client.markEnded();
          for (const waiter of client.waiters) waiter();
        };
        response.on('end', finish);
        response.on('close', finish);
        response.on('error', finish);
        if (client.status !== 200) {
          let text = '';
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            client.body = text ? JSON.parse(text) : null;
            resolve(client);
          });
          return;
        }
        response.on('data', (chunk: string) => parser.feed(chunk));
        if (options.paused) response.pause();
        resolve(client);
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** The change events (ADDED, MODIFIED, DELETED) received so far. */
  get changes(): ReceivedEvent[] {
    return this.events.filter((event) => ['ADDED', 'MODIFIED', 'DELETED'].includes(event.event));
  }

  /** Waits until the received events satisfy `done` (or the stream ends: then it throws, naming what it got). */
  waitFor(done: (events: ReceivedEvent[]) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      let ended = false;
      void this.ended.then(() => (ended = true));
      const check = () => {
        if (done(this.events)) {
          this.waiters.delete(check);
          resolve();
        } else if (ended || this.response?.complete) {
          this.waiters.delete(check);
          reject(new Error(`the stream ended first; received: ${this.events.map((event) => `${event.event}#${event.id ?? ''}`).join(' ')}`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  resume(): void {
    this.response?.resume();
  }

  close(): void {
    this.response?.destroy();
  }
}

/** The text/event-stream format, as far as this server writes it: `field: value` lines, events ended by a blank line. */
class EventParser {
  private pending = '';

  constructor(private readonly onEvent: (message: { event?: string; id?: string; data: string }) => void) {}

  feed(chunk: string): void {
    this.pending += chunk;
    let end: number;
    while ((end = this.pending.indexOf('\n\n')) >= 0) {
      const block = this.pending.slice(0, end);
      this.pending = this.pending.slice(end + 2);
      const message: { event?: string; id?: string; data?: string } = {};
      for (const line of block.split('\n')) {
        const colon = line.indexOf(': ');
        if (colon > 0) message[line.slice(0, colon) as 'event' | 'id' | 'data'] = line.slice(colon + 2);
      }
      if (message.data !== undefined) this.onEvent({ ...message, data: message.data });
    }
  }
}
