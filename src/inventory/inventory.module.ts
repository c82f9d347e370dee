import { Module } from '@nestjs/common';
import { ChangesModule } from '../changes/changes.module';
import { DatabasesController } from './databases.controller';
import { HostsController } from './hosts.controller';
import { InventoryStatsService } from './inventory-stats.service';
import { InventoryWriter } from './inventory-writer';
import { ResourceHistoryService } from './resource-history.service';
import { ResourceQueryService } from './resource-query.service';
import { StatsController } from './stats.controller';
import { TombstoneRetention } from './tombstone-retention';

@Module({
  imports: [ChangesModule],
  controllers: [HostsController, DatabasesController, StatsController],
  providers: [InventoryWriter, ResourceQueryService, ResourceHistoryService, InventoryStatsService, TombstoneRetention],
  exports: [InventoryWriter, ResourceQueryService],
})
export class InventoryModule {}
