import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { webhookSignature } from '../../src/events/webhooks/cloudevents/webhook-hmac';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { TencentSimulator } from '../simulators/tencent/tencent-simulator';
import { generateDatabases, generateHosts } from '../simulators/common/generator';
import type { SimAccount } from '../simulators/common/simulator';
import { startTestApp, TestApp } from '../support/test-app';
import { waitForEvent } from './event-helpers';

interface Case {
  vendor: 'aliyun' | 'tencent';
  region: string;
  start(): Promise<AliyunSimulator | TencentSimulator>;
}

const CASES: Case[] = [
  { vendor: 'aliyun', region: 'cn-hangzhou', start: () => AliyunSimulator.start() },
  { vendor: 'tencent', region: 'ap-guangzhou', start: () => TencentSimulator.start() },
];

describe.each(CASES)('CloudEvents webhook ($vendor)', (vendorCase) => {
  let t: TestApp;
  let simulator: AliyunSimulator | TencentSimulator;
  let apiKey: string;
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
    apiKey = `AK${randomBytes(8).toString('hex')}`;
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
    await t.app.listen(0, '127.0.0.1');
    simulator.events.subscribe(`${await t.app.getUrl()}/webhooks/cloudevents/${secretId}`, webhookSecret);
  });
  afterAll(async () => {
    await t?.close();
    await simulator?.stop();
  });

  it('a structured event re-reads the instance through the SDK and applies what the cloud holds, with an event origin in the change log', async () => {
    const [host] = generateHosts(vendorCase.vendor, 1, { seed: 31, regions: [vendorCase.region], startIndex: 100 });
    await simulator.change(apiKey, 'host', host.id, host, vendorCase.region);
    const [delivered] = simulator.events.channel.answers.slice(-1);
    expect(delivered.status).toBe(202);
    const eventId = JSON.parse(delivered.body).events[0].id as string;
    const event = await waitForEvent(t, eventId);
    expect(event).toMatchObject({ status: 'applied', instance_id: host.id, resource_type: 'host', region: vendorCase.region, action: 'reread' });
    expect(await stored(host.id)).toEqual({ name: host.name, state: 'active' });
    const [change] = await db().query(`SELECT change_type, trigger, job_id, event_id FROM resource_changes WHERE instance_id = $1`, [host.id]);
    expect(change).toEqual({ change_type: 'created', trigger: 'event', job_id: null, event_id: eventId });

    // Gone from the cloud: the next hint is a delete.
    await simulator.change(apiKey, 'host', host.id, null, vendorCase.region);
    const gone = JSON.parse(simulator.events.channel.answers.slice(-1)[0].body);
    expect(await waitForEvent(t, gone.events[0].id)).toMatchObject({ status: 'applied', reason: 'deleted' });
    expect(await stored(host.id)).toEqual({ name: host.name, state: 'deleted' });
  });

  it('a batch and a binary event are applied; a repeated id is a duplicate that stores nothing new', async () => {
    const [db1, db2] = generateDatabases(vendorCase.vendor, 2, { seed: 32, regions: [vendorCase.region], startIndex: 200 });
    account.databases.set(db1.id, db1);
    account.databases.set(db2.id, db2);
    const first = simulator.events.event('rds', db1.id, vendorCase.region);
    const batch = await post([first, first], { contentType: 'application/cloudevents-batch+json' }).expect(202);
    expect(batch.body.events.map((e: { duplicate: boolean }) => e.duplicate)).toEqual([false, true]);
    const again = await post(first).expect(202);
    expect(again.body.events[0]).toEqual({ id: batch.body.events[0].id, duplicate: true });

    const binary = simulator.events.event('rds', db2.id, vendorCase.region) as Record<string, unknown> & { data: unknown };
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

  it('hints delivered out of order, twice or not at all: the inventory ends in the cloud\'s state', async () => {
    const [host, lost] = generateHosts(vendorCase.vendor, 2, { seed: 33, regions: [vendorCase.region], startIndex: 300 });
    const channel = simulator.events.channel;
    channel.hold();
    await simulator.change(apiKey, 'host', host.id, host, vendorCase.region);
    await simulator.change(apiKey, 'host', host.id, { ...host, name: 'renamed-in-the-cloud' }, vendorCase.region);
    await simulator.change(apiKey, 'host', lost.id, lost, vendorCase.region);
    const [created, renamed] = channel.held;
    channel.held.splice(2); // the third is lost
    await channel.release([1, 0, 1]);
    channel.resume();
    const ids = channel.answers.slice(-3).map((answer) => JSON.parse(answer.body).events[0]);
    expect(ids.map((event: { duplicate: boolean }) => event.duplicate)).toEqual([false, false, true]);
    for (const event of ids) await waitForEvent(t, event.id);
    expect(created).toBeDefined();
    expect(renamed).toBeDefined();
    expect(await stored(host.id)).toEqual({ name: 'renamed-in-the-cloud', state: 'active' });
    expect(await stored(lost.id)).toBeUndefined();
    await t.http.post(`/secrets/${secretId}/sync`).send({ resource_type: 'host', region: vendorCase.region }).expect(200);
    expect(await stored(lost.id)).toEqual({ name: lost.name, state: 'active' });
  });

  it('refuses a bad signature, a stale timestamp, a malformed body and an unknown secret with a 4xx, storing nothing', async () => {
    const before = (await db().query(`SELECT count(*)::int AS n FROM inbox_events`))[0].n;
    const event = simulator.events.event('host', 'i-forged', vendorCase.region);
    const forged = await post(event, { secret: 'whsec_guessed' }).expect(401);
    expect(forged.body).toMatchObject({ message: 'the signature does not match the body', details: { reason: 'bad_signature' } });
    await post(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 }).expect(401);
    const malformed = await post('{"specversion": "1.0"', {}).expect(400);
    expect(malformed.body.details.reason).toBe('malformed');
    await t.raw.post(`/webhooks/cloudevents/${randomUUID()}`).set('Content-Type', 'application/cloudevents+json').send('{}').expect(404);
    // Signed, well-formed, but holding text PostgreSQL cannot store: a 400 the sender will not retry, never a 500.
    const withNul = simulator.events.event('host', 'i-nul', vendorCase.region);
    const unstorable = await post({ ...withNul, data: { ...(withNul.data as object), note: 'a\u0000b' } }).expect(400);
    expect(unstorable.body).toMatchObject({ details: { reason: 'malformed' } });
    expect(unstorable.body.message).toMatch(/NUL/);
    expect((await db().query(`SELECT count(*)::int AS n FROM inbox_events`))[0].n).toBe(before);
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/cmdb_webhook_rejections_total\{channel="cloudevents",reason="bad_signature"\} 1/);
    const audit = await t.http.get('/audit?action=webhook.rejected').expect(200);
    expect(audit.body.items.length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(audit.body)).not.toContain(webhookSecret);
  });

  it('a rotated webhook secret replaces the old one at once', async () => {
    const rotated = await t.http.post(`/secrets/${secretId}/webhook-secret`).expect(201);
    const old = webhookSecret;
    webhookSecret = rotated.body.webhook_secret;
    expect(webhookSecret).not.toEqual(old);
    await post(simulator.events.event('host', 'i-any', vendorCase.region), { secret: old }).expect(401);
    await post(simulator.events.event('host', 'i-any', vendorCase.region)).expect(202);
  });
});
