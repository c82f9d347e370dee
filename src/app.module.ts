import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { loggerParams } from './common/logging';
import { AuthModule } from './auth/auth.module';
import { ChangesModule } from './changes/changes.module';
import { WatchModule } from './changes/watch/watch.module';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import type { EnvironmentVariables } from './config/environment';
import type { DatabaseHandle } from './database/database-handle';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { InventoryModule } from './inventory/inventory.module';
import { MetricsModule } from './metrics/metrics.module';
import { PublishingModule } from './publishing/publishing.module';
import { SecretsModule } from './secrets/secrets.module';
import { RunningSyncsModule } from './sync/running-syncs.module';
import { SyncModule } from './sync/sync.module';
import { VsphereWatchModule } from './sync/vsphere-watch/vsphere-watch.module';

export interface AppModuleOptions {
  environment: EnvironmentVariables;
  database: DatabaseHandle;
  /** Where logs go (stdout by default; tests capture them). */
  logStream?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(options.environment),
        LoggerModule.forRoot(loggerParams(options.environment, options.logStream)),
        DatabaseModule.forRoot(options.database, { runMigrations: options.environment.CMDB_RUN_MIGRATIONS }),
        ScheduleModule.forRoot(),
        MetricsModule,
        AuthModule,
        HealthModule,
        SecretsModule,
        RunningSyncsModule,
        SyncModule,
        VsphereWatchModule,
        InventoryModule,
        ChangesModule,
        WatchModule,
        PublishingModule,
        ConsoleModule,
        EventsModule,
      ],
    };
  }
}
