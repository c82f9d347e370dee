import { Controller, Get } from '@nestjs/common';
import { RequireRole } from '../auth/access.decorators';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InventoryStatsView } from './dto/stats.response';
import { InventoryStatsService } from './inventory-stats.service';

@ApiTags('inventory')
@RequireRole('viewer')
@Controller('stats')
export class StatsController {
  constructor(private readonly inventory: InventoryStatsService) {}

  @Get()
  @ApiOperation({
    summary: 'Counts of active resources by vendor, region, status and resource type',
    description: 'Overall, and per resource type under `resource_types` (host, rds). Deleted resources are not counted.',
  })
  @ApiOkResponse({ type: InventoryStatsView })
  stats(): Promise<InventoryStatsView> {
    return this.inventory.stats();
  }
}
