import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BatchedRetention } from '../common/batched-retention';
import { EnvironmentVariables } from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';

/**
 * CMDB_CHANGES_RETENTION: changes older than it leave the log, oldest first,
 * in small batches. Always a prefix of the revisions (up to the newest
 * revision appended before the cut-off), so "the oldest kept revision" stays
 * one number: a watch from before it answers 410 instead of silently missing
 * a pruned change.
 */
@Injectable()
export class ChangeRetention extends BatchedRetention {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly environment: EnvironmentVariables,
    metrics: MetricsService,
  ) {
    super('resource_changes', metrics);
  }

  protected retentionSeconds(): number {
    return this.environment.CMDB_CHANGES_RETENTION;
  }

  protected async deleteBatch(cutoff: Date, limit: number): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected count].
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `WITH newest AS (SELECT revision FROM resource_changes WHERE changed_at < $1 ORDER BY changed_at DESC LIMIT 1)
       DELETE FROM resource_changes
        WHERE revision IN (SELECT revision FROM resource_changes WHERE revision <= (SELECT revision FROM newest) ORDER BY revision LIMIT $2)`,
      [cutoff, limit],
    );
    return deleted;
  }
}
