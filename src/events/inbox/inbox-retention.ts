import { Injectable } from '@nestjs/common';
import { BatchedRetention } from '../../common/batched-retention';
import { EnvironmentVariables } from '../../config/environment';
import { MetricsService } from '../../metrics/metrics.service';
import { EventInbox } from './event-inbox';

/**
 * Finished inbox events older than CMDB_TOMBSTONE_RETENTION are forgotten
 * (GET /events no longer shows them; their changes stay in the change log for
 * its own retention). A message id pruned here would be stored again if a
 * vendor redelivered it that late: SMN and EventBridge retry for far less.
 */
@Injectable()
export class InboxRetention extends BatchedRetention {
  constructor(
    private readonly inbox: EventInbox,
    private readonly environment: EnvironmentVariables,
    metrics: MetricsService,
  ) {
    super('inbox_events', metrics);
  }

  protected retentionSeconds(): number {
    return this.environment.CMDB_TOMBSTONE_RETENTION;
  }

  protected deleteBatch(cutoff: Date, limit: number): Promise<number> {
    return this.inbox.pruneFinished(cutoff, limit);
  }
}
