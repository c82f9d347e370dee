import { Logger } from '@nestjs/common';
import type { ItemResult } from '../../inventory/inventory-writer';
import { MetricsService } from '../../metrics/metrics.service';
import { isProviderError } from '../../providers/provider-error';
import type { WatchState, WatchStatus } from '../../secrets/secret.entity';
import { SecretsService } from '../../secrets/secrets.service';

const CHANGES = new Set<ItemResult['action']>(['created', 'updated', 'deleted']);

/**
 * The status of one followed feed: kept in memory, written to the secret (so
 * that `GET /secrets/:id` on any replica shows it) at each change of state
 * and each applied answer, and mirrored in the metrics.
 */
export class WatchStatusBook {
  private readonly logger = new Logger(WatchStatusBook.name);
  /** Once stopped, a late report of the feed (a failure racing the stop) changes nothing. */
  private ended = false;
  private status: WatchStatus;

  /** `previous`: the status its last follower saved, whose update count and time go on (a takeover is not a fresh feed to the user). */
  constructor(
    private readonly secretId: string,
    private readonly secrets: SecretsService,
    private readonly metrics: MetricsService,
    previous: WatchStatus | null = null,
  ) {
    this.status = { state: 'starting', error: null, last_update_at: previous?.last_update_at ?? null, updates_applied: previous?.updates_applied ?? 0, since: new Date().toISOString() };
  }

  get current(): WatchStatus {
    return this.status;
  }

  starting(): Promise<void> {
    return this.enter('starting', null);
  }

  following(): Promise<void> {
    return this.enter('following', null);
  }

  /**
   * The feed broke: `failed` when retrying cannot help without a change of the
   * secret, else `reconnecting`. `startingOver`: a feed that was following
   * broke and is relisted at once; it got that far with this secret, so
   * whatever ended it (a dropped session, a refused version: faults vCenter
   * marks as not retryable) is no fault of the secret.
   */
  async broken(error: unknown, startingOver = false): Promise<void> {
    if (this.ended) return;
    const vendorError = toStatusError(error);
    this.metrics.watchRestarts.inc({ vendor: 'vsphere', code: vendorError.code });
    const hopeless = !startingOver && isProviderError(error) && !error.retryable;
    return this.enter(hopeless ? 'failed' : 'reconnecting', vendorError);
  }

  async stopped(): Promise<void> {
    await this.enter('stopped', null);
    this.ended = true;
  }

  /**
   * This process lost the feed's lock: another may follow it and own the
   * status by now, so nothing more is saved (a late `stopped` would overwrite
   * the new follower's state); only this process's metrics go.
   */
  abandon(): void {
    if (this.ended) return;
    this.ended = true;
    this.metrics.watchState.remove({ secret_id: this.secretId, state: this.status.state });
  }

  /** Counts an answer's results; an answer that changed nothing is not an update. */
  async applied(results: ItemResult[]): Promise<void> {
    if (this.ended) return;
    for (const result of results) this.metrics.watchUpdates.inc({ vendor: 'vsphere', action: result.action });
    const changed = results.filter((result) => CHANGES.has(result.action)).length;
    if (changed === 0) return;
    const now = new Date();
    this.status = { ...this.status, last_update_at: now.toISOString(), updates_applied: this.status.updates_applied + changed };
    this.metrics.watchLastUpdate.set({ secret_id: this.secretId }, now.getTime() / 1000);
    await this.save();
  }

  private async enter(state: WatchState, error: WatchStatus['error']): Promise<void> {
    if (this.ended) return;
    if (this.status.state !== state) {
      this.metrics.watchState.remove({ secret_id: this.secretId, state: this.status.state });
      this.status = { ...this.status, state, since: new Date().toISOString() };
    }
    this.status = { ...this.status, error };
    if (state === 'stopped') this.metrics.watchState.remove({ secret_id: this.secretId, state });
    else this.metrics.watchState.set({ secret_id: this.secretId, state }, 1);
    await this.save();
  }

  /** A status that cannot be saved (the database is away) must not stop the feed. */
  private async save(): Promise<void> {
    await this.secrets.recordWatchStatus(this.secretId, this.status).catch((error: unknown) => this.logger.warn({ err: error }, `saving the watch status of secret ${this.secretId} failed`));
  }
}

/** Code and message only: a vendor's error text is already scrubbed of credentials; anything else says just what failed. */
function toStatusError(error: unknown): { code: string; message: string } {
  if (isProviderError(error)) return { code: error.code, message: error.message };
  return { code: 'InternalError', message: error instanceof Error ? error.message : String(error) };
}
