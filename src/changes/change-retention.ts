import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EnvironmentVariables } from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';

/** How often the change log is pruned. */
const PRUNE_EVERY_MS = 60_000;
/** Rows per DELETE: short transactions that never hold up the writers for long. */
const PRUNE_BATCH = 1_000;

/**
 * CMDB_CHANGES_RETENTION: changes older than it leave the log, oldest first,
 * in small batches. Always a prefix of the revisions (up to the newest
 * revision appended before the cut-off), so "the oldest kept revision" stays
 * one number: a watch from before it answers 410 instead of silently missing
 * a pruned change. Every replica may run it: the batches just find less to do.
 */
@Injectable()
export class ChangeRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeRetention.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly environment: EnvironmentVariables,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.pruneExpired(), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Prunes what is older than the retention; answers how many changes went. */
  pruneExpired(): Promise<number> {
    return this.pruneBefore(new Date(Date.now() - this.environment.CMDB_CHANGES_RETENTION * 1000));
  }

  /** Prunes the changes appended before `cutoff`; one run at a time in this process. */
  async pruneBefore(cutoff: Date): Promise<number> {
    if (this.running) await this.running.catch(() => undefined);
    this.running = this.prune(cutoff);
    try {
      const pruned = await this.running;
      this.metrics.changePruneRuns.inc({ outcome: 'succeeded' });
      if (pruned > 0) this.metrics.changesPruned.inc(pruned);
      return pruned;
    } catch (error) {
      this.metrics.changePruneRuns.inc({ outcome: 'failed' });
      this.logger.warn(`pruning the change log failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    } finally {
      this.running = null;
    }
  }

  private async prune(cutoff: Date): Promise<number> {
    const [newest]: { revision: string }[] = await this.dataSource.query(
      `SELECT revision::text AS revision FROM resource_changes WHERE changed_at < $1 ORDER BY changed_at DESC LIMIT 1`,
      [cutoff],
    );
    if (!newest) return 0;
    let total = 0;
    for (;;) {
      // TypeORM answers a DELETE with [rows, affected count].
      const [, deleted]: [unknown, number] = await this.dataSource.query(
        `DELETE FROM resource_changes
          WHERE revision IN (SELECT revision FROM resource_changes WHERE revision <= $1 ORDER BY revision LIMIT ${PRUNE_BATCH})`,
        [newest.revision],
      );
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }
}
