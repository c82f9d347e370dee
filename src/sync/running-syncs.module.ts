import { Global, Module } from '@nestjs/common';
import { RunningSyncs } from '../secrets/running-syncs';
import { RunningSyncJobs } from './running-sync-jobs';

/**
 * Provides the secrets module's RunningSyncs port. Global because the secrets
 * module cannot import the sync module (which imports it); it has no
 * dependencies, so no cycle of providers either.
 */
@Global()
@Module({
  providers: [{ provide: RunningSyncs, useClass: RunningSyncJobs }],
  exports: [RunningSyncs],
})
export class RunningSyncsModule {}
