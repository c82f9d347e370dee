import { Logger } from '@nestjs/common';
import { backOff } from 'exponential-backoff';
import { ProviderRegistry } from '../../providers/provider-registry';
import type { SecretEntity, WatchStatus } from '../../secrets/secret.entity';
import { SecretsService } from '../../secrets/secrets.service';
import { FeedApplier } from './feed-applier';
import type { WatchStatusBook } from './watch-status-book';

export interface SecretWatchDependencies {
  providers: ProviderRegistry;
  secrets: SecretsService;
  applier: FeedApplier;
}

/** Delays between attempts while the feed cannot be followed: doubling, with full jitter. */
const BACKOFF = { startingDelay: 1_000, maxDelay: 60_000, timeMultiple: 2, jitter: 'full' as const, numOfAttempts: Number.MAX_SAFE_INTEGER };

/**
 * Follows one secret's change feed until stopped: a complete listing first
 * (applied as a full sync), then each answer as it comes. A feed that breaks
 * after it was following starts over at once (relist: the collector's
 * version died with it); one that cannot get that far is retried with
 * backoff. Credentials and TLS are the secret's own, as for its full sync.
 */
export class SecretWatch {
  private readonly logger = new Logger(SecretWatch.name);
  private readonly controller = new AbortController();
  /** The feed being followed, if any: a stop waits for it, never for a backoff delay (which then ends without a call). */
  private feed: Promise<void> | null = null;

  constructor(
    readonly secret: SecretEntity,
    private readonly book: WatchStatusBook,
    private readonly dependencies: SecretWatchDependencies,
  ) {}

  start(): void {
    void this.loop();
  }

  get status(): WatchStatus {
    return this.book.current;
  }

  /** Ends the feed (its pending wait is cancelled) and waits for the answer being applied, if any. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.feed?.catch(() => undefined);
    await this.book.stopped();
  }

  /** Stops after this process lost the feed's lock: the status belongs to whoever follows now. */
  async abandon(): Promise<void> {
    this.book.abandon();
    this.controller.abort();
    await this.feed?.catch(() => undefined);
  }

  private get stopping(): boolean {
    return this.controller.signal.aborted;
  }

  private async loop(): Promise<void> {
    await this.book.starting();
    while (!this.stopping) {
      await backOff(() => this.followOnce(), {
        ...BACKOFF,
        retry: async (error: unknown) => {
          this.logger.warn(`watch of secret ${this.secret.id} failed: ${error instanceof Error ? error.message : String(error)}`);
          await this.book.broken(error);
          return !this.stopping;
        },
      }).catch(() => undefined); // only when stopping
    }
  }

  /**
   * One feed, from its listing on. Returns when stopped, or when a feed that
   * was following broke (the caller starts over at once); throws when it
   * broke before (the caller backs off).
   */
  private async followOnce(): Promise<void> {
    if (this.stopping) return;
    this.feed = this.followFeed();
    try {
      await this.feed;
    } finally {
      this.feed = null;
    }
  }

  private async followFeed(): Promise<void> {
    const { providers, secrets, applier } = this.dependencies;
    const provider = providers.get(this.secret.vendor);
    if (!provider.watch) throw new Error(`${this.secret.vendor} has no change feed`);
    let following = false;
    try {
      const listingStartedAt = new Date();
      for await (const answer of provider.watch(secrets.credentialsOf(this.secret), 'host', this.controller.signal)) {
        if (answer.complete) {
          const results = await applier.applyListing(this.secret, answer, listingStartedAt);
          following = true;
          await this.book.following();
          await this.book.applied(results);
        } else {
          await this.book.applied(await applier.applyChanges(this.secret, answer));
        }
      }
      if (!this.stopping) throw new Error('the change feed ended by itself');
    } catch (error) {
      if (this.stopping) return;
      if (!following) throw error;
      this.logger.warn(`watch of secret ${this.secret.id} broke, starting over: ${error instanceof Error ? error.message : String(error)}`);
      await this.book.broken(error, true);
    }
  }
}
