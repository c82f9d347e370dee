import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { MetricsService } from '../metrics/metrics.service';

/** How often a retention runs. */
const PRUNE_EVERY_MS = 60_000;
/** Rows per DELETE: short transactions that never hold up the writers for long. */
export const PRUNE_BATCH = 1_000;

/**
 * Deletes a table's rows older than a retention in the background, in small
 * batches, every minute (as the change log's retention does). Every replica
 * may run it: the batches just find less to do. A subclass says which rows
 * and for how long.
 */
export abstract class BatchedRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  protected constructor(
    /** The table, as the metrics and logs name it. */
    private readonly table: string,
    private readonly metricsService: MetricsService,
  ) {
    this.logger = new Logger(`Retention:${table}`);
  }

  /** How long rows are kept, in seconds. */
  protected abstract retentionSeconds(): number;

  /** Deletes at most `limit` rows older than `cutoff`; answers how many went. */
  protected abstract deleteBatch(cutoff: Date, limit: number): Promise<number>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.pruneExpired(), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Prunes what is older than the retention; answers how many rows went. */
  pruneExpired(): Promise<number> {
    return this.pruneBefore(new Date(Date.now() - this.retentionSeconds() * 1000));
  }

  /** Prunes the rows older than `cutoff`, batch after batch; one run at a time in this process. */
  async pruneBefore(cutoff: Date): Promise<number> {
    if (this.running) await this.running.catch(() => undefined);
    this.running = this.prune(cutoff);
    try {
      const pruned = await this.running;
      this.metricsService.retentionRuns.inc({ table: this.table, outcome: 'succeeded' });
      if (pruned > 0) this.metricsService.retentionPruned.inc({ table: this.table }, pruned);
      return pruned;
    } catch (error) {
      this.metricsService.retentionRuns.inc({ table: this.table, outcome: 'failed' });
      this.logger.warn(`pruning ${this.table} failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    } finally {
      this.running = null;
    }
  }

  private async prune(cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.deleteBatch(cutoff, PRUNE_BATCH);
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }
}
