import { Body, ConflictException, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireRole } from '../auth/access.decorators';
import { AuditService } from '../auth/audit.service';
import { ApiErrors } from '../common/error-body';
import { JsonText } from '../common/json-text';
import { parseUuid } from '../common/validation';
import type { ItemAction } from '../inventory/inventory-writer';
import { ProviderRegistry } from '../providers/provider-registry';
import { SecretsService } from '../secrets/secrets.service';
import { ListJobItemsQuery, ListSyncJobsQuery } from './dto/sync-job-queries';
import { ItemResultPage, SyncAllView, SyncAnswerView, SyncJobPage, SyncJobView } from './dto/sync-job.response';
import { syncJobView } from './dto/sync-job.view';
import { DEFAULT_DETAILS_LIMIT, DetailLevel, SyncQueryDto, SyncScopeDto } from './dto/sync-request.dto';
import { FullSyncService } from './full-sync.service';
import { JobQueue } from './schedule/job-queue';
import { SyncJobEntity } from './sync-job.entity';
import { SyncJobsService } from './sync-jobs.service';
import { checkedScope } from './sync-scope';

const DETAIL_ACTIONS: Record<DetailLevel, ItemAction[] | null> = {
  all: null,
  changed: ['created', 'updated', 'deleted'],
  failed: ['failed'],
  none: [],
};

@ApiTags('sync')
@Controller()
export class SyncController {
  constructor(
    private readonly secrets: SecretsService,
    private readonly fullSync: FullSyncService,
    private readonly jobs: SyncJobsService,
    private readonly queue: JobQueue,
    private readonly audit: AuditService,
    private readonly providers: ProviderRegistry,
  ) {}

  @Post('secrets/:id/sync')
  @RequireRole('operator')
  @HttpCode(200)
  @JsonText()
  @ApiOperation({
    summary: 'Full sync of one scope of a secret',
    description:
      'Pages through the vendor, saves each resource and answers per item. 200 when the job ran to its end, whatever its status ' +
      '(succeeded, partial, failed: see `status` and `error`); 202 with the job id when wait=false; 409 while the scope syncs.',
  })
  @ApiOkResponse({ type: SyncAnswerView, description: 'The job ran to its end: its view and its first per-item results' })
  @ApiAcceptedResponse({ type: SyncJobView, description: 'wait=false: the job, started' })
  @ApiErrors([400, 404, 409], { 409: 'The scope is syncing already (the message names the job), or the secret is disabled' })
  async sync(
    @Param('id', parseUuid('id')) id: string,
    @Body() body: SyncScopeDto,
    @Query() query: SyncQueryDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const secret = await this.secrets.get(id);
    const { resourceType, region } = checkedScope(secret, this.providers.get(secret.vendor), {
      region: body.region ?? query.region,
      resourceType: body.resource_type ?? query.resource_type,
    });
    if (!secret.enabled) throw new ConflictException('this secret is disabled: enable it to sync');

    const { job, done } = await this.fullSync.start(secret, resourceType, region, 'api');
    if (query.wait === false) {
      response.status(HttpStatus.ACCEPTED);
      return syncJobView(job);
    }
    const finished = await done;
    const level = query.details ?? 'all';
    const limit = query.details_limit ?? DEFAULT_DETAILS_LIMIT;
    const total = detailsTotal(finished, level);
    const details = await this.jobs.itemsJson(finished.id, DETAIL_ACTIONS[level], Math.min(limit, total));
    const action = level === 'failed' ? '&action=failed' : '';
    const paging = {
      details_total: total,
      details_truncated: total > limit,
      // Every item, whatever the level (the items route filters by one action at a time).
      details_next: total > limit ? `/sync-jobs/${finished.id}/items?limit=500${action}` : null,
    };
    // The job's view with the details spliced in as the text PostgreSQL made of them.
    return `${JSON.stringify({ ...syncJobView(finished), ...paging }).slice(0, -1)},"details":[${details}]}`;
  }

  @Post('secrets/:id/sync-all')
  @RequireRole('operator')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Enqueue a sync of every scope of a secret (each allowed region, each resource type), as the schedule does',
    description: 'The jobs run on the worker pool; follow them with GET /sync-jobs/:id.',
  })
  @ApiAcceptedResponse({ type: SyncAllView })
  @ApiErrors([400, 404, 409], { 409: 'The secret is disabled' })
  async syncAll(@Param('id', parseUuid('id')) id: string): Promise<SyncAllView> {
    const secret = await this.secrets.get(id);
    if (!secret.enabled) throw new ConflictException('this secret is disabled: enable it to sync');
    const jobIds = await this.queue.enqueue(secret, 'api', null);
    for (const jobId of jobIds) {
      await this.audit.record({ action: 'sync.triggered', target: { kind: 'sync_job', id: jobId }, details: { secret_id: secret.id, all_scopes: true } });
    }
    return { job_ids: jobIds };
  }

  @Get('sync-jobs')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Sync jobs, newest first' })
  @ApiOkResponse({ type: SyncJobPage })
  @ApiErrors([400])
  list(@Query() query: ListSyncJobsQuery) {
    return this.jobs.list(query);
  }

  @Get('sync-jobs/:id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'A sync job: status, counts, progress while it runs, error' })
  @ApiOkResponse({ type: SyncJobView })
  @ApiErrors([400, 404])
  async get(@Param('id', parseUuid('id')) id: string): Promise<SyncJobView> {
    return syncJobView(await this.jobs.get(id));
  }

  @Get('sync-jobs/:id/items')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'A sync job\'s per-item results, in order, filterable by action' })
  @ApiOkResponse({ type: ItemResultPage })
  @ApiErrors([400, 404])
  items(@Param('id', parseUuid('id')) id: string, @Query() query: ListJobItemsQuery) {
    return this.jobs.items(id, query);
  }
}

/** How many items a detail level holds, from the job's counters (no scan of its items). */
function detailsTotal(job: SyncJobEntity, level: DetailLevel): number {
  switch (level) {
    case 'all':
      return job.itemsDone;
    case 'changed':
      return job.created + job.updated + job.deleted;
    case 'failed':
      return job.totalFailed;
    case 'none':
      return 0;
  }
}
