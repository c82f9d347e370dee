import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { startEmbeddedDatabase } from '../../src/database/embedded-database';

/**
 * Every database the suite makes on a real server starts with this prefix
 * (TEST_DATABASE_PREFIX, default cmdb_test), so that two checkouts testing on
 * one server at once do not drop each other's databases.
 */
export const TEST_DATABASE_PREFIX = process.env.TEST_DATABASE_PREFIX ?? 'cmdb_test';
if (!/^[a-z][a-z0-9_]{0,30}$/.test(TEST_DATABASE_PREFIX)) throw new Error('TEST_DATABASE_PREFIX must be a lower-case identifier of at most 31 characters');

/** The database every test file copies: migrated once per run, in globalSetup. */
export const POSTGRES_TEMPLATE = `${TEST_DATABASE_PREFIX}_template`;

async function migrate(url: string, poolSize: number): Promise<void> {
  const dataSource = new DataSource(
    dataSourceOptions({ kind: 'postgres', url, poolSize, close: async () => {} }, { runMigrations: false }),
  );
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

/** A migrated in-memory PGlite, dumped: each test file loads it in about a second. */
export async function buildEmbeddedTemplate(): Promise<Buffer> {
  const embedded = await startEmbeddedDatabase();
  try {
    await migrate(embedded.url, 1);
    const dump = await embedded.pglite.dumpDataDir('none');
    return Buffer.from(await dump.arrayBuffer());
  } finally {
    await embedded.close();
  }
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A migrated template database on the real server: each test file clones it with CREATE DATABASE ... TEMPLATE. */
export async function buildPostgresTemplate(serverUrl: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const stale = await admin.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [`${TEST_DATABASE_PREFIX}_`]);
    for (const row of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${POSTGRES_TEMPLATE}`);
  } finally {
    await admin.end();
  }
  await migrate(databaseUrl(serverUrl, POSTGRES_TEMPLATE), 2);
}

export type { PGlite };
