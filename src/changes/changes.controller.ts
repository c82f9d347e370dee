import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorators';
import { ApiErrors } from '../common/error-body';
import { JsonText } from '../common/json-text';
import { changeJson } from './change-json';
import { ChangesService } from './changes.service';
import { ChangeLogPage } from './dto/change.response';
import { changeFilterOf, ListChangesQuery } from './dto/list-changes.query';

@ApiTags('changes')
@RequireRole('viewer')
@Controller('changes')
export class ChangesController {
  constructor(private readonly changes: ChangesService) {}

  @Get()
  @JsonText()
  @ApiOperation({
    summary: 'The change log after a revision, oldest first',
    description:
      'Keyset pages by revision: pass `next_after` back as `after` for the next page; it is null on the last page (then resume from ' +
      '`latest_revision`, or watch from it). Each change: revision, changed_at, kind, resource_id, vendor, instance_id, secret_id, region, ' +
      'change_type, changed_fields (old and new value of each changed column; null on creation), trigger with job_id or event_id, and object: ' +
      'the resource right after the change (for a delete, its last state).',
  })
  @ApiOkResponse({ type: ChangeLogPage })
  @ApiErrors([400])
  async list(@Query() query: ListChangesQuery): Promise<string> {
    // The latest revision first: a change committed in between is then on a later page, never skipped.
    const latest = await this.changes.latestRevision();
    const rows = await this.changes.readAfter(query.after, query.limit + 1, changeFilterOf(query));
    const page = rows.slice(0, query.limit);
    const nextAfter = rows.length > query.limit ? page[page.length - 1].revision : null;
    return `{"items":[${page.map(changeJson).join(',')}],"next_after":${nextAfter},"latest_revision":${Math.max(latest, page.at(-1)?.revision ?? 0)}}`;
  }
}
