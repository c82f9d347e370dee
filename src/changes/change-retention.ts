import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BatchedRetention } from '../common/batched-retention';
import { EnvironmentVariables } from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';
import { ChangeLogHolds } from './change-log-holds';

/**
 * CMDB_CHANGES_RETENTION: changes older than it leave the log, oldest first,
 * in small batches. Always a prefix of the revisions (up to the newest
 * revision appended before the cut-off), so "the oldest kept revision" stays
 * one number: a watch from before it answers 410 instead of silently missing
 * a pruned change. Never past a revision a held reader still needs (see
 * ChangeLogHolds): a broker's backlog outlives the retention.
 */
@Injectable()
export class ChangeRetention extends BatchedRetention {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly environment: EnvironmentVariables,
    private readonly holds: ChangeLogHolds,
    metrics: MetricsService,
  ) {
    super('resource_changes', metrics);
  }

  protected retentionSeconds(): number {
    return this.environment.CMDB_CHANGES_RETENTION;
  }

  protected async deleteBatch(cutoff: Date, limit: number): Promise<number> {
    const held = await this.holds.prunableThrough();
    // TypeORM answers a DELETE with [rows, affected count].
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `WITH newest AS (SELECT revision FROM resource_changes WHERE changed_at < $1 ORDER BY changed_at DESC LIMIT 1)
       DELETE FROM resource_changes
        WHERE revision IN (SELECT revision FROM resource_changes
                            WHERE revision <= (SELECT revision FROM newest) AND ($3::bigint IS NULL OR revision <= $3::bigint)
                            ORDER BY revision LIMIT $2)`,
      [cutoff, limit, held],
    );
    return deleted;
  }
}
