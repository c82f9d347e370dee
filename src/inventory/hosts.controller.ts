import { Controller, Get, Param, Query } from '@nestjs/common';
import { RequireRole } from '../auth/access.decorators';
import { ApiTags } from '@nestjs/swagger';
import { PageQuery } from '../common/pagination';
import { ResourceChangePage } from './dto/resource-change.response';
import { HostDetail, HostPage } from './dto/resource.response';
import { ListHostsQuery, listingOf } from './dto/list-resources.query';
import { RESOURCE_KINDS } from './resource-columns';
import { ResourceHistoryService } from './resource-history.service';
import { ResourceQueryService } from './resource-query.service';
import { GetRoute, HistoryRoute, ListRoute } from './resource-routes';

const HOSTS = RESOURCE_KINDS.host;

@ApiTags('inventory')
@RequireRole('viewer')
@Controller('hosts')
export class HostsController {
  constructor(
    private readonly resources: ResourceQueryService,
    private readonly changes: ResourceHistoryService,
  ) {}

  @Get()
  @ListRoute('host', HostPage)
  list(@Query() query: ListHostsQuery): Promise<string> {
    return this.resources.list(HOSTS, listingOf(query, { instance_type: query.instance_type }), query.count);
  }

  @Get(':id')
  @GetRoute('host', HostDetail)
  get(@Param('id') id: string): Promise<string> {
    return this.resources.get(HOSTS, id);
  }

  @Get(':id/history')
  @HistoryRoute('host', ResourceChangePage)
  history(@Param('id') id: string, @Query() query: PageQuery) {
    return this.changes.history(HOSTS, id, query);
  }
}
