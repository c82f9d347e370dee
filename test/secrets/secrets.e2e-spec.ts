import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { SecretCipher } from '../../src/common/crypto/secret-cipher';
import { reencryptAllSecrets } from '../../src/secrets/key-rotation';
import { SecretEntity } from '../../src/secrets/secret.entity';
import { SecretsService } from '../../src/secrets/secrets.service';
import { startTestApp, TestApp } from '../support/test-app';

/** The service's one write of a secret (private): tests step in between an edit's read and its write. */
type Saving = { save: (secret: SecretEntity, manager: EntityManager) => Promise<SecretEntity> };

const PLAINTEXT_SECRETS = ['aliyun-PLAINTEXT-9f8e7d', 'vsphere-PLAINTEXT-pass', 'rotated-PLAINTEXT-42'];

function aliyunSecret(overrides: Record<string, unknown> = {}) {
  return {
    name: `aliyun-${randomBytes(4).toString('hex')}`,
    vendor: 'aliyun',
    api_key: 'LTAI5tAbCdEfGh7xQz',
    api_secret: PLAINTEXT_SECRETS[0],
    allow_regions: ['cn-hangzhou', 'cn-shanghai'],
    ...overrides,
  };
}

describe('secrets API', () => {
  let t: TestApp;
  const bodies: string[] = [];
  const record = <T extends { text: string }>(response: T): T => {
    bodies.push(response.text);
    return response;
  };

  const encryptionKey = randomBytes(32);

  beforeAll(async () => {
    t = await startTestApp({ CMDB_ENCRYPTION_KEY: encryptionKey.toString('base64') });
  });
  afterAll(async () => {
    // No response body, log line or stored column of the whole suite holds a plaintext secret.
    const rows = await t.app.get(DataSource).query(`SELECT * FROM secrets`);
    const stored = JSON.stringify(rows, (_key, value) => (value?.type === 'Buffer' ? Buffer.from(value.data).toString('latin1') : value));
    for (const plaintext of PLAINTEXT_SECRETS) {
      for (const body of bodies) expect(body).not.toContain(plaintext);
      for (const line of t.logs) expect(line).not.toContain(plaintext);
      expect(stored).not.toContain(plaintext);
    }
    expect(bodies.length).toBeGreaterThan(10);
    await t.close();
  });

  it('creates a secret and answers it masked, without api_secret', async () => {
    const response = record(await t.http.post('/secrets').send(aliyunSecret({ name: 'prod-aliyun' })).expect(201));
    expect(response.body).toMatchObject({
      id: expect.any(String),
      name: 'prod-aliyun',
      vendor: 'aliyun',
      credential_type: 'api_key',
      api_key: 'LTAI****7xQz',
      allow_regions: ['cn-hangzhou', 'cn-shanghai'],
      request_rate: 5,
      enabled: true,
    });
    expect(response.body).not.toHaveProperty('api_secret');
    // The webhook secret is shown on creation only.
    const { webhook_secret: shownOnce, ...view } = response.body;
    expect(shownOnce).toMatch(/^whsec_/);
    const fetched = record(await t.http.get(`/secrets/${response.body.id}`).expect(200));
    expect(fetched.body).toEqual({ ...view, webhook_secret_set: true });
  });

  it('stores api_secret encrypted and hands providers the plaintext', async () => {
    const created = record(await t.http.post('/secrets').send(aliyunSecret()).expect(201)).body;
    const service = t.app.get(SecretsService);
    const credentials = service.credentialsOf(await service.get(created.id));
    expect(credentials).toMatchObject({ apiKey: 'LTAI5tAbCdEfGh7xQz', apiSecret: PLAINTEXT_SECRETS[0], requestRate: 5 });
    const [row] = await t.app.get(DataSource).query(`SELECT api_secret_ciphertext, api_secret_key_id FROM secrets WHERE id = $1`, [created.id]);
    expect(row.api_secret_ciphertext.length).toBe(Buffer.byteLength(PLAINTEXT_SECRETS[0]));
    expect(row.api_secret_key_id).toBe(created.encryption_key_id);
  });

  it('creates a vSphere secret with a password, an address and TLS options, and no regions', async () => {
    const response = record(
      await t.http
        .post('/secrets')
        .send({ name: 'vc1', vendor: 'vsphere', api_key: 'administrator@vsphere.local', api_secret: PLAINTEXT_SECRETS[1], address: 'vc1.example.com:443', tls: { insecure: true } })
        .expect(201),
    );
    expect(response.body).toMatchObject({ credential_type: 'password', allow_regions: [], tls: { ca: null, insecure: true } });
  });

  it.each([
    [{ vendor: 'gcp' }, 'vendor'],
    [{ api_secret: '' }, 'api_secret'],
    [{ name: undefined }, 'name'],
    [{ allow_regions: [] }, 'allow_regions'],
    [{ allow_regions: ['Not A Region'] }, 'allow_regions'],
    [{ request_rate: 0 }, 'request_rate'],
    [{ request_rate: 101 }, 'request_rate'],
    [{ credential_type: 'password' }, 'credential_type'],
    [{ project_ids: { 'cn-north-4': 'p1' } }, 'project_ids'],
    [{ tls: { insecure: true } }, 'tls'],
    [{ address: 'ftp://x' }, 'address'],
    [{ surprise: 1 }, 'surprise'],
  ])('rejects %j with a 400 naming %s', async (override, field) => {
    const response = record(await t.http.post('/secrets').send(aliyunSecret(override)).expect(400));
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.body.message).toContain(field);
    expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.stringContaining(field) })]));
  });

  it('rejects a vSphere secret without an address or with regions', async () => {
    const base = { name: 'vc-bad', vendor: 'vsphere', api_key: 'u', api_secret: 'p' };
    expect(record(await t.http.post('/secrets').send(base).expect(400)).body.message).toContain('address');
    expect(record(await t.http.post('/secrets').send({ ...base, address: 'vc', allow_regions: ['dc1'] }).expect(400)).body.message).toContain('allow_regions');
  });

  it('answers 409 for a duplicate name', async () => {
    await t.http.post('/secrets').send(aliyunSecret({ name: 'dup' })).expect(201);
    const response = record(await t.http.post('/secrets').send(aliyunSecret({ name: 'dup' })).expect(409));
    expect(response.body.message).toContain('dup');
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const request of [t.http.get(`/secrets/${unknown}`), t.http.patch(`/secrets/${unknown}`).send({}), t.http.delete(`/secrets/${unknown}`)]) {
      record(await request.expect(404));
    }
    const malformed = record(await t.http.get('/secrets/not-a-uuid').expect(400));
    expect(malformed.body.message).toBe('id must be a UUID');
  });

  it('updates fields, keeps api_secret when left out and re-encrypts it when given', async () => {
    const created = record(await t.http.post('/secrets').send(aliyunSecret()).expect(201)).body;
    const dataSource = t.app.get(DataSource);
    const before = (await dataSource.query(`SELECT api_secret_ciphertext FROM secrets WHERE id = $1`, [created.id]))[0];

    const renamed = record(await t.http.patch(`/secrets/${created.id}`).send({ description: 'ops', request_rate: 20, allow_regions: ['*'] }).expect(200));
    expect(renamed.body).toMatchObject({ description: 'ops', request_rate: 20, allow_regions: ['*'] });
    const kept = (await dataSource.query(`SELECT api_secret_ciphertext FROM secrets WHERE id = $1`, [created.id]))[0];
    expect(kept.api_secret_ciphertext.equals(before.api_secret_ciphertext)).toBe(true);

    record(await t.http.patch(`/secrets/${created.id}`).send({ api_secret: PLAINTEXT_SECRETS[2] }).expect(200));
    const service = t.app.get(SecretsService);
    expect(service.credentialsOf(await service.get(created.id)).apiSecret).toBe(PLAINTEXT_SECRETS[2]);

    record(await t.http.patch(`/secrets/${created.id}`).send({ vendor: 'tencent' }).expect(400));
    record(await t.http.patch(`/secrets/${created.id}`).send({ allow_regions: [] }).expect(400));
  });

  /**
   * Runs `edit` (a request that edits the secret) with `meanwhile` (another
   * writer) started between the edit's read and its write, given a second to
   * finish first: it does when nothing holds the row. Answers both outcomes.
   */
  async function interleaved<T>(edit: () => PromiseLike<T>, meanwhile: () => Promise<unknown>): Promise<[T, unknown]> {
    const service = t.app.get(SecretsService) as unknown as Saving;
    const save = service.save.bind(service);
    let other: Promise<unknown> = Promise.resolve();
    const spy = jest.spyOn(service, 'save').mockImplementationOnce(async (secret, manager) => {
      other = meanwhile();
      await Promise.race([other, new Promise((resolve) => setTimeout(resolve, 1_000))]);
      return save(secret, manager);
    });
    try {
      const edited = await edit();
      return [edited, await other];
    } finally {
      spy.mockRestore();
    }
  }

  it("keeps what the feed follower and the scheduler write while the secret is being edited", async () => {
    const created = record(await t.http.post('/secrets').send(aliyunSecret()).expect(201)).body;
    const service = t.app.get(SecretsService);
    const dataSource = t.app.get(DataSource);
    const status = { state: 'following' as const, error: null, last_update_at: '2026-12-03T01:02:03.000Z', updates_applied: 7, since: '2026-12-03T01:00:00.000Z' };
    const slot = new Date('2026-12-03T02:00:00.000Z');
    await interleaved(
      () => t.http.patch(`/secrets/${created.id}`).send({ description: 'edited' }).expect(200).then(record),
      async () => {
        await service.recordWatchStatus(created.id, status);
        await service.recordSlotEnqueued(created.id, slot, dataSource.manager);
      },
    );
    const [row] = await dataSource.query(`SELECT description, watch_status, last_slot_at FROM secrets WHERE id = $1`, [created.id]);
    expect(row.description).toBe('edited');
    expect(row.watch_status).toEqual(status);
    expect(new Date(row.last_slot_at).toISOString()).toBe(slot.toISOString());
  });

  it('applies two edits at once one after the other: a rename during a webhook secret rotation keeps both', async () => {
    const created = record(await t.http.post('/secrets').send(aliyunSecret()).expect(201)).body;
    const [rotated, renamed] = await interleaved(
      () => t.http.post(`/secrets/${created.id}/webhook-secret`).expect(201).then(record),
      () => t.http.patch(`/secrets/${created.id}`).send({ name: 'renamed-meanwhile' }).then(record),
    );
    expect((renamed as { status: number }).status).toBe(200);
    const secrets = t.app.get(SecretsService);
    const stored = await secrets.get(created.id);
    expect(stored.name).toBe('renamed-meanwhile');
    expect(secrets.webhookSecretOf(stored)).toBe(rotated.body.webhook_secret);
  });

  it('lists secrets a page at a time, filtered by vendor', async () => {
    for (let i = 0; i < 3; i++) {
      await t.http.post('/secrets').send({ name: `tc-${i}`, vendor: 'tencent', api_key: `AKIDabcdefgh${i}`, api_secret: 'x', allow_regions: ['ap-guangzhou'] }).expect(201);
    }
    const first = record(await t.http.get('/secrets?vendor=tencent&limit=2').expect(200));
    expect(first.body.items.map((item: { name: string }) => item.name)).toEqual(['tc-0', 'tc-1']);
    const second = record(await t.http.get(`/secrets?vendor=tencent&limit=2&cursor=${first.body.next_cursor}`).expect(200));
    expect(second.body.items.map((item: { name: string }) => item.name)).toEqual(['tc-2']);
    expect(second.body.next_cursor).toBeNull();
    record(await t.http.get('/secrets?vendor=nope').expect(400));
    record(await t.http.get('/secrets?limit=0').expect(400));
    record(await t.http.get('/secrets?cursor=garbage').expect(400));
    const forged = Buffer.from(JSON.stringify(['yesterday', 'not-a-uuid'])).toString('base64url');
    expect(record(await t.http.get(`/secrets?cursor=${forged}`).expect(400)).body.message).toBe('cursor is not valid');
  });

  it('deletes a secret, refusing with 409 while a sync of it runs, and keeps its resources', async () => {
    const created = record(await t.http.post('/secrets').send(aliyunSecret()).expect(201)).body;
    const dataSource = t.app.get(DataSource);
    await dataSource.query(
      `INSERT INTO hosts (vendor, secret_id, region, instance_id, status, raw_status, checksum, query_at)
       VALUES ('aliyun', $1, 'cn-hangzhou', 'i-kept', 'running', 'Running', repeat('0', 64), now())`,
      [created.id],
    );
    const [job] = await dataSource.query(
      `INSERT INTO sync_jobs (secret_id, vendor, resource_type, region, trigger, status) VALUES ($1, 'aliyun', 'host', 'cn-hangzhou', 'api', 'running') RETURNING id`,
      [created.id],
    );
    record(await t.http.delete(`/secrets/${created.id}`).expect(409));
    await dataSource.query(`UPDATE sync_jobs SET status = 'succeeded' WHERE id = $1`, [job.id]);
    await t.http.delete(`/secrets/${created.id}`).expect(204);
    record(await t.http.get(`/secrets/${created.id}`).expect(404));
    const hosts = await dataSource.query(`SELECT secret_id FROM hosts WHERE instance_id = 'i-kept'`);
    expect(hosts).toEqual([{ secret_id: null }]);
  });

  // Two connections at once: only a real server has them.
  (process.env.TEST_DATABASE_URL ? it : it.skip)('waits for a job being claimed as the delete runs, then refuses it with 409', async () => {
    const created = record(await t.http.post('/secrets').send(aliyunSecret()).expect(201)).body;
    const dataSource = t.app.get(DataSource);
    const [job] = await dataSource.query(
      `INSERT INTO sync_jobs (secret_id, vendor, resource_type, region, trigger, status) VALUES ($1, 'aliyun', 'host', 'cn-hangzhou', 'schedule', 'queued') RETURNING id`,
      [created.id],
    );
    const worker = new Client({ connectionString: t.database.url });
    await worker.connect();
    try {
      // A worker's claim, not committed yet.
      await worker.query('BEGIN');
      await worker.query(`UPDATE sync_jobs SET status = 'running', started_at = now() WHERE id = $1`, [job.id]);
      const deletion = t.http.delete(`/secrets/${created.id}`).then((response) => response);
      // The delete waits on the claimed row, whatever the machine's speed.
      for (;;) {
        const [waiting] = await worker.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).then((r) => r.rows);
        if (waiting.n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await worker.query('COMMIT');
      expect(record(await deletion).status).toBe(409);
    } finally {
      await worker.end();
    }
    await t.http.get(`/secrets/${created.id}`).expect(200);
    const [claimed] = await dataSource.query(`SELECT secret_id, status FROM sync_jobs WHERE id = $1`, [job.id]);
    expect(claimed).toEqual({ secret_id: created.id, status: 'running' });
  });

  it('rotates every secret to a new key in one go; all stay readable and none keeps the old key id', async () => {
    const dataSource = t.app.get(DataSource);
    const oldCipher = t.app.get(SecretCipher);
    const before = await dataSource.query(`SELECT count(*)::int AS n FROM secrets WHERE api_secret_key_id = $1`, [oldCipher.currentKeyId]);
    expect(before[0].n).toBeGreaterThan(3);

    const newKey = randomBytes(32);
    const ringWithoutOld = new SecretCipher(newKey);
    await expect(reencryptAllSecrets(dataSource.manager, ringWithoutOld)).rejects.toThrow(/not configured/);
    const untouched = await dataSource.query(`SELECT count(*)::int AS n FROM secrets WHERE api_secret_key_id = $1`, [oldCipher.currentKeyId]);
    expect(untouched[0].n).toBe(before[0].n); // the failed rotation changed nothing

    const rotated = new SecretCipher(newKey, [encryptionKey]); // the old key stays readable in the ring
    const result = await reencryptAllSecrets(dataSource.manager, rotated);
    expect(result.rotated).toBe(before[0].n);

    const rows = await dataSource.query(`SELECT api_secret_ciphertext, api_secret_iv, api_secret_tag, api_secret_key_id FROM secrets`);
    const newOnly = new SecretCipher(newKey);
    for (const row of rows) {
      expect(row.api_secret_key_id).toBe(newOnly.currentKeyId);
      expect(() =>
        newOnly.decrypt({ ciphertext: row.api_secret_ciphertext, iv: row.api_secret_iv, tag: row.api_secret_tag, keyId: row.api_secret_key_id }),
      ).not.toThrow();
    }
  });
});
