import { randomUUID } from 'node:crypto';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateHosts } from '../simulators/common/generator';
import { AuditService } from '../../src/auth/audit.service';
import { SecretsService } from '../../src/secrets/secrets.service';
import { startTestApp, TestApp } from '../support/test-app';

const API_SECRET = 'audit-PLAINTEXT-5e4d';

interface AuditEntry {
  id: string;
  at: string;
  actor: { token_id: string | null; name: string };
  action: string;
  target: { kind: string; id: string };
  request_id: string | null;
  details: Record<string, unknown>;
}

describe('audit log', () => {
  let t: TestApp;
  let simulator: AliyunSimulator;
  const tokenIds = new Map<string, string>();
  const tokens = new Map<string, string>();

  /** A stored token of that role named `name`, and its id (from the list). */
  async function holder(name: string, role: 'operator' | 'admin') {
    const created = await t.http.post('/tokens').send({ name, role }).expect(201);
    tokens.set(name, created.body.token);
    tokenIds.set(name, created.body.id);
  }
  const as = (name: string) => `Bearer ${tokens.get(name)}`;
  const entries = async (query = ''): Promise<AuditEntry[]> => (await t.http.get(`/audit?limit=500${query}`).expect(200)).body.items;

  beforeAll(async () => {
    [t, simulator] = await Promise.all([startTestApp(), AliyunSimulator.start()]);
    const account = simulator.addAccount('LTAIaudittest0001', API_SECRET);
    for (const host of generateHosts('aliyun', 3, { seed: 3, regions: ['cn-hangzhou'] })) account.hosts.set(host.id, host);
    await holder('alice', 'admin');
    await holder('bob', 'operator');
  });
  afterAll(async () => {
    await simulator.stop();
    await t.close();
  });

  it('records who created, changed and deleted a secret, in which request, without any credential', async () => {
    const created = await t.raw
      .post('/secrets')
      .set('Authorization', as('alice'))
      .set('X-Request-Id', 'audit-create-1')
      .send({ name: 'audited', vendor: 'aliyun', api_key: 'LTAIaudittest0001', api_secret: API_SECRET, allow_regions: ['cn-hangzhou'] })
      .expect(201);
    const id = created.body.id;
    await t.raw.patch(`/secrets/${id}`).set('Authorization', as('alice')).send({ api_secret: `${API_SECRET}-2`, request_rate: 7 }).expect(200);
    const removed = await t.raw.delete(`/secrets/${id}`).set('Authorization', as('alice')).expect(204);

    const trail = (await entries(`&target_kind=secret&target_id=${id}`)).reverse();
    expect(trail.map((entry) => entry.action)).toEqual(['secret.created', 'secret.updated', 'secret.deleted']);
    for (const entry of trail) {
      expect(entry.actor).toEqual({ token_id: tokenIds.get('alice'), name: 'alice' });
      expect(entry.target).toEqual({ kind: 'secret', id });
      expect(Date.parse(entry.at)).not.toBeNaN();
    }
    expect(trail[0]).toMatchObject({ request_id: 'audit-create-1', details: { name: 'audited', vendor: 'aliyun' } });
    expect((trail[1].details.fields as string[]).sort()).toEqual(['api_secret', 'request_rate']);
    expect(trail[2].request_id).toBe(removed.headers['x-request-id']);
    expect(JSON.stringify(trail)).not.toContain(API_SECRET);
  });

  it('makes no change to a secret that it cannot record: the change and its entry commit together', async () => {
    const created = await t.raw
      .post('/secrets')
      .set('Authorization', as('alice'))
      .send({ name: 'audit-or-nothing', vendor: 'aliyun', api_key: 'LTAIaudittest0001', api_secret: API_SECRET, allow_regions: ['cn-hangzhou'] })
      .expect(201);
    const id = created.body.id as string;
    const failing = jest.spyOn(t.app.get(AuditService), 'record').mockRejectedValue(new Error('audit log unavailable'));
    try {
      await t.raw.patch(`/secrets/${id}`).set('Authorization', as('alice')).send({ name: 'renamed-unaudited' }).expect(500);
      await t.raw.post(`/secrets/${id}/webhook-secret`).set('Authorization', as('alice')).expect(500);
      await t.raw.delete(`/secrets/${id}`).set('Authorization', as('alice')).expect(500);
      await t.raw
        .post('/secrets')
        .set('Authorization', as('alice'))
        .send({ name: 'created-unaudited', vendor: 'aliyun', api_key: 'LTAIaudittest0001', api_secret: API_SECRET, allow_regions: ['cn-hangzhou'] })
        .expect(500);
    } finally {
      failing.mockRestore();
    }
    const kept = await t.raw.get(`/secrets/${id}`).set('Authorization', as('alice')).expect(200);
    expect(kept.body).toMatchObject({ name: 'audit-or-nothing', updated_at: created.body.updated_at });
    const secrets = t.app.get(SecretsService);
    expect(secrets.webhookSecretOf(await secrets.get(id))).toBe(created.body.webhook_secret);
    const names = (await t.raw.get('/secrets?limit=200').set('Authorization', as('alice')).expect(200)).body.items.map((secret: { name: string }) => secret.name);
    expect(names).not.toContain('created-unaudited');
  });

  it('records who triggered which sync', async () => {
    const secret = await t.http
      .post('/secrets')
      .send({ name: 'synced', vendor: 'aliyun', api_key: 'LTAIaudittest0001', api_secret: API_SECRET, allow_regions: ['cn-hangzhou'], address: simulator.address, request_rate: 100 })
      .expect(201);
    const sync = await t.raw
      .post(`/secrets/${secret.body.id}/sync?details=none`)
      .set('Authorization', as('bob'))
      .send({ region: 'cn-hangzhou' })
      .expect(200);
    expect(sync.body).toMatchObject({ status: 'succeeded', created: 3 });

    const [entry] = await entries(`&action=sync.triggered&target_id=${sync.body.job_id}`);
    expect(entry).toMatchObject({
      actor: { token_id: tokenIds.get('bob'), name: 'bob' },
      target: { kind: 'sync_job', id: sync.body.job_id },
      request_id: sync.headers['x-request-id'],
      details: { secret_id: secret.body.id, resource_type: 'host', region: 'cn-hangzhou' },
    });
  });

  it('records token creation and revocation, naming CMDB_ADMIN_TOKEN when it acted', async () => {
    const created = await t.http.post('/tokens').send({ name: 'short-lived', role: 'viewer' }).expect(201);
    await t.raw.delete(`/tokens/${created.body.id}`).set('Authorization', as('alice')).expect(204);
    const [deleted, made] = await entries(`&target_kind=token&target_id=${created.body.id}`);
    expect(made).toMatchObject({
      action: 'token.created',
      actor: { token_id: null, name: 'CMDB_ADMIN_TOKEN' },
      details: { name: 'short-lived', role: 'viewer', expires_at: null },
      request_id: created.headers['x-request-id'],
    });
    expect(deleted).toMatchObject({ action: 'token.deleted', actor: { name: 'alice' }, details: { name: 'short-lived', role: 'viewer' } });
    expect(JSON.stringify([made, deleted])).not.toContain(created.body.token);
  });

  it('lists newest first, pages with a cursor and refuses bad filters with a 400', async () => {
    const all = await entries();
    expect(all.length).toBeGreaterThanOrEqual(8);
    const ids = all.map((entry) => Number(entry.id));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: AuditEntry[]; next_cursor: string | null } } = await t.http
        .get(`/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      paged.push(...page.body.items.map((entry) => entry.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(paged).toEqual(all.map((entry) => entry.id));

    const action = await t.http.get('/audit?action=secret.read').expect(400);
    expect(action.body.details[0].field).toBe('action');
    const forged = Buffer.from(JSON.stringify([1.5])).toString('base64url');
    expect((await t.http.get(`/audit?cursor=${forged}`).expect(400)).body.details[0].field).toBe('cursor');
    expect(await entries(`&target_id=${randomUUID()}`)).toEqual([]);
  });
});
