import type { EntityManager } from 'typeorm';
import type { ChangeOrigin } from '../changes/change-log';
import type { ResourceKind } from './resource-columns';

/** A delete observed at a time, for a resource of one secret. */
export interface ObservedDeletion {
  instanceId: string;
  observedAt: Date;
  /** What made this delete, when it is not the batch's (each vendor event of a batch logs its own id). */
  origin?: ChangeOrigin;
}

/**
 * Deletes of resources we never held, with their time: a create observed
 * before it (a reordered notification, an older listing page) must not bring
 * the resource back.
 */
export async function leaveTombstones(manager: EntityManager, kind: ResourceKind, secretId: string, deletions: ObservedDeletion[]): Promise<void> {
  if (deletions.length === 0) return;
  await manager.query(
    `INSERT INTO resource_tombstones (resource_kind, secret_id, instance_id, deleted_at)
     SELECT $1, $2, d.instance_id, d.observed_at FROM json_to_recordset($3::json) AS d(instance_id text, observed_at timestamptz)
     ON CONFLICT (resource_kind, secret_id, instance_id) DO UPDATE
       SET deleted_at = GREATEST(resource_tombstones.deleted_at, EXCLUDED.deleted_at)`,
    [kind.type, secretId, JSON.stringify(deletions.map((d) => ({ instance_id: d.instanceId, observed_at: d.observedAt.toISOString() })))],
  );
}

/** The tombstones' times of those instance ids that have one. */
export async function tombstoneTimes(manager: EntityManager, kind: ResourceKind, secretId: string, instanceIds: string[]): Promise<Map<string, Date>> {
  if (instanceIds.length === 0) return new Map();
  const rows: { instance_id: string; deleted_at: Date }[] = await manager.query(
    `SELECT instance_id, deleted_at FROM resource_tombstones WHERE resource_kind = $1 AND secret_id = $2 AND instance_id = ANY($3::text[])`,
    [kind.type, secretId, instanceIds],
  );
  return new Map(rows.map((row) => [row.instance_id, row.deleted_at]));
}

/** Forgets at most `limit` tombstones older than `cutoff` (the retention); answers how many. */
export async function pruneTombstones(manager: EntityManager, cutoff: Date, limit: number): Promise<number> {
  // TypeORM answers a DELETE with [rows, affected count].
  const [, deleted]: [unknown, number] = await manager.query(
    `DELETE FROM resource_tombstones
      WHERE (resource_kind, secret_id, instance_id) IN (
        SELECT resource_kind, secret_id, instance_id FROM resource_tombstones WHERE deleted_at < $1 ORDER BY deleted_at LIMIT $2)`,
    [cutoff, limit],
  );
  return deleted;
}
