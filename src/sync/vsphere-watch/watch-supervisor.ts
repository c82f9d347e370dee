import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EnvironmentVariables } from '../../config/environment';
import { MetricsService } from '../../metrics/metrics.service';
import { ProviderRegistry } from '../../providers/provider-registry';
import type { SecretEntity, WatchStatus } from '../../secrets/secret.entity';
import { SecretChanges } from '../../secrets/secret-changes';
import { SecretsService } from '../../secrets/secrets.service';
import { FeedApplier } from './feed-applier';
import { SecretWatch } from './secret-watch';
import { WatchLocks } from './watch-locks';
import { WatchStatusBook } from './watch-status-book';

/**
 * Decides which feeds this process follows. Every CMDB_WATCH_CLAIM_INTERVAL_MS
 * (and at once when a secret changes in this process) it reads the secrets
 * with `watch: true`, takes the lock of each that no process follows (see
 * WatchLocks: it dies with the process, so another replica takes over at its
 * next look), stops
 * the feeds of secrets that no longer watch or whose lock went with its
 * connection, and restarts the ones whose secret changed (new credentials,
 * address or TLS).
 */
@Injectable()
export class WatchSupervisor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WatchSupervisor.name);
  private readonly held = new Map<string, SecretWatch>();
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private reconciling: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(
    private readonly secrets: SecretsService,
    private readonly changes: SecretChanges,
    private readonly locks: WatchLocks,
    private readonly providers: ProviderRegistry,
    private readonly applier: FeedApplier,
    private readonly metrics: MetricsService,
    private readonly environment: EnvironmentVariables,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.changes.subscribe(() => this.wake());
    this.timer = setInterval(() => this.wake(), this.environment.CMDB_WATCH_CLAIM_INTERVAL_MS);
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.reconciling;
    for (const secretId of [...this.held.keys()]) await this.release(secretId); // the locks share one connection: one at a time
  }

  /** Secret ids whose feed this process follows. */
  get following(): string[] {
    return [...this.held.keys()];
  }

  /** Runs one look now, or right after the one under way. */
  private wake(): void {
    if (this.closed) return;
    if (this.reconciling) {
      this.again = true;
      return;
    }
    this.reconciling = this.reconcile()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'looking for change feeds to follow failed'))
      .finally(() => {
        this.reconciling = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async reconcile(): Promise<void> {
    for (const secretId of await this.locks.lost()) {
      this.logger.warn(`the watch lock of secret ${secretId} was lost with its connection: stopping its feed`);
      const watch = this.held.get(secretId);
      this.held.delete(secretId);
      await watch?.abandon();
    }
    const wanted = new Map((await this.secrets.watched()).map((secret) => [secret.id, secret]));
    for (const [secretId, watch] of this.held) {
      const secret = wanted.get(secretId);
      if (!secret) await this.release(secretId);
      else if (secret.updatedAt.getTime() !== watch.secret.updatedAt.getTime()) await this.restart(secret);
    }
    for (const secret of wanted.values()) {
      if (this.closed) return;
      if (this.held.has(secret.id)) continue;
      if (!(await this.locks.tryAcquire(secret.id))) continue; // another process follows it
      this.logger.log(`following the change feed of secret ${secret.id}`);
      this.held.set(secret.id, this.begin(secret, secret.watchStatus));
    }
  }

  private begin(secret: SecretEntity, previous: WatchStatus | null): SecretWatch {
    const book = new WatchStatusBook(secret.id, this.secrets, this.metrics, previous);
    const watch = new SecretWatch(secret, book, { providers: this.providers, secrets: this.secrets, applier: this.applier });
    watch.start();
    return watch;
  }

  /** The secret changed: the same lock, a new feed with the new settings. */
  private async restart(secret: SecretEntity): Promise<void> {
    const previous = this.held.get(secret.id)!;
    await previous.stop();
    this.held.set(secret.id, this.begin(secret, previous.status));
  }

  private async release(secretId: string): Promise<void> {
    const watch = this.held.get(secretId);
    if (!watch) return;
    this.held.delete(secretId);
    await watch.stop();
    await this.locks.release(secretId).catch((error: unknown) => this.logger.warn({ err: error }, `releasing the watch lock of secret ${secretId} failed`));
  }
}
