import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorators';
import { ApiErrors } from '../common/error-body';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { parseUuid } from '../common/validation';
import { EventPage, EventView } from './dto/event.response';
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
  @ApiOkResponse({ type: EventPage })
  @ApiErrors([400])
  async list(@Query() query: ListEventsQuery): Promise<Page<EventView>> {
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
  @ApiOperation({ summary: 'One vendor notification, with its payload and outcome' })
  @ApiOkResponse({ type: EventView })
  @ApiErrors([400, 404])
  async get(@Param('id', parseUuid('id')) id: string): Promise<EventView> {
    const event = await this.inbox.get(id);
    if (!event) throw new NotFoundException(`event ${id} not found`);
    return eventView(event);
  }
}
