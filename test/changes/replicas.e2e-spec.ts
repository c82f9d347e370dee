import { randomBytes } from 'node:crypto';
import { hostRecord, InventorySeeder } from '../inventory/inventory-fixtures';
import { ServerProcess, startServerProcess } from '../support/server-process';
import { SseClient } from '../support/sse-client';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Two replicas on one PostgreSQL database: changes written by this process
 * reach a watcher of a server running as another process. That replica polls
 * only every 300 s, so what wakes it is the appending transaction's NOTIFY.
 * (The embedded database is one process's by design: PostgreSQL only.)
 */
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

onPostgres('two replicas on one PostgreSQL database', () => {
  let writer: TestApp;
  let replica: ServerProcess;
  let seeder: InventorySeeder;

  beforeAll(async () => {
    writer = await startTestApp();
    seeder = await InventorySeeder.start(writer);
    replica = await startServerProcess({
      DATABASE_URL: writer.database.url,
      CMDB_RUN_MIGRATIONS: 'false',
      CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      CMDB_SYNC_SCHEDULE: 'off',
      CMDB_WATCH_BOOKMARK_SECONDS: '300',
    });
  });
  afterAll(async () => {
    await replica?.stop();
    await writer?.close();
  });

  it('a watcher on the other replica receives every change this one commits', async () => {
    const start: number = (await writer.http.get('/changes').query({ limit: 1 }).expect(200)).body.latest_revision;
    const watcher = await SseClient.open(`${replica.url}/watch?resource_version=${start}`, replica.headers);
    expect(watcher.status).toBe(200);
    try {
      await seeder.write([hostRecord('replica-1'), hostRecord('replica-2')]);
      await watcher.waitFor(() => watcher.changes.length >= 2);
      await seeder.write([hostRecord('replica-1', { name: 'renamed' })]);
      await watcher.waitFor(() => watcher.changes.length >= 3);
      expect(watcher.changes.map((event) => [event.event, event.id, event.data.object.instance_id])).toEqual([
        ['ADDED', String(start + 1), 'replica-1'],
        ['ADDED', String(start + 2), 'replica-2'],
        ['MODIFIED', String(start + 3), 'replica-1'],
      ]);
    } finally {
      watcher.close();
    }
  });
});
