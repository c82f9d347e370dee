import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorators';
import { decodeCursor, toPage } from '../common/pagination';
import { parseUuid } from '../common/validation';
import { eventView } from './dto/event.view';
import { ListEventsQuery } from './dto/list-events.query';
import { EventInbox } from './inbox/event-inbox';

@ApiTags('delta sync')
@Controller('events')
@RequireRole('operator')
export class EventsController {
  constructor(private readonly inbox: EventInbox) {}

  @Get()
  @ApiOperation({ summary: 'Vendor notifications received, newest first, with their outcome (applied, stale, ignored, failed, or pending)' })
  async list(@Query() query: ListEventsQuery) {
    const [beforeSeq] = query.cursor ? (decodeCursor(query.cursor, ['string']) as [string]) : [undefined];
    const rows = await this.inbox.list({
      status: query.status,
      secretId: query.secret_id,
      vendor: query.vendor,
      instanceId: query.instance_id,
      beforeSeq,
      limit: query.limit + 1,
    });
    return toPage(rows, query.limit, (row) => [row.seq], eventView);
  }

  @Get(':id')
  async get(@Param('id', parseUuid('id')) id: string) {
    const event = await this.inbox.get(id);
    if (!event) throw new NotFoundException(`event ${id} not found`);
    return eventView(event);
  }
}
