import { Injectable } from '@nestjs/common';
import type { ChangeRecord } from '../changes/change-record';
import { ChangesService } from '../changes/changes.service';
import { decodeCursor, Page, PageQuery, toPage } from '../common/pagination';
import { fieldError } from '../common/validation';
import type { ResourceKind } from './resource-columns';
import { ResourceQueryService } from './resource-query.service';

export function changeView(change: ChangeRecord) {
  return {
    revision: change.revision,
    change_type: change.changeType,
    changed_at: change.changedAt.toISOString(),
    job_id: change.jobId,
    /** Updates (and revivals, deletions): each changed column with its old and new value; null on creation. */
    changed_fields: change.changedFields,
  };
}

export type ChangeView = ReturnType<typeof changeView>;

const REVISION = /^[1-9]\d{0,17}$/;

/** A resource's changes from the change log, newest first. */
@Injectable()
export class ResourceHistoryService {
  constructor(
    private readonly changes: ChangesService,
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
    const rows = await this.changes.historyOf(kind.type, resourceId, before, query.limit + 1);
    return toPage(rows, query.limit, (row) => [String(row.revision)], changeView);
  }
}
