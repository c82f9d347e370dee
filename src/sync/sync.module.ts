import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InventoryModule } from '../inventory/inventory.module';
import { ProvidersModule } from '../providers/providers.module';
import { SecretsModule } from '../secrets/secrets.module';
import { FullSyncService } from './full-sync.service';
import { InterruptedJobs } from './interrupted-jobs';
import { JobQueue } from './schedule/job-queue';
import { SyncScheduler } from './schedule/sync-scheduler';
import { SyncWorkers } from './schedule/sync-workers';
import { SyncJobEntity } from './sync-job.entity';
import { SyncController } from './sync.controller';
import { VerifyController } from './verify.controller';
import { SyncJobsService } from './sync-jobs.service';

@Module({
  imports: [TypeOrmModule.forFeature([SyncJobEntity]), SecretsModule, ProvidersModule, InventoryModule],
  controllers: [SyncController, VerifyController],
  providers: [FullSyncService, SyncJobsService, InterruptedJobs, JobQueue, SyncWorkers, SyncScheduler],
  exports: [FullSyncService, SyncJobsService],
})
export class SyncModule {}
