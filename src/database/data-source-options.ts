import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import type { DatabaseHandle } from './database-handle';

/** TypeORM options for a database handle. Never `synchronize`: the schema is the migrations'. */
export function dataSourceOptions(
  handle: DatabaseHandle,
  options: { runMigrations: boolean; entities?: DataSourceOptions['entities'] },
): DataSourceOptions {
  return {
    type: 'postgres',
    url: handle.url,
    entities: options.entities ?? [],
    migrations: MIGRATIONS,
    migrationsRun: options.runMigrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    installExtensions: false,
    extra: { max: handle.poolSize, connectionTimeoutMillis: 10_000 },
  };
}
