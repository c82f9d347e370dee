import { Controller, Get, GoneException, Headers, Logger, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { RequireRole } from '../../auth/access.decorators';
import { Authenticator } from '../../auth/authenticator';
import { bearerToken } from '../../auth/request-authorizer';
import { hasRole } from '../../auth/roles';
import { ApiErrors } from '../../common/error-body';
import { fieldError } from '../../common/validation';
import { EnvironmentVariables } from '../../config/environment';
import { ResourceQueryService } from '../../inventory/resource-query.service';
import { ChangesService } from '../changes.service';
import { filterOf } from '../dto/change-filter.query';
import { WatchQuery } from '../dto/watch.query';
import { sendInitialEvents } from './initial-events';
import { SseStream } from './sse-stream';
import { WatchCache } from './watch-cache';
import { bookmarkText } from './watch-event';
import { Watcher } from './watcher';

const REVISION = /^\d{1,16}$/;

@ApiTags('changes')
@RequireRole('viewer')
@Controller('watch')
export class WatchController {
  private readonly logger = new Logger(WatchController.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: ChangesService,
    private readonly resources: ResourceQueryService,
    private readonly cache: WatchCache,
    private readonly authenticator: Authenticator,
    private readonly environment: EnvironmentVariables,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Every change after a revision, as Server-Sent Events',
    description: [
      'List first (GET /hosts, /databases: `resource_version`), then watch from that revision: `curl -N -H "Authorization: Bearer $TOKEN" "$CMDB/watch?resource_version=R"`.',
      'Events, in revision order: `ADDED`, `MODIFIED`, `DELETED`, each with `id: <revision>` and data `{type, revision, kind, changed_at, changed_fields, object}` ' +
        '(object: the resource right after the change; for DELETED its last state). A standard SSE client that reconnects sends `Last-Event-ID` and resumes where it stopped.',
      '`BOOKMARK` every CMDB_WATCH_BOOKMARK_SECONDS with the current revision (`id:` too): everything matching the filters up to it was sent.',
      'With `send_initial_events=true`: the current state as `ADDED` events (no `id`), then a `BOOKMARK` with `initial_events_end: true`, then the changes after it.',
      '`ERROR` ends a stream: `TooSlow` (the client fell CMDB_WATCH_BUFFER_BYTES behind; resume after its `revision`), `Unauthorized` (the token was revoked).',
      'A revision older than the kept history (CMDB_CHANGES_RETENTION): 410, `details.code` `ResourceVersionTooOld` with `details.oldest_revision`: list again. A revision from the future: 400.',
    ].join('\n\n'),
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The last event id received (sent by SSE clients on reconnect): resume after it' })
  @ApiOkResponse({
    description: 'text/event-stream of ADDED, MODIFIED, DELETED, BOOKMARK and ERROR events',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiErrors([400, 410], {
    400: 'A bad parameter, or a revision from the future',
    410: '`details: { code: "ResourceVersionTooOld", oldest_revision }`: list again, then watch from the list\'s resource_version',
  })
  async watch(
    @Query() query: WatchQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const resumeFrom = await this.startRevision(query, lastEventId);
    const initial = query.send_initial_events && resumeFrom === null;
    const stream = new SseStream(response, this.environment.CMDB_WATCH_BUFFER_BYTES);
    const presented = bearerToken(request.headers.authorization) ?? '';
    const watcher = new Watcher(stream, filterOf(query), resumeFrom ?? 0, () => this.stillViewer(presented));
    stream.open();
    this.cache.register(watcher);
    try {
      if (initial) {
        const revision = await sendInitialEvents(this.dataSource, this.changes, this.resources, watcher);
        if (revision === null) return;
        watcher.revision = revision;
        stream.send(bookmarkText(revision, true));
      } else if (resumeFrom === null) {
        watcher.revision = await this.changes.latestRevision();
      }
      await this.cache.attach(watcher);
    } catch (error) {
      this.logger.error({ err: error }, 'a watch stream failed');
      watcher.end('InternalError', 'the server could not read the change log; resume from this revision');
    }
  }

  /** The revision to resume after (Last-Event-ID, else resource_version), checked against the kept history; null: none given. */
  private async startRevision(query: WatchQuery, lastEventId: string | undefined): Promise<number | null> {
    let field = 'resource_version';
    let revision = query.resource_version ?? null;
    if (lastEventId !== undefined && lastEventId.trim() !== '') {
      if (!REVISION.test(lastEventId.trim())) throw fieldError('Last-Event-ID', 'Last-Event-ID must be a revision (a whole number)');
      field = 'Last-Event-ID';
      revision = Number(lastEventId.trim());
    }
    if (revision === null || (query.send_initial_events && field === 'resource_version')) return null;
    const latest = await this.changes.latestRevision();
    if (revision > latest) throw fieldError(field, `${field} ${revision} is in the future: the latest revision is ${latest}`);
    const oldest = await this.changes.oldestResumableRevision();
    if (revision < oldest) {
      throw new GoneException({
        message: `${field} ${revision} is older than the kept history (oldest revision to watch from: ${oldest}): list again and watch from the list's resource_version`,
        details: { code: 'ResourceVersionTooOld', oldest_revision: oldest },
      });
    }
    return revision;
  }

  private async stillViewer(presented: string): Promise<boolean> {
    const result = await this.authenticator.authenticate(presented);
    return 'actor' in result && hasRole(result.actor.role, 'viewer');
  }
}

