import { ChangeRetention } from '../../src/changes/change-retention';
import { startTestApp, TestApp } from '../support/test-app';
import { collectMqtt, eventually, MqttCollector, readStream, storedCount } from './bus-clients';
import { ownMosquitto, ownNats, OwnBroker } from './own-brokers';
import { AliyunHosts, consecutive, firstArrivals, publishEnvironment, ReceivedEvent, uniqueBus } from './publish-fixture';

/** Brokers of the test's own (stopped and started again), never the machine's services. */
describe('publishing while the brokers go down and come back', () => {
  const bus = uniqueBus();
  let mosquitto: OwnBroker;
  let nats: OwnBroker;
  let t: TestApp;
  let cloud: AliyunHosts;
  let watcher: MqttCollector;
  let secretId: string;

  const mqttEvents = () => watcher.messages.map((m) => JSON.parse(m.payload) as ReceivedEvent);
  const streamEvents = async () => (await readStream(nats.url, bus.stream)).map((m) => JSON.parse(m.payload) as ReceivedEvent);
  const sync = (query = '') => t.http.post(`/secrets/${secretId}/sync${query}`).send({ resource_type: 'host', region: 'cn-hangzhou' });

  beforeAll(async () => {
    [mosquitto, nats, cloud] = await Promise.all([ownMosquitto(), ownNats(), AliyunHosts.start()]);
    // A durable session: the broker keeps what it could not deliver while this subscriber was cut off.
    watcher = await collectMqtt(mosquitto.url, `${bus.prefix}/host/#`, { clientId: `watcher-${bus.prefix}`, clean: false, properties: { sessionExpiryInterval: 600 } });
    t = await startTestApp(publishEnvironment(bus, { mqtt: mosquitto.url, nats: nats.url }));
    secretId = await cloud.createSecret(t);
  });
  afterAll(async () => {
    await t?.close();
    await watcher?.close();
    await Promise.all([mosquitto?.destroy(), nats?.destroy()]);
    await cloud?.stop();
  });

  it('brokers stopped in the middle of a sync: the sync finishes anyway, and once they are back every change arrives, in order, none twice on JetStream', async () => {
    cloud.add(40);
    expect((await sync().expect(200)).body).toMatchObject({ created: 40 });
    await eventually(async () => (await storedCount(nats.url, bus.stream)) === 40, 'the first sync published');

    // Over two write batches (1000 items each), pages slowed down: the sync commits its first batch seconds before its
    // last (about 15 slow pages), time enough to stop both brokers in between even on a busy machine.
    cloud.add(2500);
    cloud.rename(10);
    cloud.simulator.faults.set({ latencyMs: 300 });
    const job = (await sync('?wait=false').expect(202)).body.job_id as string;
    // Its first page is committed and published; stop both brokers under the rest of the sync.
    await eventually(async () => (await storedCount(nats.url, bus.stream)) > 40, 'the running sync publishing');
    await Promise.all([mosquitto.stop(), nats.stop()]);
    let finished: { status: string; created: number; updated: number } = { status: 'running', created: 0, updated: 0 };
    await eventually(async () => {
      finished = (await t.http.get(`/sync-jobs/${job}`).expect(200)).body;
      return finished.status !== 'running';
    }, 'the sync finished while the brokers were down');
    expect(finished).toMatchObject({ status: 'succeeded', created: 2500, updated: 10 });
    const total = 40 + 2500 + 10;

    const ready = (await t.raw.get('/readyz').expect(200)).body;
    expect(ready.publishing.nats.lag).toBeGreaterThan(0);
    expect(ready.publishing.mqtt.lag).toBeGreaterThan(0);

    cloud.simulator.faults.reset();
    await Promise.all([mosquitto.start(), nats.start()]);
    await eventually(async () => (await storedCount(nats.url, bus.stream)) >= total, 'the backlog drained to JetStream');
    const stored = await streamEvents();
    const first = BigInt(stored[0].id);
    expect(stored.map((e) => e.id)).toEqual(consecutive(first, total));

    await eventually(() => firstArrivals(mqttEvents()).length >= total, 'the backlog drained to MQTT');
    // At least once on MQTT: a round cut off by the outage may come twice, but nothing is missing or out of order.
    expect(firstArrivals(mqttEvents())).toEqual(consecutive(first, total));
    await eventually(async () => (await t.raw.get('/readyz').expect(200)).body.publishing.mqtt.lag === 0, 'lag back to 0');
  });

  it('keeps in the change log what a broker has not acknowledged, however old, and publishes it when the broker returns', async () => {
    const retention = t.app.get(ChangeRetention);
    const before = await storedCount(nats.url, bus.stream);
    await mosquitto.stop();
    cloud.rename(5);
    expect((await sync().expect(200)).body).toMatchObject({ status: 'succeeded', updated: 5 });
    await eventually(async () => (await storedCount(nats.url, bus.stream)) === before + 5, 'JetStream got the renames');
    const renames = (await streamEvents()).slice(-5).map((e) => e.id);

    // Everything is past the retention; only what MQTT has acknowledged may go.
    const ready = (await t.raw.get('/readyz').expect(200)).body;
    expect(ready.publishing.mqtt.lag).toBe(5);
    expect(await retention.pruneBefore(new Date(Date.now() + 3_600_000))).toBe(before);

    await mosquitto.start();
    await eventually(() => firstArrivals(mqttEvents()).slice(-5).join() === renames.join(), 'MQTT got the renames after its outage');
    await eventually(async () => (await t.raw.get('/readyz').expect(200)).body.publishing.mqtt.lag === 0, 'MQTT caught up');
    expect(await retention.pruneBefore(new Date(Date.now() + 3_600_000))).toBe(5);
  });
});
