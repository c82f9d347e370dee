import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { webhookSignature } from '../../src/events/webhooks/cloudevents/webhook-hmac';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { TencentSimulator } from '../simulators/tencent/tencent-simulator';
import { generateDatabases, generateHosts } from '../simulators/common/generator';
import type { CloudSimulator, SimAccount } from '../simulators/common/simulator';
import { startTestApp, TestApp } from '../support/test-app';
import { waitForEvent } from './event-helpers';

interface Case {
  vendor: 'aliyun' | 'tencent';
  region: string;
  start(): Promise<CloudSimulator>;
  /** A state-change event of one instance, as the vendor's EventBridge shapes it. */
  event(kind: 'host' | 'rds', instanceId: string): Record<string, unknown>;
}

const CASES: Case[] = [
  {
    vendor: 'aliyun',
    region: 'cn-hangzhou',
    start: () => AliyunSimulator.start(),
    event: (kind, instanceId) => ({
      specversion: '1.0',
      id: randomUUID(),
      source: kind === 'host' ? 'acs.ecs' : 'acs.rds',
      type: kind === 'host' ? 'ecs:Instance:StateChange' : 'rds:DBInstance:StateChange',
      subject: `acs:${kind === 'host' ? 'ecs' : 'rds'}:cn-hangzhou:1234567890:instance/${instanceId}`,
      time: new Date().toISOString(),
      datacontenttype: 'application/json;charset=utf-8',
      aliyunaccountid: '1234567890',
      aliyunpublishtime: '2020-11-19T21:04:42.179PRC',
      aliyuneventbusname: 'default',
      aliyunregionid: 'cn-hangzhou',
      aliyunpublishaddr: '172.25.5.87',
      data: { resourceId: instanceId, resourceType: kind === 'host' ? 'ALIYUN::ECS::Instance' : 'ALIYUN::RDS::DBInstance', state: 'Running' },
    }),
  },
  {
    vendor: 'tencent',
    region: 'ap-guangzhou',
    start: () => TencentSimulator.start(),
    event: (kind, instanceId) => ({
      specversion: '1.0',
      id: randomUUID(),
      source: kind === 'host' ? 'cvm.cloud.tencent' : 'cdb.cloud.tencent',
      type: kind === 'host' ? 'cvm:ErrorEvent:ping_unreachable' : 'cdb:CloudEvent:ApiCall',
      subject: `qcs::${kind === 'host' ? 'cvm' : 'cdb'}:ap-guangzhou:uin/100000000001:instance/${instanceId}`,
      time: Date.now(), // Tencent: epoch milliseconds, a number
      region: 'ap-guangzhou',
      datacontenttype: 'application/json;charset=utf-8',
      data: { instanceId },
    }),
  },
];

