import type { SyncJobEntity } from '../sync-job.entity';
import type { SyncJobView } from './sync-job.response';

export function syncJobView(job: SyncJobEntity): SyncJobView {
  return {
    job_id: job.id,
    secret_id: job.secretId,
    vendor: job.vendor,
    resource_type: job.resourceType,
    region: job.region === '' ? null : job.region,
    trigger: job.trigger,
    status: job.status,
    progress: { pages_done: job.pagesDone, items_done: job.itemsDone },
    total_succeed: job.totalSucceed,
    total_failed: job.totalFailed,
    created: job.created,
    updated: job.updated,
    unchanged: job.unchanged,
    deleted: job.deleted,
    error: job.error,
    created_at: job.createdAt.toISOString(),
    started_at: job.startedAt?.toISOString() ?? null,
    finished_at: job.finishedAt?.toISOString() ?? null,
    duration_ms: job.startedAt && job.finishedAt ? job.finishedAt.getTime() - job.startedAt.getTime() : null,
  };
}
