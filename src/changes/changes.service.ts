import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ResourceType } from '../providers/provider';
import type { ChangeType } from './change-log';
import type { ChangeFilter, ChangeRecord } from './change-record';

const COLUMNS = `c.revision::text AS revision, c.changed_at, c.resource_kind, c.resource_id, c.vendor, c.instance_id, c.secret_id, c.region,
       c.change_type, c.changed_fields, c.trigger, c.job_id, c.event_id, c.object`;

interface ChangeRow {
  revision: string;
  changed_at: Date;
  resource_kind: ResourceType;
  resource_id: string;
  vendor: string;
  instance_id: string;
  secret_id: string | null;
  region: string | null;
  change_type: ChangeType;
  changed_fields: Record<string, { old: unknown; new: unknown }> | null;
  trigger: 'sync' | 'event';
  job_id: string | null;
  event_id: string | null;
  object: string | null;
}

/**
 * Reads the change log (resource_changes, revisions from change_revisions;
 * this module owns both). Every read sees only committed changes, and since
 * revisions are handed out in commit order (see appendChanges), "after R"
 * never skips a change that commits later.
 */
@Injectable()
export class ChangesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Committed changes with revision > after, oldest first, at most `limit`, narrowed by the filter. */
  async readAfter(after: number, limit: number, filter: ChangeFilter = {}): Promise<ChangeRecord[]> {
    const rows: ChangeRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS}
         FROM resource_changes c
        WHERE c.revision > $1
          AND ($2::text IS NULL OR c.resource_kind = $2) AND ($3::text IS NULL OR c.vendor = $3)
          AND ($4::uuid IS NULL OR c.secret_id = $4) AND ($5::text IS NULL OR c.region = $5)
          AND ($6::text IS NULL OR c.change_type = $6)
        ORDER BY c.revision
        LIMIT $7`,
      [after, filter.kind ?? null, filter.vendor ?? null, filter.secretId ?? null, filter.region ?? null, filter.changeType ?? null, limit],
    );
    return rows.map(toRecord);
  }

  /** One resource's changes, newest first, before a revision (null: from the newest): its history. */
  async historyOf(kind: ResourceType, resourceId: string, before: string | null, limit: number): Promise<ChangeRecord[]> {
    const rows: ChangeRow[] = await this.dataSource.query(
      // Ordered on c.revision, the bigint: a bare `revision` would be the text column selected here.
      `SELECT ${COLUMNS}
         FROM resource_changes c
        WHERE c.resource_kind = $1 AND c.resource_id = $2 AND ($3::bigint IS NULL OR c.revision < $3::bigint)
        ORDER BY c.revision DESC
        LIMIT $4`,
      [kind, resourceId, before, limit],
    );
    return rows.map(toRecord);
  }

  /**
   * The newest committed revision: every change up to it is visible to a
   * reader whose snapshot saw it. Pass a transaction's manager to read it in
   * that transaction's snapshot (a list's resource_version).
   */
  async latestRevision(manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row]: { last: string }[] = await manager.query(`SELECT last::text AS last FROM change_revisions`);
    return Number(row.last);
  }

  /**
   * The oldest revision a reader can still start after: changes after it are
   * all kept. Older ones were pruned (or, with an empty log, there is nothing
   * to read and only the latest revision is a valid start).
   */
  async oldestResumableRevision(): Promise<number> {
    const [row]: { oldest: string | null; last: string }[] = await this.dataSource.query(
      `SELECT (SELECT min(revision) FROM resource_changes)::text AS oldest, (SELECT last FROM change_revisions)::text AS last`,
    );
    return row.oldest === null ? Number(row.last) : Number(row.oldest) - 1;
  }
}

function toRecord(row: ChangeRow): ChangeRecord {
  return {
    revision: Number(row.revision),
    changedAt: row.changed_at,
    kind: row.resource_kind,
    resourceId: row.resource_id,
    vendor: row.vendor,
    instanceId: row.instance_id,
    secretId: row.secret_id,
    region: row.region,
    changeType: row.change_type,
    changedFields: row.changed_fields,
    trigger: row.trigger,
    jobId: row.job_id,
    eventId: row.event_id,
    object: row.object,
  };
}
