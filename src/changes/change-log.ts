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

/** The PostgreSQL channel an appending transaction notifies; it fires at commit, to every process. */
export const CHANGES_CHANNEL = 'cmdb_changes';

/** Where appendChanges leaves the transaction's last revision for the in-process signal (QueryRunner.data). */
export const APPENDED_REVISION = 'cmdbAppendedRevision';

/**
 * Appends changes to the log in ONE statement, inside the caller's
 * transaction (a write and its change record commit or vanish together),
 * which must make it the transaction's LAST statement.
 *
 * Why: the revisions are taken from the one-row counter `change_revisions`
 * (`UPDATE ... SET last = last + n`), whose row lock this transaction then
 * holds until it commits; PostgreSQL releases locks only after the commit is
 * visible. The next appender waits on that lock, so it gets higher revisions
 * AND commits later: revisions become visible in order, and a reader that has
 * seen revision R can never later find a committed revision <= R it did not
 * see (a bigserial, taken at insert, let a batch holding 10 commit after one
 * holding 11). As the last statement, the lock is held only for this insert
 * and the commit. The counter rolls back with the transaction: no gaps.
 * On the embedded database (one connection) transactions never overlap at all.
 *
 * Each row also stores the resource's API view right after the change (for a
 * delete, its last state), its secret and region, read from the row this
 * transaction just wrote: a change is self-contained and serialised once.
 * That join on the inventory's tables is the one place this module reads
 * another's, on purpose: the view is a generated column, and handing it to
 * Node and back would ship every change's object twice on the write path.
 * changed_at is the clock at this statement, just before the commit (now()
 * would be the transaction's start): the watch's lag is measured from it.
 * `pg_notify` in the same statement is queued until the commit, so the
 * wake-up never precedes the data.
 */
export async function appendChanges(manager: EntityManager, changes: ResourceChange[]): Promise<void> {
  if (changes.length === 0) return;
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) throw new Error('appendChanges must run inside the transaction that made the changes');
  const rows = changes.map((change, index) => ({
    n: index + 1,
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
  const [appended]: { last: string }[] = await manager.query(
    `WITH counter AS (
       UPDATE change_revisions SET last = last + $2 RETURNING last
     ), inserted AS (
       INSERT INTO resource_changes (revision, resource_kind, resource_id, vendor, instance_id, change_type, checksum, changed_fields,
                                     trigger, job_id, event_id, secret_id, region, object, changed_at)
       SELECT counter.last - $2 + c.n, c.resource_kind, c.resource_id, c.vendor, c.instance_id, c.change_type, c.checksum, c.changed_fields,
              c.trigger, c.job_id, c.event_id, coalesce(h.secret_id, d.secret_id), coalesce(h.region, d.region), coalesce(h.api_view, d.api_view),
              clock_timestamp()
         FROM counter
        CROSS JOIN json_to_recordset($1::json) AS c(n bigint, resource_kind text, resource_id uuid, vendor text, instance_id text,
              change_type text, checksum text, changed_fields jsonb, trigger text, job_id uuid, event_id uuid)
         LEFT JOIN hosts h ON c.resource_kind = 'host' AND h.id = c.resource_id
         LEFT JOIN databases d ON c.resource_kind = 'rds' AND d.id = c.resource_id
     )
     SELECT last::text AS last, pg_notify('${CHANGES_CHANNEL}', last::text) FROM counter`,
    [JSON.stringify(rows), rows.length],
  );
  runner.data[APPENDED_REVISION] = Number(appended.last);
}
