import { Controller, Get, Param, Query } from '@nestjs/common';
import { RequireRole } from '../auth/access.decorators';
import { ApiTags } from '@nestjs/swagger';
import { PageQuery } from '../common/pagination';
import { ResourceChangePage } from './dto/resource-change.response';
import { DatabaseDetail, DatabasePage } from './dto/resource.response';
import { ListDatabasesQuery, listingOf } from './dto/list-resources.query';
import { RESOURCE_KINDS } from './resource-columns';
import { ResourceHistoryService } from './resource-history.service';
import { ResourceQueryService } from './resource-query.service';
import { GetRoute, HistoryRoute, ListRoute } from './resource-routes';

const DATABASES = RESOURCE_KINDS.rds;

@ApiTags('inventory')
@RequireRole('viewer')
@Controller('databases')
export class DatabasesController {
  constructor(
    private readonly resources: ResourceQueryService,
    private readonly changes: ResourceHistoryService,
  ) {}

  @Get()
  @ListRoute('database', DatabasePage)
  list(@Query() query: ListDatabasesQuery): Promise<string> {
    return this.resources.list(DATABASES, listingOf(query, { engine: query.engine }), query.count);
  }

  @Get(':id')
  @GetRoute('database', DatabaseDetail)
  get(@Param('id') id: string): Promise<string> {
    return this.resources.get(DATABASES, id);
  }

  @Get(':id/history')
  @HistoryRoute('database', ResourceChangePage)
  history(@Param('id') id: string, @Query() query: PageQuery) {
    return this.changes.history(DATABASES, id, query);
  }
}
