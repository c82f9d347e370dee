import { nanos } from '@nats-io/nats-core';
import { startTestApp, TestApp } from '../support/test-app';
import { deleteStream, eventually, storedCount, withStreams } from './bus-clients';
import { AliyunHosts, MACHINE_NATS, publishEnvironment, uniqueBus } from './publish-fixture';

/** Against the machine's NATS JetStream, on a stream of the test's own. */
describe('the JetStream stream the server publishes to', () => {
  const bus = uniqueBus();
  let t: TestApp;
  let cloud: AliyunHosts;

  beforeAll(async () => {
    cloud = await AliyunHosts.start();
  });
  afterAll(async () => {
    await t?.close();
    await cloud?.stop();
    await deleteStream(MACHINE_NATS, bus.stream);
  });

  it('is brought to the configured subjects and limits when it exists already, keeping the subjects others added', async () => {
    // Made earlier: another prefix's subjects (say, before CMDB_PUBLISH_TOPIC_PREFIX changed) and other limits.
    await withStreams(MACHINE_NATS, (manager) =>
      manager.streams.add({ name: bus.stream, subjects: [`${bus.prefix}-old.>`], max_age: nanos(60_000), duplicate_window: nanos(10_000), max_msgs: 5 }),
    );
    t = await startTestApp({ ...publishEnvironment(bus, { nats: MACHINE_NATS }), CMDB_PUBLISH_NATS_MAX_AGE_SECONDS: '3600' });
    const secretId = await cloud.createSecret(t);
    cloud.add(8);
    await t.http.post(`/secrets/${secretId}/sync`).send({ resource_type: 'host', region: 'cn-hangzhou' }).expect(200);

    await eventually(async () => (await storedCount(MACHINE_NATS, bus.stream)) === 8, 'every change stored');
    const config = await withStreams(MACHINE_NATS, async (manager) => (await manager.streams.info(bus.stream)).config);
    expect(config.subjects.sort()).toEqual([`${bus.prefix}-old.>`, `${bus.prefix}.>`].sort());
    expect(config).toMatchObject({ max_age: nanos(3_600_000), duplicate_window: nanos(120_000), max_msgs: -1 });
  });
});
