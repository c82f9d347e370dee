import { randomBytes, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { webhookSignature } from '../../src/events/webhooks/cloudevents/webhook-hmac';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateDatabases, generateHosts } from '../simulators/common/generator';
import type { SimAccount } from '../simulators/common/simulator';
import { HuaweiSimulator } from '../simulators/huawei/huawei.simulator';
import { waitForEvent } from '../events/event-helpers';
import { deleteStream } from '../publishing/bus-clients';
import { MACHINE_NATS, publishEnvironment, uniqueBus } from '../publishing/publish-fixture';
import { OpenApiResponses } from '../support/openapi-responses';
import { startTestApp, TestApp } from '../support/test-app';

const REGION = 'cn-hangzhou';
const HUAWEI_REGION = 'cn-north-4';
/** Operations that answer no JSON: the change feed is a text/event-stream. */
const NOT_JSON = ['GET /watch'];

/**
 * The OpenAPI document tells the truth about answers: each documented route is
 * called on the real app (secrets on the Aliyun and Huawei simulators, syncs,
 * changes, vendor notifications) and every answer, success or error, must
 * match the schema the document declares for its status. The response schemas
 * are closed, so a field a view gains without its class fails here, and so
 * does a field the class declares that the answer lacks.
 */
describe('response schemas in the OpenAPI document', () => {
  /** Publishing on, so that /readyz reports a sink. */
  const bus = uniqueBus();
  let t: TestApp;
  let aliyun: AliyunSimulator;
  let huawei: HuaweiSimulator;
  let account: SimAccount;
  let apiKey: string;
  let openapi: OpenApiResponses;
  let secretId: string;
  let webhookSecret: string;
  let hostId: string;
  let databaseId: string;
  let jobId: string;

  /** Checks the answer against the operation's documented schema for its status, and answers its body. */
  const checked = (operation: string, answer: Response) => {
    openapi.check(operation, { status: answer.status, body: answer.body });
    return answer.body;
  };
  const syncScope = (resourceType: 'host' | 'rds', query = '') => t.http.post(`/secrets/${secretId}/sync${query}`).send({ resource_type: resourceType, region: REGION });
  const jobEnded = async (id: string) => {
    for (;;) {
      const job = checked('GET /sync-jobs/{id}', await t.http.get(`/sync-jobs/${id}`));
      if (!['queued', 'running'].includes(job.status)) return job;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  beforeAll(async () => {
    [aliyun, huawei] = await Promise.all([AliyunSimulator.start(), HuaweiSimulator.start()]);
    t = await startTestApp({
      CMDB_SMN_ENDPOINT: huawei.address,
      CMDB_VENDOR_RETRY_BASE_MS: '5',
      CMDB_EVENT_RETRY_BASE_MS: '20',
      ...publishEnvironment(bus, { nats: MACHINE_NATS }),
    });
    openapi = new OpenApiResponses((await t.http.get('/docs-json').expect(200)).body);
    apiKey = `AK${randomBytes(8).toString('hex')}`;
    const apiSecret = randomBytes(16).toString('hex');
    account = aliyun.addAccount(apiKey, apiSecret);
    for (const host of generateHosts('aliyun', 30, { seed: 7, regions: [REGION] })) account.hosts.set(host.id, host);
    for (const database of generateDatabases('aliyun', 10, { seed: 8, regions: [REGION] })) account.databases.set(database.id, database);
    const created = checked(
      'POST /secrets',
      await t.http.post('/secrets').send({
        name: 'aliyun-prod',
        vendor: 'aliyun',
        api_key: apiKey,
        api_secret: apiSecret,
        allow_regions: [REGION],
        address: aliyun.address,
        request_rate: 100,
        delta_sync: true,
        sync_schedule: '0 */6 * * *',
      }),
    );
    secretId = created.id;
    webhookSecret = created.webhook_secret;
    expect(webhookSecret).toEqual(expect.any(String));
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([aliyun?.stop(), huawei?.stop(), deleteStream(MACHINE_NATS, bus.stream)]);
  });

  it('secrets: created for each kind of vendor, listed, read, changed, verified, deleted', async () => {
    const vsphere = checked(
      'POST /secrets',
      await t.http.post('/secrets').send({ name: 'vcenter', vendor: 'vsphere', api_key: 'administrator@vsphere.local', api_secret: 'pw', address: '127.0.0.1:9', tls: { insecure: true }, watch: true }),
    );
    expect(vsphere.tls).toEqual({ ca: null, insecure: true });
    checked('POST /secrets', await t.http.post('/secrets').send({ name: 'aliyun-prod', vendor: 'aliyun', api_key: 'x', api_secret: 'y', allow_regions: [REGION] }).expect(409));
    checked('POST /secrets', await t.http.post('/secrets').send({ name: 'bad', vendor: 'nope' }).expect(400));
    checked('GET /secrets', await t.http.get('/secrets').expect(200));
    checked('GET /secrets', await t.http.get('/secrets?limit=0').expect(400));
    checked('GET /secrets/{id}', await t.http.get(`/secrets/${vsphere.id}`).expect(200));
    // Its feed cannot reach 127.0.0.1:9: the watch's status says so, with the error.
    for (;;) {
      const watched = checked('GET /secrets/{id}', await t.http.get(`/secrets/${vsphere.id}`).expect(200));
      if (watched.watch_status?.error) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    checked('GET /secrets/{id}', await t.http.get(`/secrets/${randomUUID()}`).expect(404));
    checked('GET /secrets/{id}', await t.http.get('/secrets/not-a-uuid').expect(400));
    checked('PATCH /secrets/{id}', await t.http.patch(`/secrets/${vsphere.id}`).send({ description: 'the lab' }).expect(200));
    checked('POST /secrets/{id}/webhook-secret', await t.http.post(`/secrets/${secretId}/webhook-secret`).expect(201));
    webhookSecret = (await t.http.post(`/secrets/${secretId}/webhook-secret`).expect(201)).body.webhook_secret;

    expect(checked('POST /secrets/{id}/verify', await t.http.post(`/secrets/${secretId}/verify`).send({ region: REGION }).expect(200)).ok).toBe(true);
    const wrong = checked(
      'POST /secrets',
      await t.http.post('/secrets').send({ name: 'aliyun-wrong', vendor: 'aliyun', api_key: apiKey, api_secret: 'not-the-secret', allow_regions: [REGION], address: aliyun.address }),
    );
    const refused = checked('POST /secrets/{id}/verify', await t.http.post(`/secrets/${wrong.id}/verify`).send({ region: REGION }).expect(200));
    expect(refused).toMatchObject({ ok: false, error: { code: expect.any(String) } });
    checked('DELETE /secrets/{id}', await t.http.delete(`/secrets/${wrong.id}`).expect(204));
    checked('DELETE /secrets/{id}', await t.http.delete(`/secrets/${wrong.id}`).expect(404));

    const viewer = await t.createToken('viewer');
    checked('GET /secrets', await t.raw.get('/secrets').set('Authorization', `Bearer ${viewer}`).expect(403));
    checked('GET /secrets', await t.raw.get('/secrets').expect(401));
  });

  it('sync: a scope synced with its items, a job started without waiting, every scope enqueued, jobs and items listed', async () => {
    const first = checked('POST /secrets/{id}/sync', await syncScope('host').expect(200));
    expect(first).toMatchObject({ status: 'succeeded', created: 30 });
    jobId = first.job_id;
    // A second sync renames, retags and removes hosts: updates with changed fields, and a deletion.
    const [renamed, retagged, removed] = [...account.hosts.values()];
    renamed.name = `${renamed.name}-renamed`;
    retagged.tags = { ...retagged.tags, team: 'storage' };
    account.hosts.delete(removed.id);
    const second = checked('POST /secrets/{id}/sync', await syncScope('host', '?details=changed').expect(200));
    expect(second).toMatchObject({ updated: 2, deleted: 1 });
    checked('POST /secrets/{id}/sync', await syncScope('host', '?details_limit=5').expect(200));

    const started = checked('POST /secrets/{id}/sync', await syncScope('rds', '?wait=false').expect(202));
    expect((await jobEnded(started.job_id)).status).toBe('succeeded');
    checked('POST /secrets/{id}/sync', await t.http.post(`/secrets/${secretId}/sync`).send({ resource_type: 'host', region: 'eu-central-1' }).expect(400));

    checked('GET /sync-jobs', await t.http.get('/sync-jobs').expect(200));
    checked('GET /sync-jobs', await t.http.get('/sync-jobs?status=nope').expect(400));
    checked('GET /sync-jobs/{id}', await t.http.get(`/sync-jobs/${randomUUID()}`).expect(404));
    const items = checked('GET /sync-jobs/{id}/items', await t.http.get(`/sync-jobs/${jobId}/items?limit=10`).expect(200));
    expect(items.next_cursor).toEqual(expect.any(String));
    checked('GET /sync-jobs/{id}/items', await t.http.get(`/sync-jobs/${jobId}/items?cursor=${items.next_cursor}&action=created`).expect(200));

    const all = checked('POST /secrets/{id}/sync-all', await t.http.post(`/secrets/${secretId}/sync-all`).expect(202));
    for (const id of all.job_ids) await jobEnded(id);
  });

  it('inventory: hosts and databases listed, read with their raw payload, their history; the counts; the change log', async () => {
    const hosts = checked('GET /hosts', await t.http.get('/hosts?count=true&limit=5&state=all').expect(200));
    expect(hosts.total).toBeGreaterThan(5);
    checked('GET /hosts', await t.http.get(`/hosts?cursor=${hosts.next_cursor}&limit=5&state=all`).expect(200));
    checked('GET /hosts', await t.http.get('/hosts?sort=nope').expect(400));
    const deleted = checked('GET /hosts', await t.http.get('/hosts?state=deleted').expect(200));
    expect(deleted.items[0]).toMatchObject({ state: 'deleted', deleted_at: expect.any(String) });
    const updated = checked('GET /changes', await t.http.get('/changes?change_type=updated&kind=host').expect(200)).items;
    expect(updated.length).toBe(2);
    hostId = updated[0].resource_id;
    checked('GET /hosts/{id}', await t.http.get(`/hosts/${hostId}`).expect(200));
    checked('GET /hosts/{id}', await t.http.get('/hosts/aliyun:i-nowhere').expect(404));
    const history = checked('GET /hosts/{id}/history', await t.http.get(`/hosts/${hostId}/history`).expect(200));
    expect(history.items.map((change: { change_type: string }) => change.change_type)).toEqual(['updated', 'created']);
    checked('GET /hosts/{id}/history', await t.http.get(`/hosts/${randomUUID()}/history`).expect(404));

    const databases = checked('GET /databases', await t.http.get('/databases?count=true').expect(200));
    databaseId = databases.items[0].id;
    checked('GET /databases', await t.http.get('/databases?engine=MySQL&limit=2').expect(200));
    checked('GET /databases/{id}', await t.http.get(`/databases/${databaseId}`).expect(200));
    checked('GET /databases/{id}/history', await t.http.get(`/databases/${databaseId}/history`).expect(200));

    checked('GET /stats', await t.http.get('/stats').expect(200));
    const changes = checked('GET /changes', await t.http.get('/changes?limit=10').expect(200));
    expect(changes.next_after).toEqual(expect.any(Number));
    checked('GET /changes', await t.http.get(`/changes?after=${changes.next_after}&limit=500`).expect(200));
    checked('GET /changes', await t.http.get('/changes?after=-1').expect(400));
  });

  it('delta sync: a CloudEvents delivery, Huawei SMN confirmations and notifications, the events received', async () => {
    const post = (body: unknown, secret = webhookSecret) => {
      const text = JSON.stringify(body);
      const timestamp = String(Math.floor(Date.now() / 1000));
      return t.raw
        .post(`/webhooks/cloudevents/${secretId}`)
        .set('Content-Type', 'application/cloudevents+json; charset=utf-8')
        .set('X-CMDB-Timestamp', timestamp)
        .set('X-CMDB-Signature', webhookSignature(secret, timestamp, Buffer.from(text)))
        .send(text);
    };
    const receipt = checked('POST /webhooks/cloudevents/{secret_id}', await post(aliyun.events.event('host', [...account.hosts.keys()][0], REGION)).expect(202));
    checked('POST /webhooks/cloudevents/{secret_id}', await post(aliyun.events.event('host', 'i-forged', REGION), 'whsec_guessed').expect(401));
    await waitForEvent(t, receipt.events[0].id);

    const huaweiKey = `AK${randomBytes(8).toString('hex')}`;
    const huaweiSecret = randomBytes(16).toString('hex');
    huawei.addAccount(huaweiKey, huaweiSecret);
    const topic = `urn:smn:${HUAWEI_REGION}:${huawei.projectId(huaweiKey, HUAWEI_REGION)}:cmdb-config`;
    const smnSecret = checked(
      'POST /secrets',
      await t.http.post('/secrets').send({
        name: 'huawei-events',
        vendor: 'huawei',
        api_key: huaweiKey,
        api_secret: huaweiSecret,
        allow_regions: [HUAWEI_REGION],
        address: huawei.address,
        request_rate: 100,
        delta_sync: true,
        smn_topic_urns: [topic],
        smn_signing_certs: huawei.smn.caPem,
      }),
    );
    await t.app.listen(0, '127.0.0.1');
    const endpoint = `${await t.app.getUrl()}/webhooks/huawei-smn/${smnSecret.id}`;
    const smnAnswer = (answer: { status: number; body: string }) => openapi.check('POST /webhooks/huawei-smn/{secret_id}', { status: answer.status, body: JSON.parse(answer.body) });
    smnAnswer(await huawei.smn.subscribe(topic, endpoint));
    smnAnswer(await huawei.smn.subscribe(`urn:smn:${HUAWEI_REGION}:${huawei.projectId(huaweiKey, HUAWEI_REGION)}:someone-elses`, endpoint));
    const [host] = generateHosts('huawei', 1, { seed: 9, regions: [HUAWEI_REGION] });
    await huawei.change(huaweiKey, topic, 'CREATE', { kind: 'host', value: host });
    const notification = huawei.smn.channel.answers.at(-1)!;
    smnAnswer(notification);
    await waitForEvent(t, JSON.parse(notification.body).event_id);

    const events = checked('GET /events', await t.http.get('/events?limit=1').expect(200));
    checked('GET /events', await t.http.get(`/events?cursor=${events.next_cursor}`).expect(200));
    for (const event of (await t.http.get('/events').expect(200)).body.items) checked('GET /events/{id}', await t.http.get(`/events/${event.id}`).expect(200));
    checked('GET /events/{id}', await t.http.get(`/events/${randomUUID()}`).expect(404));
  });

  it('tokens, the audit log, whoami and the probes', async () => {
    const token = checked('POST /tokens', await t.http.post('/tokens').send({ name: 'ci', role: 'operator', expires_at: new Date(Date.now() + 3_600_000).toISOString() }).expect(201));
    checked('POST /tokens', await t.http.post('/tokens').send({ name: 'ci', role: 'root' }).expect(400));
    checked('GET /tokens', await t.http.get('/tokens').expect(200));
    checked('GET /whoami', await t.raw.get('/whoami').set('Authorization', `Bearer ${token.token}`).expect(200));
    checked('GET /whoami', await t.http.get('/whoami').expect(200));
    checked('DELETE /tokens/{id}', await t.http.delete(`/tokens/${token.id}`).expect(204));
    checked('DELETE /tokens/{id}', await t.http.delete(`/tokens/${token.id}`).expect(404));
    const audit = checked('GET /audit', await t.http.get('/audit?limit=3').expect(200));
    checked('GET /audit', await t.http.get(`/audit?cursor=${audit.next_cursor}&limit=500`).expect(200));
    checked('GET /healthz', await t.raw.get('/healthz').expect(200));
    const ready = checked('GET /readyz', await t.raw.get('/readyz').expect(200));
    expect(ready.publishing.nats).toMatchObject({ lag: expect.any(Number), acknowledged_revision: expect.any(String) });
  });

  it('every documented operation was called and checked', () => {
    const unchecked = openapi.operations().filter((operation) => !openapi.checked.has(operation) && !NOT_JSON.includes(operation));
    expect(unchecked).toEqual([]);
  });
});
