import { Module } from '@nestjs/common';
import { InventoryModule } from '../../inventory/inventory.module';
import { ChangesModule } from '../changes.module';
import { WatchCache } from './watch-cache';
import { WatchController } from './watch.controller';

/** GET /watch: the change log as Server-Sent Events, fanned out by one watch cache per process. */
@Module({
  imports: [ChangesModule, InventoryModule],
  controllers: [WatchController],
  providers: [WatchCache],
})
export class WatchModule {}
