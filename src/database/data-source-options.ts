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
    extra: {
      max: handle.poolSize,
      connectionTimeoutMillis: 10_000,
      // The embedded database takes one connection: the app keeps it (pg frees idle ones after 10 s), so no other client gets the slot.
      ...(handle.kind === 'embedded' ? { idleTimeoutMillis: 0 } : {}),
    },
  };
}
