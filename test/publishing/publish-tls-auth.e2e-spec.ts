import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPki } from '../simulators/vsphere/certificates';
import { startTestApp, TestApp } from '../support/test-app';
import { collectMqtt, eventually } from './bus-clients';
import { ownMosquitto, type OwnBroker } from './own-brokers';
import { AliyunHosts, consecutive, publishEnvironment, type ReceivedEvent, uniqueBus } from './publish-fixture';

/** A broker of the test's own that takes only TLS connections (its own CA) and known users, as a production one does. */
describe('publishing to an MQTT broker that wants TLS and a password', () => {
  const bus = uniqueBus();
  const pki = createTestPki();
  const publisher = { user: 'cmdb-publisher', password: randomBytes(12).toString('hex') };
  const reader = { user: 'reader', password: randomBytes(12).toString('hex') };
  const folder = mkdtempSync(join(tmpdir(), 'cmdb-mqtt-ca-'));
  const caFile = join(folder, 'ca.pem');
  let broker: OwnBroker;
  let cloud: AliyunHosts;
  const apps: TestApp[] = [];

  const start = async (overrides: Record<string, string | undefined> = {}) => {
    const settings: Record<string, string | undefined> = {
      ...publishEnvironment(bus, { mqtt: broker.url }),
      CMDB_PUBLISH_MQTT_USERNAME: publisher.user,
      CMDB_PUBLISH_MQTT_PASSWORD: publisher.password,
      CMDB_PUBLISH_MQTT_CA_FILE: caFile,
      ...overrides,
    };
    const app = await startTestApp(Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Record<string, string>);
    apps.push(app);
    return app;
  };
  /** A sync through the app of every host the cloud holds (`count` more than before): each a change of its fresh database. */
  const syncNewHosts = async (t: TestApp, count: number) => {
    const secretId = await cloud.createSecret(t);
    cloud.add(count);
    await t.http.post(`/secrets/${secretId}/sync`).send({ resource_type: 'host', region: 'cn-hangzhou' }).expect(200);
  };
  const mqttStatus = async (t: TestApp) => (await t.raw.get('/readyz').expect(200)).body.publishing.mqtt as { lag: number; last_error: string | null };

  beforeAll(async () => {
    writeFileSync(caFile, pki.caPem);
    [broker, cloud] = await Promise.all([ownMosquitto({ tls: pki, users: { [publisher.user]: publisher.password, [reader.user]: reader.password } }), AliyunHosts.start()]);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await Promise.all([broker?.destroy(), cloud?.stop()]);
    rmSync(folder, { recursive: true, force: true });
  });

  it('publishes with the configured user, password and CA, and never shows the password', async () => {
    const subscriber = await collectMqtt(broker.url, `${bus.prefix}/host/#`, { username: reader.user, password: reader.password, ca: pki.caPem });
    try {
      const t = await start();
      await syncNewHosts(t, 5);
      await eventually(() => subscriber.messages.length >= 5, 'the changes over TLS');
      const ids = subscriber.messages.map((m) => (JSON.parse(m.payload) as ReceivedEvent).id);
      expect(ids).toEqual(consecutive(BigInt(ids[0]), 5));
      await eventually(async () => (await mqttStatus(t)).lag === 0, 'acknowledged');
      expect(t.logs.join('\n')).not.toContain(publisher.password);
    } finally {
      await subscriber.close();
    }
  });

  it('publishes nothing with a wrong password, and says why without showing it', async () => {
    const wrong = `wrong-${publisher.password}`;
    const t = await start({ CMDB_PUBLISH_MQTT_PASSWORD: wrong });
    await syncNewHosts(t, 3);
    await eventually(async () => (await mqttStatus(t)).last_error !== null, 'the refusal reported');
    const status = await mqttStatus(t);
    expect(status.lag).toBe(cloud.account.hosts.size);
    expect(status.last_error).toMatch(/not authori[sz]ed|bad user name or password/i);
    expect(JSON.stringify(status) + t.logs.join('\n')).not.toContain(wrong);
  });

  it('does not trust the broker without its CA', async () => {
    const t = await start({ CMDB_PUBLISH_MQTT_CA_FILE: undefined });
    await syncNewHosts(t, 2);
    await eventually(async () => (await mqttStatus(t)).last_error !== null, 'the refusal reported');
    const status = await mqttStatus(t);
    expect(status.lag).toBe(cloud.account.hosts.size);
    expect(status.last_error).toMatch(/certificate|self[- ]signed/i);
  });
});
