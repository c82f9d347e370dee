import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { databaseUrl, TEST_DATABASE_PREFIX } from '../support/template-database';
import { expectStartFailure, startServerProcess } from '../support/server-process';

describe('the server process', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cmdb-data-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts on the embedded database in a fresh data dir, migrates it, and stops cleanly on SIGTERM', async () => {
    const server = await startServerProcess({ CMDB_DATA_DIR: dataDir });
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', database: { status: 'up', kind: 'embedded' } });
      expect(existsSync(join(dataDir, 'cmdb.lock'))).toBe(true);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(existsSync(join(dataDir, 'pglite'))).toBe(true);
    expect(existsSync(join(dataDir, 'cmdb.lock'))).toBe(false);
  });

  it('refuses a second process on a locked data dir with a clear message', async () => {
    const first = await startServerProcess({ CMDB_DATA_DIR: dataDir });
    try {
      const second = await expectStartFailure({ CMDB_DATA_DIR: dataDir });
      expect(second.exitCode).not.toBe(0);
      expect(second.output).toContain(`is in use by another CMDB process (pid ${first.child.pid})`);
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    } finally {
      await first.stop();
    }
  });

  it('fails fast on an invalid environment, naming every bad variable', async () => {
    const result = await expectStartFailure({ CMDB_DATA_DIR: dataDir, PORT: 'eighty', LOG_LEVEL: 'chatty' });
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('PORT');
    expect(result.output).toContain('LOG_LEVEL');
    expect(result.output).not.toMatch(/at .*\.js:\d+/); // a message, not a stack trace
  });

  const onPostgres = process.env.TEST_DATABASE_URL ? it : it.skip;
  onPostgres('starts on a real PostgreSQL given DATABASE_URL and migrates an empty database', async () => {
    const serverUrl = process.env.TEST_DATABASE_URL!;
    const name = `${TEST_DATABASE_PREFIX}_boot_${process.pid}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const refused = await expectStartFailure({ DATABASE_URL: databaseUrl(serverUrl, name) });
      expect(refused.exitCode).toBe(1);
      expect(refused.output).toContain('CMDB_ENCRYPTION_KEY is required with DATABASE_URL');

      const key = randomBytes(32).toString('base64');
      const server = await startServerProcess({ DATABASE_URL: databaseUrl(serverUrl, name), CMDB_ENCRYPTION_KEY: key });
      try {
        const ready = await fetch(`${server.url}/readyz`);
        expect(await ready.json()).toMatchObject({ status: 'ok', database: { kind: 'postgres' } });
      } finally {
        expect(await server.stop()).toBe(0);
      }
      const migrated = new Client({ connectionString: databaseUrl(serverUrl, name) });
      await migrated.connect();
      const tables = await migrated.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('secrets', 'hosts', 'sync_jobs')`);
      await migrated.end();
      expect(tables.rows[0].n).toBe(3);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe('the embedded data directory across restarts', () => {
  it('keeps what was written, and the generated encryption key still reads it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cmdb-restart-'));
    try {
      const first = await startServerProcess({ CMDB_DATA_DIR: dataDir });
      let id: string;
      try {
        const created = await fetch(`${first.url}/secrets`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...first.headers },
          body: JSON.stringify({ name: 'survives', vendor: 'aliyun', api_key: 'LTAIkeepme12345', api_secret: 's', allow_regions: ['*'] }),
        });
        expect(created.status).toBe(201);
        id = ((await created.json()) as { id: string }).id;
      } finally {
        expect(await first.stop()).toBe(0);
      }
      const second = await startServerProcess({ CMDB_DATA_DIR: dataDir });
      try {
        const fetched = await fetch(`${second.url}/secrets/${id}`, { headers: second.headers });
        expect(fetched.status).toBe(200);
        expect(await fetched.json()).toMatchObject({ name: 'survives', api_key: 'LTAI****2345' });
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
