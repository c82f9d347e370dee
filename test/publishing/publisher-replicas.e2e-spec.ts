import { randomBytes } from 'node:crypto';
import type { DatabaseHandle } from '../../src/database/database-handle';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { terminateLockHolders } from '../support/lock-holders';
import { clearRetained, collectMqtt, deleteStream, eventually, readStream } from './bus-clients';
import { AliyunHosts, consecutive, MACHINE_MQTT, MACHINE_NATS, publishEnvironment, ReceivedEvent, uniqueBus } from './publish-fixture';

// Replicas share a real PostgreSQL; on the embedded database one process owns the data.
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

onPostgres('two replicas publishing the same change log', () => {
  const bus = uniqueBus();
  let database: DatabaseHandle;
  let first: TestApp;
  let second: TestApp;
  let cloud: AliyunHosts;
  let secretId: string;
  const closed = new Set<TestApp>();

  const sync = async (t: TestApp) =>
    expect((await t.http.post(`/secrets/${secretId}/sync`).send({ resource_type: 'host', region: 'cn-hangzhou' }).expect(200)).body).toMatchObject({ status: 'succeeded' });
  const publishingHere = async (t: TestApp) => (await t.raw.get('/readyz').expect(200)).body.publishing;

  beforeAll(async () => {
    cloud = await AliyunHosts.start();
    // One key for both replicas: either one decrypts the secret the other stored.
    const environment = { ...publishEnvironment(bus, { mqtt: MACHINE_MQTT, nats: MACHINE_NATS }), CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    database = await createTestDatabase();
    first = await startTestApp(environment, { sharedDatabase: database });
    second = await startTestApp(environment, { sharedDatabase: database });
    secretId = await cloud.createSecret(first);
  });
  afterAll(async () => {
    for (const app of [first, second]) if (app && !closed.has(app)) await app.close();
    await database?.close();
    await clearRetained(MACHINE_MQTT, [...cloud.account.hosts.keys()].map((id) => `${bus.prefix}/state/host/aliyun/${id}`));
    await deleteStream(MACHINE_NATS, bus.stream);
    await cloud?.stop();
  });

  it('has one publisher per sink; one that lost its lease with its connection stops; the other takes over when it stops, and nothing is stored twice', async () => {
    cloud.add(50);
    await sync(first);
    await eventually(async () => (await readStream(MACHINE_NATS, bus.stream)).length >= 50, 'the first sync published');
    const [a, b] = [await publishingHere(first), await publishingHere(second)];
    for (const sink of ['mqtt', 'nats']) {
      expect([a[sink].publishing_here, b[sink].publishing_here].filter(Boolean)).toHaveLength(1);
      // Both replicas report the same lag: it is read from the database.
      expect(a[sink].lag).toBe(0);
      expect(b[sink].lag).toBe(0);
    }

    // A lease goes with its database session: whoever held it must stop, not publish beside the one that takes it.
    const onMqtt = await collectMqtt(MACHINE_MQTT, `${bus.prefix}/host/#`);
    for (const sink of ['mqtt', 'nats']) expect(await terminateLockHolders(database.url, `publish:${sink}`)).toBe(1);
    cloud.add(30);
    await sync(first);
    await eventually(() => onMqtt.messages.length >= 30, 'the changes after the lost lease published');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // time for a second publisher's copies, if there were one
    await onMqtt.close();
    const afterLoss = onMqtt.messages.map((m) => JSON.parse(m.payload) as ReceivedEvent);
    expect(afterLoss.map((e) => e.id)).toEqual(consecutive(BigInt(afterLoss[0].id), 30));
    await eventually(async () => {
      const [x, y] = [await publishingHere(first), await publishingHere(second)];
      return ['mqtt', 'nats'].every((sink) => [x[sink].publishing_here, y[sink].publishing_here].filter(Boolean).length === 1);
    }, 'one publisher per sink again');

    // The publisher goes away; the other replica publishes what comes next.
    const nowPublishing = await publishingHere(first);
    const [publisher, survivor] = nowPublishing.nats.publishing_here ? [first, second] : [second, first];
    await publisher.close();
    closed.add(publisher);
    cloud.add(20);
    await sync(survivor);
    await eventually(async () => (await readStream(MACHINE_NATS, bus.stream)).length >= 100, 'the survivor published');
    const stored = (await readStream(MACHINE_NATS, bus.stream)).map((m) => JSON.parse(m.payload) as ReceivedEvent);
    expect(stored.map((e) => e.id)).toEqual(consecutive(BigInt(stored[0].id), 100));
    expect((await publishingHere(survivor)).nats.publishing_here).toBe(true);
  });
});
