import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ChangeType } from '../changes/change-log';
import { decodeCursor, Page, PageQuery, toPage } from '../common/pagination';
import { fieldError } from '../common/validation';
import type { ResourceKind } from './resource-columns';
import { ResourceQueryService } from './resource-query.service';

interface ChangeRow {
  revision: string;
  change_type: ChangeType;
  changed_at: Date;
  job_id: string | null;
  changed_fields: Record<string, { old: unknown; new: unknown }> | null;
}

export function changeView(row: ChangeRow) {
  return {
    revision: Number(row.revision),
    change_type: row.change_type,
    changed_at: row.changed_at.toISOString(),
    job_id: row.job_id,
    /** Updates (and revivals, deletions): each changed column with its old and new value; null on creation. */
    changed_fields: row.changed_fields,
  };
}

export type ChangeView = ReturnType<typeof changeView>;

const REVISION = /^[1-9]\d{0,17}$/;

/** A resource's changes from the change log, newest first. */
@Injectable()
export class ResourceHistoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly resources: ResourceQueryService,
  ) {}

  async history(kind: ResourceKind, idOrRef: string, query: PageQuery): Promise<Page<ChangeView>> {
    const resourceId = await this.resources.resolveId(kind, idOrRef);
    let before: string | null = null;
    if (query.cursor) {
      const [revision] = decodeCursor(query.cursor, ['string']);
      if (!REVISION.test(revision as string)) throw fieldError('cursor', 'cursor is not valid');
      before = revision as string;
    }
    const rows: ChangeRow[] = await this.dataSource.query(
      // Ordered on c.revision, the bigint: a bare `revision` would be the text column selected here.
      `SELECT c.revision::text AS revision, c.change_type, c.changed_at, c.job_id, c.changed_fields
         FROM resource_changes c
        WHERE c.resource_kind = $1 AND c.resource_id = $2 AND ($3::bigint IS NULL OR c.revision < $3::bigint)
        ORDER BY c.revision DESC
        LIMIT $4`,
      [kind.type, resourceId, before, query.limit + 1],
    );
    return toPage(rows, query.limit, (row) => [row.revision], changeView);
  }
}
