import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { EnvironmentVariables } from '../../config/environment';
import { MetricsService } from '../../metrics/metrics.service';
import { ChangeSignal } from '../change-signal';
import { ChangesService } from '../changes.service';
import { bookmarkText, watchEvent, WatchEvent } from './watch-event';
import { EventBatch, Watcher } from './watcher';

/** Changes read from the log per query. */
const READ_BATCH = 1_000;
/** Recent events kept in memory: a watcher resuming within them never reads the table. */
const CACHED_EVENTS = 10_000;
/** How long a catching-up watcher may take to read what was sent before it is cut off as too slow. */
const CATCH_UP_DRAIN_MS = 30_000;

/**
 * The process's one reader of the change log (after client-go's watch cache):
 * woken by the ChangeSignal (and, as a safety net, at every bookmark tick), it
 * reads the new changes once, serialises each event once, keeps the latest in
 * a ring, and fans the same text out to every watcher whose filters match. A
 * watcher that starts behind the ring catches up from the table first (its own
 * reads, filtered), then from the ring, then joins the live fan-out, all
 * without a gap: the switch to live happens synchronously, between two
 * fan-outs.
 */
@Injectable()
export class WatchCache implements BeforeApplicationShutdown {
  private readonly logger = new Logger(WatchCache.name);
  /** Every change up to here has been read and fanned out. */
  private position = 0;
  /** The ring: every change after `ringBase`, up to `position`, in order. */
  private ring: WatchEvent[] = [];
  private ringBase = 0;
  private started: Promise<void> | null = null;
  private readonly live = new Set<Watcher>();
  private readonly open = new Set<Watcher>();
  private pumping = false;
  private pumpAgain = false;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly changes: ChangesService,
    private readonly signal: ChangeSignal,
    private readonly metrics: MetricsService,
    private readonly environment: EnvironmentVariables,
  ) {}

  /** Counts a new stream (for metrics and shutdown) from the moment it opens, initial events included. */
  register(watcher: Watcher): void {
    this.open.add(watcher);
    this.metrics.watchers.inc();
    watcher.onEnd(() => {
      this.open.delete(watcher);
      this.live.delete(watcher);
      this.metrics.watchers.dec();
    });
  }

  /** Sends the watcher every change after its revision, then keeps it live. */
  async attach(watcher: Watcher): Promise<void> {
    await this.start();
    while (!watcher.isEnded) {
      if (watcher.revision >= this.ringBase) {
        // The ring holds everything after the watcher's revision: replay and go live in one synchronous step.
        this.count(watcher.deliver(this.ring));
        if (!watcher.isEnded) this.live.add(watcher);
        return;
      }
      const upTo = this.position;
      const changes = await this.changes.readAfter(watcher.revision, READ_BATCH, watcher.filter);
      this.count(watcher.deliver(changes.map(watchEvent)));
      // Fewer than a batch: every matching change up to `upTo` (committed before this read) was among them.
      if (changes.length < READ_BATCH) watcher.revision = Math.max(watcher.revision, upTo);
      if (watcher.stream.isBackedUp && !(await watcher.stream.drained(CATCH_UP_DRAIN_MS))) {
        watcher.end('TooSlow', 'the client read the history too slowly; resume from this revision (Last-Event-ID)');
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    for (const watcher of [...this.open]) watcher.close();
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      this.position = await this.changes.latestRevision();
      this.ringBase = this.position;
      this.unsubscribe = this.signal.subscribe(() => void this.pump());
      this.timer = setInterval(() => this.tick(), this.environment.CMDB_WATCH_BOOKMARK_SECONDS * 1000);
      this.timer.unref();
    })().catch((error: unknown) => {
      this.started = null;
      throw error;
    });
    return this.started;
  }

  /** Reads every change after `position`; a wake-up during a read makes it read again. */
  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        let changes;
        do {
          changes = await this.changes.readAfter(this.position, READ_BATCH);
          if (changes.length > 0) this.publish(changes.map(watchEvent));
        } while (changes.length === READ_BATCH);
      } while (this.pumpAgain);
    } catch (error) {
      // The next signal or tick reads again from the same position: nothing is lost.
      this.logger.warn(`reading the change log failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.pumping = false;
    }
  }

  private publish(events: WatchEvent[]): void {
    const now = Date.now();
    for (const event of events) this.metrics.watchLag.observe((now - event.changedAt.getTime()) / 1000);
    this.ring.push(...events);
    if (this.ring.length > CACHED_EVENTS) {
      const dropped = this.ring.splice(0, this.ring.length - CACHED_EVENTS);
      this.ringBase = dropped[dropped.length - 1].revision;
    }
    this.position = events[events.length - 1].revision;
    const batch = new EventBatch(events);
    let sent = 0;
    for (const watcher of this.live) sent += watcher.deliver(events, batch);
    this.count(sent);
  }

  /** Bookmarks for the live watchers (one text for all), tokens re-checked, and a read in case a signal was lost. */
  private tick(): void {
    const text = bookmarkText(this.position);
    for (const watcher of this.live) watcher.bookmark(this.position, text);
    for (const watcher of this.open) void watcher.recheckToken();
    void this.pump();
  }

  private count(sent: number): void {
    if (sent > 0) this.metrics.watchEventsSent.inc(sent);
  }
}
