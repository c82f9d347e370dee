import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdvisoryLocks } from './advisory-locks';
import { dataSourceOptions } from './data-source-options';
import type { DatabaseHandle } from './database-handle';
import { DATABASE_HANDLE } from './database.tokens';

/** TypeORM on the handle the caller opened (main.ts or a test); the caller closes the handle after the app. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(handle: DatabaseHandle, options: { runMigrations: boolean }): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(handle, options),
          autoLoadEntities: true,
          retryAttempts: 2,
          retryDelay: 1_000,
        }),
      ],
      providers: [{ provide: DATABASE_HANDLE, useValue: handle }, AdvisoryLocks],
      exports: [DATABASE_HANDLE, AdvisoryLocks],
    };
  }
}
