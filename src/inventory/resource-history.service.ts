import { Injectable } from '@nestjs/common';
import type { ChangeRecord } from '../changes/change-record';
import { ChangesService } from '../changes/changes.service';
import { decodeCursor, Page, PageQuery, toPage } from '../common/pagination';
import { fieldError } from '../common/validation';
import type { ResourceChangeView } from './dto/resource-change.response';
import type { ResourceKind } from './resource-columns';
import { ResourceQueryService } from './resource-query.service';

export function changeView(change: ChangeRecord): ResourceChangeView {
  return {
    revision: change.revision,
    change_type: change.changeType,
    changed_at: change.changedAt.toISOString(),
    job_id: change.jobId,
    changed_fields: change.changedFields,
  };
}

const REVISION = /^[1-9]\d{0,17}$/;

/** A resource's changes from the change log, newest first. */
@Injectable()
export class ResourceHistoryService {
  constructor(
    private readonly changes: ChangesService,
    private readonly resources: ResourceQueryService,
  ) {}

  async history(kind: ResourceKind, idOrRef: string, query: PageQuery): Promise<Page<ResourceChangeView>> {
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
