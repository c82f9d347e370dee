import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, TEST_DATABASE_PREFIX } from './template-database';
import { adminQuery } from './test-database';
import type { ServerProcess } from './server-process';

/** Where the killed server keeps its data: a data dir, or a database of its own on the real server. */
export async function serverEnvironment(label = 'crash'): Promise<{ environment: Record<string, string>; cleanup(): Promise<void> }> {
  const encryptionKey = randomBytes(32).toString('base64');
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), `cmdb-${label}-`));
    return { environment: { CMDB_DATA_DIR: dataDir, CMDB_ENCRYPTION_KEY: encryptionKey }, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `${TEST_DATABASE_PREFIX}_${label}_${process.pid}`;
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  return {
    environment: { DATABASE_URL: databaseUrl(serverUrl, name), CMDB_ENCRYPTION_KEY: encryptionKey },
    cleanup: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** One JSON call to a server process, as its admin. */
export async function call(server: ServerProcess, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...server.headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

