import type { EntityManager } from 'typeorm';
import type { ResourceType } from '../providers/provider';

export type ChangeType = 'created' | 'updated' | 'deleted';

export interface ResourceChange {
  kind: ResourceType;
  resourceId: string;
  vendor: string;
  instanceId: string;
  changeType: ChangeType;
  checksum: string | null;
  /** For updates: each changed column with its old and new value. */
  changedFields: Record<string, { old: unknown; new: unknown }> | null;
  jobId: string | null;
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
    job_id: change.jobId,
  }));
  await manager.query(
    `INSERT INTO resource_changes (resource_kind, resource_id, vendor, instance_id, change_type, checksum, changed_fields, job_id)
     SELECT resource_kind, resource_id, vendor, instance_id, change_type, checksum, changed_fields, job_id
       FROM json_to_recordset($1::json) AS c(resource_kind text, resource_id uuid, vendor text, instance_id text,
            change_type text, checksum text, changed_fields jsonb, job_id uuid)`,
    [JSON.stringify(rows)],
  );
}
