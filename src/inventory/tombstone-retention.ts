import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BatchedRetention } from '../common/batched-retention';
import { EnvironmentVariables } from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';
import { pruneTombstones } from './tombstones';

/** Tombstones older than CMDB_TOMBSTONE_RETENTION are forgotten: by then a late create is the next full sync's to settle. */
@Injectable()
export class TombstoneRetention extends BatchedRetention {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly environment: EnvironmentVariables,
    metrics: MetricsService,
  ) {
    super('resource_tombstones', metrics);
  }

  protected retentionSeconds(): number {
    return this.environment.CMDB_TOMBSTONE_RETENTION;
  }

  protected deleteBatch(cutoff: Date, limit: number): Promise<number> {
    return pruneTombstones(this.dataSource.manager, cutoff, limit);
  }
}
