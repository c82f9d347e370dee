import { startTestApp, TestApp } from '../support/test-app';
import { clearRetained, collectMqtt, deleteStream, eventually, MqttCollector, readStream } from './bus-clients';
import { AliyunHosts, consecutive, MACHINE_MQTT, MACHINE_NATS, publishEnvironment, ReceivedEvent, uniqueBus } from './publish-fixture';

/** Against the machine's Mosquitto and NATS JetStream (`.ci/run` starts them when down). */
describe('publishing the change log to MQTT and NATS JetStream', () => {
  const bus = uniqueBus();
  let t: TestApp;
  let cloud: AliyunHosts;
  let watcher: MqttCollector;
  let renamed: string[];
  let removed: string[] = [];
  const CREATED = 30;
  const total = CREATED + 3 + 2;

  const mqttEvents = () => watcher.messages.filter((m) => !m.topic.startsWith(`${bus.prefix}/state/`));
  const stateTopics = () => [...cloud.account.hosts.keys(), ...removed].map((id) => `${bus.prefix}/state/host/aliyun/${id}`);

  beforeAll(async () => {
    cloud = await AliyunHosts.start();
    watcher = await collectMqtt(MACHINE_MQTT, `${bus.prefix}/#`);
    t = await startTestApp(publishEnvironment(bus, { mqtt: MACHINE_MQTT, nats: MACHINE_NATS }));
    const secretId = await cloud.createSecret(t);
    const sync = () => t.http.post(`/secrets/${secretId}/sync`).send({ resource_type: 'host', region: 'cn-hangzhou' }).expect(200);
    cloud.add(CREATED);
    expect((await sync()).body).toMatchObject({ created: CREATED });
    renamed = cloud.rename(3);
    removed = cloud.remove(2);
    expect((await sync()).body).toMatchObject({ updated: 3, deleted: 2 });
  });
  afterAll(async () => {
    await watcher?.close();
    await t?.close();
    await cloud?.stop();
    if (cloud) await clearRetained(MACHINE_MQTT, stateTopics());
    await deleteStream(MACHINE_NATS, bus.stream);
  });

  it("delivers a sync's changes to both brokers in revision order, once each on JetStream, as documented CloudEvents", async () => {
    await eventually(async () => (await readStream(MACHINE_NATS, bus.stream)).length >= total, 'every change in the stream');
    await eventually(() => mqttEvents().length >= total, 'every change on MQTT');
    const stored = await readStream(MACHINE_NATS, bus.stream);
    expect(stored).toHaveLength(total);
    const natsEvents = stored.map((m) => JSON.parse(m.payload) as ReceivedEvent);
    const first = BigInt(natsEvents[0].id);
    expect(natsEvents.map((e) => e.id)).toEqual(consecutive(first, total));
    const mqtt = mqttEvents().map((m) => JSON.parse(m.payload) as ReceivedEvent);
    expect(mqtt.map((e) => e.id)).toEqual(consecutive(first, total));
    // Same event, same bytes on both buses.
    expect(mqttEvents().map((m) => m.payload)).toEqual(stored.map((m) => m.payload));

    const types = natsEvents.map((e) => e.type);
    expect(types.slice(0, CREATED).every((type) => type === 'cmdb.host.created')).toBe(true);
    expect(types.slice(CREATED).sort()).toEqual([...Array(3).fill('cmdb.host.updated'), ...Array(2).fill('cmdb.host.deleted')].sort());

    for (const [i, event] of natsEvents.entries()) {
      const instanceId = event.subject.split('/')[1];
      const change = event.type.split('.')[2];
      expect(event).toMatchObject({ specversion: '1.0', source: 'https://cmdb.test', subject: `aliyun/${instanceId}`, revision: event.id, datacontenttype: 'application/json' });
      expect(new Date(event.time).toISOString()).toBe(event.time);
      expect(event.data.object).toMatchObject({ instance_id: instanceId, vendor: 'aliyun', region: 'cn-hangzhou' });
      expect(event.data.origin).toMatchObject({ trigger: 'sync', job_id: expect.any(String) });
      expect(stored[i].subject).toBe(`${bus.prefix}.host.aliyun.cn-hangzhou.${change}`);
      expect(stored[i].headers['Nats-Msg-Id']).toBe(event.id);
      expect(stored[i].headers['Content-Type']).toBe('application/cloudevents+json');
      expect(mqttEvents()[i].topic).toBe(`${bus.prefix}/host/aliyun/cn-hangzhou/${change}`);
    }
    const updates = natsEvents.filter((e) => e.type === 'cmdb.host.updated');
    expect(updates.map((e) => e.subject.split('/')[1]).sort()).toEqual([...renamed].sort());
    for (const update of updates) {
      expect(update.data.changed_fields).toMatchObject({ name: { new: update.data.object!.name } });
      expect(String(update.data.object!.name)).toMatch(/-renamed$/);
    }
    const deletes = natsEvents.filter((e) => e.type === 'cmdb.host.deleted');
    expect(deletes.map((e) => e.subject.split('/')[1]).sort()).toEqual([...removed].sort());
    expect(deletes.every((e) => e.data.object !== null)).toBe(true);
  });

  it('gives a late MQTT subscriber the current state of every live resource first, and none of the deleted ones', async () => {
    const late = await collectMqtt(MACHINE_MQTT, `${bus.prefix}/state/#`);
    try {
      await eventually(() => late.messages.length >= CREATED - 2, 'every retained state');
      expect(late.messages.every((m) => m.retain)).toBe(true);
      const states = new Map(late.messages.map((m) => [m.topic.split('/').pop()!, JSON.parse(m.payload) as ReceivedEvent]));
      expect([...states.keys()].sort()).toEqual([...cloud.account.hosts.keys()].sort());
      for (const id of renamed) expect(String(states.get(id)!.data.object!.name)).toMatch(/-renamed$/);
      for (const [id, state] of states) expect(state.data.object).toMatchObject({ instance_id: id, name: cloud.account.hosts.get(id)!.name });
    } finally {
      await late.close();
    }
  });

  it('reports each sink lag (0 once everything is acknowledged) in /readyz and /metrics', async () => {
    await eventually(async () => {
      const ready = (await t.raw.get('/readyz').expect(200)).body;
      return ready.publishing?.mqtt?.lag === 0 && ready.publishing?.nats?.lag === 0;
    }, 'lag 0 in /readyz');
    const ready = (await t.raw.get('/readyz').expect(200)).body;
    expect(ready.publishing.mqtt).toEqual({ lag: 0, acknowledged_revision: expect.stringMatching(/^\d+$/), publishing_here: true, last_error: null });
    const metrics = (await t.http.get('/metrics').expect(200)).text;
    expect(metrics).toContain('cmdb_publish_lag_revisions{sink="mqtt"} 0');
    expect(metrics).toContain('cmdb_publish_lag_revisions{sink="nats"} 0');
    expect(metrics).toMatch(new RegExp(`cmdb_publish_changes_total\\{sink="nats"\\} ${total}\\b`));
  });
});
