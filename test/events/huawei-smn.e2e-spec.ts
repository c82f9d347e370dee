import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { generateDatabases, generateHosts } from '../simulators/common/generator';
import type { SimDatabase, SimHost } from '../simulators/common/model';
import type { SimAccount } from '../simulators/common/simulator';
import { startHttpServer } from '../simulators/common/http';
import { renderInstance } from '../simulators/huawei/huawei-render';
import { HuaweiSimulator } from '../simulators/huawei/huawei.simulator';
import { strangerKey } from '../simulators/huawei/smn-publisher';
import { startTestApp, TestApp } from '../support/test-app';

const REGION = 'cn-north-4';

describe('Huawei SMN webhook', () => {
  let t: TestApp;
  let simulator: HuaweiSimulator;
  let account: SimAccount;
  let apiKey: string;
  let secretId: string;
  let topic: string;
  let endpoint: string;
  let seed = 0;
  const db = () => t.app.get(DataSource);
  const smn = () => simulator.smn;

  const newHost = (): SimHost => generateHosts('huawei', 1, { seed: ++seed, regions: [REGION], startIndex: 1000 + seed })[0];
  const newDatabase = (): SimDatabase => generateDatabases('huawei', 1, { seed: ++seed, regions: [REGION], startIndex: 1000 + seed })[0];
  const stored = async (instanceId: string, table = 'hosts') =>
    (await db().query(`SELECT name, state FROM ${table} WHERE instance_id = $1`, [instanceId]))[0] as { name: string; state: string } | undefined;
  const inboxCount = async () => (await db().query(`SELECT count(*)::int AS n FROM inbox_events`))[0].n as number;
  /** Waits until the worker has applied everything stored. */
  const settled = async () => {
    for (;;) {
      const [{ n }] = await db().query(`SELECT count(*)::int AS n FROM inbox_events WHERE status = 'pending'`);
      if (n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const outcomes = async (instanceId: string) =>
    (await db().query(`SELECT event_type, status FROM inbox_events WHERE instance_id = $1 ORDER BY seq`, [instanceId])).map(
      (row: { event_type: string; status: string }) => `${row.event_type.split(':').pop()}=${row.status}`,
    );
  const at = (offsetMs: number) => new Date(Date.now() - 60_000 + offsetMs);

  beforeAll(async () => {
    simulator = await HuaweiSimulator.start();
    t = await startTestApp({ CMDB_SMN_ENDPOINT: simulator.address, CMDB_VENDOR_RETRY_BASE_MS: '5' });
    apiKey = `AK${randomBytes(8).toString('hex')}`;
    const apiSecret = randomBytes(16).toString('hex');
    account = simulator.addAccount(apiKey, apiSecret);
    topic = `urn:smn:${REGION}:${simulator.projectId(apiKey, REGION)}:cmdb-config`;
    const created = await t.http
      .post('/secrets')
      .send({
        name: 'huawei-events',
        vendor: 'huawei',
        api_key: apiKey,
        api_secret: apiSecret,
        allow_regions: [REGION],
        address: simulator.address,
        request_rate: 100,
        delta_sync: true,
        smn_topic_urns: [topic],
        smn_signing_certs: simulator.smn.caPem,
      })
      .expect(201);
    secretId = created.body.id;
    // SMN posts over the network: the app listens on an ephemeral port.
    await t.app.listen(0, '127.0.0.1');
    endpoint = `${await t.app.getUrl()}/webhooks/huawei-smn/${secretId}`;
  });
  afterAll(async () => {
    await t?.close();
    await simulator?.stop();
  });
  beforeEach(() => {
    smn().channel.resume();
    smn().channel.drop();
  });

  it('confirms the subscription of a listed topic only, at the SMN endpoint', async () => {
    const answer = await smn().subscribe(topic, endpoint);
    expect(answer.status).toBe(200);
    expect(smn().confirmed.has(topic)).toBe(true);

    const unlisted = `urn:smn:${REGION}:${simulator.projectId(apiKey, REGION)}:someone-elses`;
    const refused = await smn().subscribe(unlisted, endpoint);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).details.reason).toBe('unlisted_topic');
    expect(smn().confirmed.has(unlisted)).toBe(false);
  });

  it('a CREATE, UPDATE and DELETE in the cloud reach the inventory, each logged with its event', async () => {
    const host = newHost();
    await simulator.change(apiKey, topic, 'CREATE', { kind: 'host', value: host });
    await settled();
    expect(await stored(host.id)).toEqual({ name: host.name, state: 'active' });
    await simulator.change(apiKey, topic, 'UPDATE', { kind: 'host', value: { ...host, name: `${host.name}-renamed` } });
    await settled();
    expect(await stored(host.id)).toEqual({ name: `${host.name}-renamed`, state: 'active' });
    await simulator.change(apiKey, topic, 'DELETE', { kind: 'host', value: host });
    await settled();
    expect(await stored(host.id)).toMatchObject({ state: 'deleted' });
    const changes = await db().query(
      `SELECT c.change_type, c.trigger, e.event_type FROM resource_changes c JOIN inbox_events e ON e.id = c.event_id WHERE c.instance_id = $1 ORDER BY c.revision`,
      [host.id],
    );
    expect(changes.map((row: { change_type: string; trigger: string }) => `${row.change_type}/${row.trigger}`)).toEqual(['created/event', 'updated/event', 'deleted/event']);

    const database = newDatabase();
    await simulator.change(apiKey, topic, 'CREATE', { kind: 'rds', value: database });
    await settled();
    expect(await stored(database.id, 'databases')).toEqual({ name: database.name, state: 'active' });
  });

  describe('disorder: the later change wins whatever the arrival order', () => {
    beforeEach(() => smn().channel.hold());

    it('C->U arriving as U->C', async () => {
      const host = newHost();
      await simulator.change(apiKey, topic, 'CREATE', { kind: 'host', value: host }, at(1000));
      await simulator.change(apiKey, topic, 'UPDATE', { kind: 'host', value: { ...host, name: 'after-update' } }, at(2000));
      await smn().channel.release([1, 0]);
      await settled();
      expect(await stored(host.id)).toEqual({ name: 'after-update', state: 'active' });
      expect(await outcomes(host.id)).toEqual(['UPDATE=applied', 'CREATE=stale']);
    });

    it('U1->U2 arriving as U2->U1', async () => {
      const host = newHost();
      await simulator.change(apiKey, topic, 'UPDATE', { kind: 'host', value: { ...host, name: 'u1' } }, at(1000));
      await simulator.change(apiKey, topic, 'UPDATE', { kind: 'host', value: { ...host, name: 'u2' } }, at(2000));
      await smn().channel.release([1, 0]);
      await settled();
      expect(await stored(host.id)).toEqual({ name: 'u2', state: 'active' });
      expect(await outcomes(host.id)).toEqual(['UPDATE=applied', 'UPDATE=stale']);
    });

    it('U->D arriving as D->U', async () => {
      const host = newHost();
      await simulator.change(apiKey, topic, 'CREATE', { kind: 'host', value: host }, at(1000));
      await smn().channel.release();
      await settled();
      await simulator.change(apiKey, topic, 'UPDATE', { kind: 'host', value: { ...host, name: 'doomed' } }, at(2000));
      await simulator.change(apiKey, topic, 'DELETE', { kind: 'host', value: host }, at(3000));
      await smn().channel.release([1, 0]);
      await settled();
      expect(await stored(host.id)).toEqual({ name: host.name, state: 'deleted' });
      expect(await outcomes(host.id)).toEqual(['CREATE=applied', 'DELETE=applied', 'UPDATE=stale']);
    });

    it('C->D arriving as D->C: the delete leaves a tombstone, the late create does not resurrect it', async () => {
      const host = newHost();
      await simulator.change(apiKey, topic, 'CREATE', { kind: 'host', value: host }, at(1000));
      await simulator.change(apiKey, topic, 'DELETE', { kind: 'host', value: host }, at(2000));
      await smn().channel.release([1, 0]);
      await settled();
      expect(await stored(host.id)).toBeUndefined();
      expect(await outcomes(host.id)).toEqual(['DELETE=applied', 'CREATE=stale']);
      const changes = await db().query(`SELECT count(*)::int AS n FROM resource_changes WHERE instance_id = $1`, [host.id]);
      expect(changes[0].n).toBe(0);
    });

    it('a duplicate delivery is refused and applied once', async () => {
      const host = newHost();
      await simulator.change(apiKey, topic, 'CREATE', { kind: 'host', value: host });
      const [delivery] = smn().channel.held;
      await smn().channel.release([0, 0]);
      await settled();
      const answers = smn().channel.answers.filter((answer) => answer.delivery === delivery).map((answer) => answer.status);
      expect(answers).toEqual([200, 409]);
      expect(await outcomes(host.id)).toEqual(['CREATE=applied']);
    });

    it('a lost notification is made good by the next full sync', async () => {
      const host = newHost();
      await simulator.change(apiKey, topic, 'CREATE', { kind: 'host', value: host });
      smn().channel.drop();
      expect(await stored(host.id)).toBeUndefined();
      await t.http.post(`/secrets/${secretId}/sync`).send({ resource_type: 'host', region: REGION }).expect(200);
      expect(await stored(host.id)).toEqual({ name: host.name, state: 'active' });
    });
  });

  describe('forgeries change nothing', () => {
    const forge = async (tamper: (change: Parameters<HuaweiSimulator['smn']['notification']>[0]) => unknown) => {
      const before = await inboxCount();
      const host = newHost();
      const change = {
        topicUrn: topic,
        resourceType: 'ecs.cloudservers' as const,
        eventType: 'CREATE' as const,
        resourceId: host.id,
        name: host.name,
        region: REGION,
        properties: {},
        captureTime: new Date(),
      };
      const envelope = tamper(change);
      const answer = await smn().channel.send(smn().delivery(endpoint, envelope as ReturnType<HuaweiSimulator['smn']['notification']>));
      expect(await inboxCount()).toBe(before);
      expect(await stored(host.id)).toBeUndefined();
      return { status: answer.status, reason: JSON.parse(answer.body).details?.reason as string };
    };

    it('signed with another key', async () => {
      expect(await forge((change) => smn().sign(smn().notification(change), strangerKey()))).toEqual({ status: 401, reason: 'bad_signature' });
    });

    it('with a certificate from a host that is not the SMN endpoint', async () => {
      const attacker = await startHttpServer((_req, res) => res.end(smn().pki.serverCertPem));
      try {
        const forged = await forge((change) => smn().sign({ ...smn().notification(change), signing_cert_url: `${attacker.url}/cert.pem` }));
        expect(forged).toEqual({ status: 401, reason: 'untrusted_certificate' });
      } finally {
        await attacker.close();
      }
    });

    it('with a stale timestamp', async () => {
      const forged = await forge((change) => smn().notification(change, { timestamp: new Date(Date.now() - 20 * 60_000) }));
      expect(forged).toEqual({ status: 401, reason: 'stale_timestamp' });
    });

    it('a replayed message id', async () => {
      const host = newHost();
      await simulator.change(apiKey, topic, 'CREATE', { kind: 'host', value: host });
      const [first] = smn().channel.answers.slice(-1);
      const replay = await smn().channel.send(first.delivery);
      expect(replay.status).toBe(409);
      expect(JSON.parse(replay.body).details.reason).toBe('replayed');
    });

    it('unknown secret, malformed envelope: 4xx, counted', async () => {
      const unknown = await smn().channel.send({ url: endpoint.replace(secretId, randomUUID()), headers: { 'Content-Type': 'text/plain' }, body: '{}' });
      expect(unknown.status).toBe(404);
      const malformed = await smn().channel.send({ url: endpoint, headers: { 'Content-Type': 'text/plain' }, body: '{"type": "Notification"}' });
      expect(malformed.status).toBe(400);
      const metrics = await t.http.get('/metrics').expect(200);
      expect(metrics.text).toMatch(/cmdb_webhook_rejections_total\{channel="huawei-smn",reason="malformed"\} 1/);
    });
  });

  it('an event racing a full sync of the same scope: the sync does not delete what the event wrote after its listing began', async () => {
    const listed = generateDatabases('huawei', 150, { seed: 999, regions: [REGION], startIndex: 50_000 });
    for (const item of listed) account.databases.set(item.id, item);
    const created = newDatabase();
    let eventSent: Promise<void> = Promise.resolve();
    // While the listing runs (its pages already taken), the cloud creates one more and notifies.
    simulator.faults.set({
      latencyMs: 300,
      mutateBeforePage: {
        page: 2,
        mutate: () => {
          eventSent = simulator.smn.resourceChanged({
            topicUrn: topic,
            resourceType: 'rds.instances',
            eventType: 'CREATE',
            resourceId: created.id,
            name: created.name,
            region: REGION,
            properties: renderInstance(created, simulator.projectId(apiKey, REGION)),
            captureTime: new Date(),
          });
        },
      },
    });
    const sync = await t.http.post(`/secrets/${secretId}/sync`).send({ resource_type: 'rds', region: REGION }).expect(200);
    simulator.faults.reset();
    await eventSent;
    account.databases.set(created.id, created); // the cloud holds it
    await settled();
    expect(sync.body.status).toBe('succeeded');
    const [event] = await db().query(`SELECT applied_at, status FROM inbox_events WHERE instance_id = $1`, [created.id]);
    expect(event.status).toBe('applied');
    expect(new Date(event.applied_at).getTime()).toBeLessThan(new Date(sync.body.finished_at).getTime());
    expect(await stored(created.id, 'databases')).toEqual({ name: created.name, state: 'active' });
  });
});
