import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PRUNE_BATCH } from '../../src/common/batched-retention';
import { InboxRetention } from '../../src/events/inbox/inbox-retention';
import { TombstoneRetention } from '../../src/inventory/tombstone-retention';
import { startTestApp, TestApp } from '../support/test-app';

/** Tombstones and finished inbox events older than CMDB_TOMBSTONE_RETENTION are pruned in the background, in batches; nothing newer, nothing pending. */
describe('delta sync retention', () => {
  let t: TestApp;
  let secretId: string;
  const db = () => t.app.get(DataSource);
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

  beforeAll(async () => {
    t = await startTestApp({ CMDB_TOMBSTONE_RETENTION: '1h' });
    const created = await t.http
      .post('/secrets')
      .send({ name: 'retention', vendor: 'huawei', api_key: 'AK', api_secret: 'SK', allow_regions: ['cn-north-4'], delta_sync: true })
      .expect(201);
    secretId = created.body.id;
  });
  afterAll(() => t?.close());

  it('forgets tombstones older than the retention, batch after batch, and keeps the newer ones', async () => {
    const old = PRUNE_BATCH * 2 + 500;
    await db().query(
      `INSERT INTO resource_tombstones (resource_kind, secret_id, instance_id, deleted_at)
       SELECT 'host', $1, 'i-old-' || n, $2 FROM generate_series(1, $3) AS n`,
      [secretId, ago(120), old],
    );
    await db().query(`INSERT INTO resource_tombstones (resource_kind, secret_id, instance_id, deleted_at) VALUES ('host', $1, 'i-recent', $2)`, [secretId, ago(10)]);

    expect(await t.app.get(TombstoneRetention).pruneExpired()).toBe(old);
    const kept = await db().query(`SELECT instance_id FROM resource_tombstones`);
    expect(kept).toEqual([{ instance_id: 'i-recent' }]);
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toContain(`cmdb_retention_pruned_total{table="resource_tombstones"} ${old}`);
  });

  it('forgets inbox events finished before the retention; a pending one stays however old', async () => {
    const insert = (key: string, status: string, receivedAt: Date, appliedAt: Date | null) =>
      db().query(
        `INSERT INTO inbox_events (secret_id, vendor, channel, message_key, event_type, payload, status, received_at, applied_at)
         VALUES ($1, 'huawei', 'huawei-smn', $2, 'ResourceChanged', '{}', $3, $4, $5)`,
        [secretId, key, status, receivedAt, appliedAt],
      );
    await insert('old-applied', 'applied', ago(180), ago(179));
    await insert('old-ignored', 'ignored', ago(150), ago(150));
    await insert('old-failed', 'failed', ago(130), ago(121));
    await insert('old-but-just-finished', 'failed', ago(130), ago(5));
    await insert('old-pending', 'pending', ago(170), null);
    await insert(`recent-${randomUUID()}`, 'applied', ago(2), ago(1));

    expect(await t.app.get(InboxRetention).pruneExpired()).toBe(3);
    const kept = await db().query(`SELECT message_key, status FROM inbox_events ORDER BY received_at`);
    expect(kept.map((row: { message_key: string }) => row.message_key.replace(/-[0-9a-f-]{36}$/, ''))).toEqual(['old-pending', 'old-but-just-finished', 'recent']);
  });
});