describe.each(CASES)('CloudEvents webhook ($vendor)', (vendorCase) => {
  let t: TestApp;
  let simulator: CloudSimulator;
  let account: SimAccount;
  let secretId: string;
  let webhookSecret: string;
  const db = () => t.app.get(DataSource);

  const post = (body: unknown, options: { contentType?: string; secret?: string; timestamp?: number; headers?: Record<string, string> } = {}) => {
    const text = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    return t.raw
      .post(`/webhooks/cloudevents/${secretId}`)
      .set('Content-Type', options.contentType ?? 'application/cloudevents+json; charset=utf-8')
      .set('X-CMDB-Timestamp', timestamp)
      .set('X-CMDB-Signature', webhookSignature(options.secret ?? webhookSecret, timestamp, text))
      .set(options.headers ?? {})
      .send(text.toString('utf8'));
  };
  const stored = async (instanceId: string, table = 'hosts') =>
    (await db().query(`SELECT name, state FROM ${table} WHERE instance_id = $1`, [instanceId]))[0] as { name: string; state: string } | undefined;

  beforeAll(async () => {
    simulator = await vendorCase.start();
    t = await startTestApp({ CMDB_VENDOR_RETRY_BASE_MS: '5', CMDB_EVENT_RETRY_BASE_MS: '20' });
    const apiKey = `AK${randomBytes(8).toString('hex')}`;
    const apiSecret = randomBytes(16).toString('hex');
    account = simulator.addAccount(apiKey, apiSecret);
    const created = await t.http
      .post('/secrets')
      .send({ name: `${vendorCase.vendor}-events`, vendor: vendorCase.vendor, api_key: apiKey, api_secret: apiSecret, allow_regions: [vendorCase.region], address: simulator.address, request_rate: 100, delta_sync: true })
      .expect(201);
    secretId = created.body.id;
    webhookSecret = created.body.webhook_secret;
    expect(webhookSecret).toMatch(/^whsec_/);
    const shown = await t.http.get(`/secrets/${secretId}`).expect(200);
    expect(JSON.stringify(shown.body)).not.toContain(webhookSecret);
    expect(shown.body).toMatchObject({ delta_sync: true, webhook_secret_set: true });
  });
  afterAll(async () => {
    await t?.close();
    await simulator?.stop();
  });

  it('a structured event re-reads the instance through the SDK and applies what the cloud holds, with an event origin in the change log', async () => {
    const [host] = generateHosts(vendorCase.vendor, 1, { seed: 31, regions: [vendorCase.region], startIndex: 100 });
    account.hosts.set(host.id, host);
    const answer = await post(vendorCase.event('host', host.id)).expect(202);
    const eventId = answer.body.events[0].id as string;
    const event = await waitForEvent(t, eventId);
    expect(event).toMatchObject({ status: 'applied', instance_id: host.id, resource_type: 'host', region: vendorCase.region, action: 'reread' });
    expect(await stored(host.id)).toEqual({ name: host.name, state: 'active' });
    const [change] = await db().query(`SELECT change_type, trigger, job_id, event_id FROM resource_changes WHERE instance_id = $1`, [host.id]);
    expect(change).toEqual({ change_type: 'created', trigger: 'event', job_id: null, event_id: eventId });

    // Gone from the cloud: the next hint is a delete.
    account.hosts.delete(host.id);
    const gone = await post(vendorCase.event('host', host.id)).expect(202);
    expect(await waitForEvent(t, gone.body.events[0].id)).toMatchObject({ status: 'applied', reason: 'deleted' });
    expect(await stored(host.id)).toEqual({ name: host.name, state: 'deleted' });
  });

  it('a batch and a binary event are applied; a repeated id is a duplicate that stores nothing new', async () => {
    const [db1, db2] = generateDatabases(vendorCase.vendor, 2, { seed: 32, regions: [vendorCase.region], startIndex: 200 });
    account.databases.set(db1.id, db1);
    account.databases.set(db2.id, db2);
    const first = vendorCase.event('rds', db1.id);
    const batch = await post([first, first], { contentType: 'application/cloudevents-batch+json' }).expect(202);
    expect(batch.body.events.map((e: { duplicate: boolean }) => e.duplicate)).toEqual([false, true]);
    const again = await post(first).expect(202);
    expect(again.body.events[0]).toEqual({ id: batch.body.events[0].id, duplicate: true });

    const binary = vendorCase.event('rds', db2.id);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(binary)) if (key !== 'data' && key !== 'datacontenttype') headers[`ce-${key}`] = String(value);
    const answer = await post(binary.data, { contentType: 'application/json', headers }).expect(202);
    await waitForEvent(t, batch.body.events[0].id);
    await waitForEvent(t, answer.body.events[0].id);
    expect(await stored(db1.id, 'databases')).toEqual({ name: db1.name, state: 'active' });
    expect(await stored(db2.id, 'databases')).toEqual({ name: db2.name, state: 'active' });
    const count = await db().query(`SELECT count(*)::int AS n FROM inbox_events WHERE instance_id = $1`, [db1.id]);
    expect(count[0].n).toBe(1);
  });

  it('refuses a bad signature, a stale timestamp, a malformed body and an unknown secret with a 4xx, storing nothing', async () => {
    const before = (await db().query(`SELECT count(*)::int AS n FROM inbox_events`))[0].n;
    const event = vendorCase.event('host', 'i-forged');
    const forged = await post(event, { secret: 'whsec_guessed' }).expect(401);
    expect(forged.body).toMatchObject({ message: 'the signature does not match the body', details: { reason: 'bad_signature' } });
    await post(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 }).expect(401);
    const malformed = await post('{"specversion": "1.0"', {}).expect(400);
    expect(malformed.body.details.reason).toBe('malformed');
    await t.raw.post(`/webhooks/cloudevents/${randomUUID()}`).set('Content-Type', 'application/cloudevents+json').send('{}').expect(404);
    expect((await db().query(`SELECT count(*)::int AS n FROM inbox_events`))[0].n).toBe(before);
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/cmdb_webhook_rejections_total\{channel="cloudevents",reason="bad_signature"\} 1/);
    const audit = await t.http.get('/audit?action=webhook.rejected').expect(200);
    expect(audit.body.items.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(audit.body)).not.toContain(webhookSecret);
  });

  it('a rotated webhook secret replaces the old one at once', async () => {
    const rotated = await t.http.post(`/secrets/${secretId}/webhook-secret`).expect(201);
    const old = webhookSecret;
    webhookSecret = rotated.body.webhook_secret;
    expect(webhookSecret).not.toEqual(old);
    await post(vendorCase.event('host', 'i-any'), { secret: old }).expect(401);
    await post(vendorCase.event('host', 'i-any')).expect(202);
  });
});
