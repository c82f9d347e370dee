import { Module } from '@nestjs/common';
import { InventoryModule } from '../../inventory/inventory.module';
import { ProvidersModule } from '../../providers/providers.module';
import { SecretsModule } from '../../secrets/secrets.module';
import { SyncModule } from '../sync.module';
import { FeedApplier } from './feed-applier';
import { WatchLocks } from './watch-locks';
import { WatchSupervisor } from './watch-supervisor';

/** vSphere secrets with `watch: true`: their vCenter's change feed, followed by one process across the replicas. */
@Module({
  imports: [SecretsModule, ProvidersModule, InventoryModule, SyncModule],
  providers: [FeedApplier, WatchLocks, WatchSupervisor],
  exports: [WatchSupervisor],
})
export class VsphereWatchModule {}
