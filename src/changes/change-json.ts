import type { ChangeRecord } from './change-record';
import type { ChangeLogEntryView } from './dto/change.response';

/**
 * A change as GET /changes answers it. The object is the JSON text stored with
 * the change, spliced in as it is: never parsed and serialised again.
 */
export function changeJson(change: ChangeRecord): string {
  const head = JSON.stringify({
    revision: change.revision,
    changed_at: change.changedAt.toISOString(),
    kind: change.kind,
    resource_id: change.resourceId,
    vendor: change.vendor,
    instance_id: change.instanceId,
    secret_id: change.secretId,
    region: change.region,
    change_type: change.changeType,
    /** Updates (and revivals, deletions): each changed column with its old and new value; null on creation. */
    changed_fields: change.changedFields,
    trigger: change.trigger,
    job_id: change.jobId,
    event_id: change.eventId,
  } satisfies Omit<ChangeLogEntryView, 'object'>);
  return `${head.slice(0, -1)},"object":${change.object ?? 'null'}}`;
}
