import type { EntityManager } from 'typeorm';
import type { ResourceType } from '../providers/provider';

export type ChangeType = 'created' | 'updated' | 'deleted';

/**
 * What made a change: a full sync (its job), or a vendor event (delta sync,
 * a vSphere update; its inbox event when there is one).
 */
export interface ChangeOrigin {
  trigger: 'sync' | 'event';
  jobId: string | null;
  eventId: string | null;
}

export function syncOrigin(jobId: string | null): ChangeOrigin {
  return { trigger: 'sync', jobId, eventId: null };
}

export interface ResourceChange {
  kind: ResourceType;
  resourceId: string;
  vendor: string;
  instanceId: string;
  changeType: ChangeType;
  checksum: string | null;
  /** For updates: each changed column with its old and new value. */
  changedFields: Record<string, { old: unknown; new: unknown }> | null;
  origin: ChangeOrigin;
}

/**
 * Appends changes to the log in one statement, inside the caller's
 * transaction: a write and its change record commit or vanish together. The
 * log's bigserial revision gives every change a global order.
 */
export async function appendChanges(manager: EntityManager, changes: ResourceChange[]): Promise<void> {
  if (changes.length === 0) return;
  const rows = changes.map((change) => ({
    resource_kind: change.kind,
    resource_id: change.resourceId,
    vendor: change.vendor,
    instance_id: change.instanceId,
    change_type: change.changeType,
    checksum: change.checksum,
    changed_fields: change.changedFields,
    trigger: change.origin.trigger,
    job_id: change.origin.jobId,
    event_id: change.origin.eventId,
  }));
  await manager.query(
    `INSERT INTO resource_changes (resource_kind, resource_id, vendor, instance_id, change_type, checksum, changed_fields, trigger, job_id, event_id)
     SELECT resource_kind, resource_id, vendor, instance_id, change_type, checksum, changed_fields, trigger, job_id, event_id
       FROM json_to_recordset($1::json) AS c(resource_kind text, resource_id uuid, vendor text, instance_id text,
            change_type text, checksum text, changed_fields jsonb, trigger text, job_id uuid, event_id uuid)`,
    [JSON.stringify(rows)],
  );
}
