import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateHosts } from '../simulators/common/generator';
import type { SimAccount } from '../simulators/common/simulator';
import { startTestApp, TestApp } from '../support/test-app';
import { waitForEvent } from './event-helpers';

const REGION = 'cn-hangzhou';

/** Aliyun EventBridge posting to the CloudEvents webhook with its own RSA signature, verified against the certificate configured on the secret. */
describe('CloudEvents webhook: Aliyun EventBridge signature', () => {
  let t: TestApp;
  let simulator: AliyunSimulator;
  let account: SimAccount;
  let secretId: string;
  const db = () => t.app.get(DataSource);
  const inboxCount = async () => (await db().query(`SELECT count(*)::int AS n FROM inbox_events`))[0].n as number;
  const events = () => simulator.events;

  beforeAll(async () => {
    simulator = await AliyunSimulator.start();
    t = await startTestApp({ CMDB_VENDOR_RETRY_BASE_MS: '5' });
    const apiKey = `AK${randomBytes(8).toString('hex')}`;
    const apiSecret = randomBytes(16).toString('hex');
    account = simulator.addAccount(apiKey, apiSecret);
    const created = await t.http
      .post('/secrets')
      .send({
        name: 'aliyun-eventbridge',
        vendor: 'aliyun',
        api_key: apiKey,
        api_secret: apiSecret,
        allow_regions: [REGION],
        address: simulator.address,
        request_rate: 100,
        delta_sync: true,
        eventbridge_signing_certs: events().eventBridgeCertificatePem,
      })
      .expect(201);
    secretId = created.body.id;
    expect(created.body.eventbridge_signing_certs).toBe(events().eventBridgeCertificatePem);
    await t.app.listen(0, '127.0.0.1');
    events().subscribe(`${await t.app.getUrl()}/webhooks/cloudevents/${secretId}`, created.body.webhook_secret);
  });
  afterAll(async () => {
    await t?.close();
    await simulator?.stop();
  });

  it('accepts a delivery EventBridge signed with the configured certificate, without the webhook secret, and applies it', async () => {
    const [host] = generateHosts('aliyun', 1, { seed: 61, regions: [REGION], startIndex: 600 });
    account.hosts.set(host.id, host);
    const answer = await events().channel.send(events().eventBridgeDelivery([events().event('host', host.id, REGION)], { region: REGION }));
    expect(answer.status).toBe(202);
    const event = await waitForEvent(t, JSON.parse(answer.body).events[0].id);
    expect(event).toMatchObject({ status: 'applied', reason: 'created', instance_id: host.id });
  });

  describe('refuses, storing nothing (401, counted, audited)', () => {
    const refusal = async (options: Parameters<AliyunSimulator['events']['eventBridgeDelivery']>[1]) => {
      const before = await inboxCount();
      const answer = await events().channel.send(events().eventBridgeDelivery([events().event('host', 'i-forged', REGION)], options));
      expect(await inboxCount()).toBe(before);
      return { status: answer.status, reason: JSON.parse(answer.body).details?.reason as string };
    };

    it('a signature by another key', async () => {
      const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      expect(await refusal({ region: REGION, key: stranger })).toEqual({ status: 401, reason: 'bad_signature' });
    });

    it('a timestamp more than 60 s old', async () => {
      expect(await refusal({ region: REGION, timestamp: Date.now() - 61_000 })).toEqual({ status: 401, reason: 'stale_timestamp' });
    });

    it('a certificate URL on a host that is not the EventBridge host of an allowed region', async () => {
      for (const certificateUrl of [
        `https://${REGION}-eventbridge.oss-accelerate.aliyuncs.com.evil.example/cert.pem`,
        `http://${REGION}-eventbridge.oss-accelerate.aliyuncs.com/cert.pem`,
        'https://eu-central-1-eventbridge.oss-accelerate.aliyuncs.com/cert.pem',
      ]) {
        expect(await refusal({ region: REGION, certificateUrl })).toEqual({ status: 401, reason: 'untrusted_certificate' });
      }
    });

    it('counts and audits the refusals', async () => {
      const metrics = await t.http.get('/metrics').expect(200);
      expect(metrics.text).toMatch(/cmdb_webhook_rejections_total\{channel="cloudevents",reason="bad_signature"\} 1/);
      expect(metrics.text).toMatch(/cmdb_webhook_rejections_total\{channel="cloudevents",reason="untrusted_certificate"\} 3/);
      const audit = await t.http.get('/audit?action=webhook.rejected').expect(200);
      expect(audit.body.items.map((item: { details: { reason: string } }) => item.details.reason).sort()).toEqual([
        'bad_signature',
        'stale_timestamp',
        'untrusted_certificate',
        'untrusted_certificate',
        'untrusted_certificate',
      ]);
    });
  });

  it('without a configured certificate, an EventBridge signature is not enough', async () => {
    await t.http.patch(`/secrets/${secretId}`).send({ eventbridge_signing_certs: null }).expect(200);
    try {
      const answer = await events().channel.send(events().eventBridgeDelivery([events().event('host', 'i-any', REGION)], { region: REGION }));
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body).details.reason).toBe('untrusted_certificate');
    } finally {
      await t.http.patch(`/secrets/${secretId}`).send({ eventbridge_signing_certs: events().eventBridgeCertificatePem }).expect(200);
    }
  });

  it('takes eventbridge_signing_certs on aliyun secrets only', async () => {
    const refused = await t.http
      .post('/secrets')
      .send({ name: 'tencent', vendor: 'tencent', api_key: 'AKID', api_secret: 'x', allow_regions: ['ap-guangzhou'], eventbridge_signing_certs: events().eventBridgeCertificatePem })
      .expect(400);
    expect(JSON.stringify(refused.body)).toContain('eventbridge_signing_certs');
  });
});
