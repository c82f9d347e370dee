import { startEmbeddedDatabase } from './embedded-database';

/** Where the server's database is, however it was obtained. */
export interface DatabaseHandle {
  kind: 'embedded' | 'postgres';
  url: string;
  /** 1 for the embedded database: more connections lose writes there. */
  poolSize: number;
  close(): Promise<void>;
}

export interface DatabaseSettings {
  DATABASE_URL?: string;
  DATABASE_POOL_SIZE: number;
  CMDB_DATA_DIR: string;
}

/** `DATABASE_URL` set: that PostgreSQL. Unset: the embedded PGlite in the data directory. */
export async function openDatabase(settings: DatabaseSettings): Promise<DatabaseHandle> {
  if (settings.DATABASE_URL) {
    return { kind: 'postgres', url: settings.DATABASE_URL, poolSize: settings.DATABASE_POOL_SIZE, close: async () => {} };
  }
  const embedded = await startEmbeddedDatabase({ dataDir: settings.CMDB_DATA_DIR });
  return { kind: 'embedded', url: embedded.url, poolSize: 1, close: () => embedded.close() };
}
