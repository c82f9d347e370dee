import type { Logger } from '@nestjs/common';
import type { ChangeFeed } from './change-feed';
import type { ChangeSink } from './change-sink';
import { LeaseLostError, type PublisherLease, type PublisherLeases } from './publisher-leases';

type Leases = Pick<PublisherLeases, 'tryAcquire'>;
import { WakeUp } from '../common/wake-up';

export interface PublisherSettings {
  batchSize: number;
  /** Longest wait between attempts while the broker fails. */
  retryMaxMs: number;
  /** How often a replica without the lease tries to take it. */
  takeoverMs: number;
  /** Backstop for a lost wake-up: the log is read at least this often. */
  idlePollMs: number;
}

export interface PublisherEvents {
  published(sink: string, count: number): void;
  failed(sink: string): void;
  /** Revisions the change log no longer held when this sink came to them. */
  skipped(sink: string, count: number): void;
}

const RETRY_FIRST_MS = 250;

/**
 * Publishes the change log to one sink, from the last revision the broker
 * acknowledged, in revision order, at least once. It runs beside the sync and
 * never blocks it: a broker that is down only makes this loop wait and retry,
 * and the backlog drains when it returns. Only the holder of the sink's lease
 * publishes; other replicas retry the lease now and then.
 */
export class ChangePublisher {
  private stopped = false;
  private running: Promise<void> | null = null;
  /** Woken by committed changes (and by stop). */
  private readonly wakeUp = new WakeUp();
  /** Woken by stop only: retries and takeovers keep their pace whatever the sync commits. */
  private readonly stopWake = new WakeUp();
  private unsubscribe: (() => void) | null = null;
  private holdsLease = false;
  private lastError: string | null = null;

  constructor(
    readonly sink: ChangeSink,
    private readonly feed: ChangeFeed,
    private readonly leases: Leases,
    private readonly settings: PublisherSettings,
    private readonly logger: Logger,
    private readonly events: PublisherEvents,
  ) {}

  start(): void {
    this.unsubscribe = this.feed.onCommitted(() => this.wakeUp.wake());
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.wakeUp.wake();
    this.stopWake.wake();
    await this.running;
    await this.sink.close();
  }

  /** For /readyz: whether this process publishes to the sink, and the last failure it met. */
  status(): { publishing_here: boolean; last_error: string | null } {
    return { publishing_here: this.holdsLease, last_error: this.lastError };
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let lease: PublisherLease | null = null;
      try {
        lease = await this.leases.tryAcquire(this.sink.name);
      } catch (error) {
        this.logger.warn(`${this.sink.name}: cannot take the publishing lease: ${message(error)}`);
      }
      if (!lease) {
        await this.stopWake.wait(this.settings.takeoverMs);
        continue;
      }
      this.holdsLease = true;
      this.logger.log(`${this.sink.name}: publishing the change log from this process`);
      try {
        await this.publishWhileHolding(lease);
      } catch (error) {
        this.logger.warn(message(error));
      } finally {
        this.holdsLease = false;
        await this.sink.close();
        await lease.release().catch(() => undefined);
      }
    }
  }

  private async publishWhileHolding(lease: PublisherLease): Promise<void> {
    let cursor: string | null = null;
    let failures = 0;
    while (!this.stopped) {
      try {
        // A session advisory lock goes with its connection: without this, a publisher idle
        // when its lease went would send its next batch beside the replica that took it.
        await lease.confirm();
        cursor ??= await this.resumePoint(lease);
        const changes = await this.feed.readAfter(cursor, this.settings.batchSize);
        if (changes.length === 0) {
          await this.wakeUp.wait(this.settings.idlePollMs);
          continue;
        }
        this.noticeGap(cursor, changes[0].revision);
        await this.sink.publish(changes);
        const last = changes[changes.length - 1].revision;
        await lease.advance(last);
        cursor = last;
        this.events.published(this.sink.name, changes.length);
        if (failures > 0) this.logger.log(`${this.sink.name}: publishing again after ${failures} failed attempt(s)`);
        failures = 0;
        this.lastError = null;
      } catch (error) {
        if (error instanceof LeaseLostError) throw error;
        failures++;
        this.lastError = message(error);
        this.events.failed(this.sink.name);
        if (failures === 1 || failures % 20 === 0) this.logger.warn(`${this.sink.name}: publishing failed (attempt ${failures}), retrying: ${this.lastError}`);
        // Reconnect and find the broker's state again before the next attempt.
        cursor = null;
        await this.sink.close();
        await this.sleep(Math.min(this.settings.retryMaxMs, RETRY_FIRST_MS * 2 ** Math.min(failures - 1, 16)));
      }
    }
  }

  /**
   * The cursor, moved past what the broker already holds when it can tell (a
   * crash between its ack and our cursor write). Only revisions the log knows
   * count: a broker that holds more (an older database's) is not believed.
   */
  private async resumePoint(lease: PublisherLease): Promise<string> {
    const cursor = await lease.readCursor();
    const stored = this.sink.storedRevision ? await this.sink.storedRevision() : null;
    if (stored === null || !/^\d+$/.test(stored) || BigInt(stored) <= BigInt(cursor)) return cursor;
    if (BigInt(stored) > BigInt(await this.feed.latestRevision())) return cursor;
    await lease.advance(stored);
    return stored;
  }

  /**
   * Revisions are gapless, so a first change past the cursor's next one means
   * the retention pruned what this broker never got (it holds the log back
   * only for sinks configured in the process that prunes).
   */
  private noticeGap(cursor: string, first: string): void {
    const missing = BigInt(first) - BigInt(cursor) - 1n;
    if (missing <= 0n) return;
    if (cursor === '0') {
      this.logger.log(`${this.sink.name}: a new broker starts at revision ${first}, the oldest the change log still holds`);
      return;
    }
    this.events.skipped(this.sink.name, Number(missing));
    this.logger.error(`${this.sink.name}: revisions ${BigInt(cursor) + 1n} to ${BigInt(first) - 1n} were pruned from the change log before this broker acknowledged them; publishing goes on from ${first}`);
  }

  /** A pause with full jitter that a stop cuts short. */
  private async sleep(ms: number): Promise<void> {
    const until = Date.now() + Math.round(ms / 2 + (Math.random() * ms) / 2);
    while (!this.stopped && Date.now() < until) await this.stopWake.wait(until - Date.now());
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
