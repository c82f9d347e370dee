import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import type { DatabaseHandle } from '../../src/database/database-handle';
import { startEmbeddedDatabase } from '../../src/database/embedded-database';
import { databaseUrl, POSTGRES_TEMPLATE, TEST_DATABASE_PREFIX } from './template-database';

/**
 * A fresh, migrated database for one test file: an in-memory PGlite loaded
 * from the template by default, or with TEST_DATABASE_URL set, a database of
 * its own on that server cloned from the template (dropped on close).
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `${TEST_DATABASE_PREFIX}_${randomBytes(6).toString('hex')}`;
    await adminQuery(serverUrl, `CREATE DATABASE ${name} TEMPLATE ${POSTGRES_TEMPLATE}`);
    return {
      kind: 'postgres',
      url: databaseUrl(serverUrl, name),
      poolSize: 10,
      close: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const template = process.env.CMDB_TEST_TEMPLATE;
  if (!template) throw new Error('No test database template: run the tests through jest (globalSetup builds it)');
  const embedded = await startEmbeddedDatabase({ loadDataDir: new Blob([readFileSync(template)]) });
  return { kind: 'embedded', url: embedded.url, poolSize: 1, close: () => embedded.close() };
}

/** One statement on the server's maintenance database (CREATE/DROP DATABASE). */
export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
