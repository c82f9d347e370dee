import { randomBytes } from 'node:crypto';
import { databaseUrl, TEST_DATABASE_PREFIX } from '../support/template-database';
import { adminQuery } from '../support/test-database';
import { startServerProcess, ServerProcess } from '../support/server-process';
import { collectMqtt, eventually, MqttCollector, readStream, storedCount } from './bus-clients';
import { ownMosquitto, ownNats, OwnBroker } from './own-brokers';
import { AliyunHosts, consecutive, firstArrivals, publishEnvironment, ReceivedEvent, uniqueBus } from './publish-fixture';

const HOSTS = 600;

/** The killed server's database: one of its own on the real server. */
async function crashDatabase(serverUrl: string): Promise<{ environment: Record<string, string>; drop(): Promise<void> }> {
  const name = `${TEST_DATABASE_PREFIX}_pubcrash_${process.pid}`;
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  return {
    environment: { CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64'), DATABASE_URL: databaseUrl(serverUrl, name) },
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

// On PostgreSQL only: the publisher's code is the same on both databases, and
// two cold starts of a fresh embedded data dir each need more than the
// harness's 60 s on this shared machine under load.
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

onPostgres('a server killed in the middle of publishing', () => {
  const bus = uniqueBus();
  let mosquitto: OwnBroker;
  let nats: OwnBroker;
  let cloud: AliyunHosts;
  let database: Awaited<ReturnType<typeof crashDatabase>>;
  let server: ServerProcess | null = null;
  let watcher: MqttCollector;

  beforeAll(async () => {
    [mosquitto, nats, cloud, database] = await Promise.all([ownMosquitto(), ownNats(), AliyunHosts.start(), crashDatabase(process.env.TEST_DATABASE_URL!)]);
    watcher = await collectMqtt(mosquitto.url, `${bus.prefix}/host/#`, { clientId: `watcher-${bus.prefix}`, clean: false, properties: { sessionExpiryInterval: 600 } });
  });
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await watcher?.close();
    await Promise.all([mosquitto?.destroy(), nats?.destroy()]);
    await cloud?.stop();
    await database?.drop();
  });

  // Two server start-ups on a fresh database: slow on a busy machine.
  jest.setTimeout(240_000);

  it('publishes the rest after a restart: every change, in order, none twice on JetStream', async () => {
    // One change a round, so the kill lands between a broker's ack and the cursor write sooner or later.
    const environment = { ...database.environment, ...publishEnvironment(bus, { mqtt: mosquitto.url, nats: nats.url }), CMDB_PUBLISH_BATCH_SIZE: '1' };
    // The brokers are down while the sync writes, so the whole sync is a backlog to publish.
    await Promise.all([mosquitto.stop(), nats.stop()]);
    server = await startServerProcess(environment);
    const headers = { 'content-type': 'application/json', ...server.headers };
    const secret = (await (await fetch(`${server.url}/secrets`, { method: 'POST', headers, body: JSON.stringify(cloud.secretBody()) })).json()) as { id: string };
    cloud.add(HOSTS);
    const synced = await fetch(`${server.url}/secrets/${secret.id}/sync`, { method: 'POST', headers, body: JSON.stringify({ resource_type: 'host', region: 'cn-hangzhou' }) });
    expect(await synced.json()).toMatchObject({ created: HOSTS });

    await Promise.all([mosquitto.start(), nats.start()]);
    await eventually(async () => (await storedCount(nats.url, bus.stream)) >= 20, 'publishing under way', 3_000);
    server.child.kill('SIGKILL');
    await new Promise((resolve) => server!.child.once('exit', resolve));
    const atKill = await storedCount(nats.url, bus.stream);
    expect(atKill).toBeLessThan(HOSTS);

    server = await startServerProcess(environment);
    await eventually(async () => (await storedCount(nats.url, bus.stream)) >= HOSTS, 'the rest published after the restart');
    const stored = (await readStream(nats.url, bus.stream)).map((m) => JSON.parse(m.payload) as ReceivedEvent);
    expect(stored.map((e) => e.id)).toEqual(consecutive(BigInt(stored[0].id), HOSTS));

    const events = () => watcher.messages.map((m) => JSON.parse(m.payload) as ReceivedEvent);
    await eventually(() => firstArrivals(events()).length >= HOSTS, 'every change on MQTT').catch((error: Error) => {
      const got = new Set(firstArrivals(events()));
      const missing = stored.map((e) => e.id).filter((id) => !got.has(id));
      throw new Error(`${error.message}: ${got.size} of ${HOSTS} arrived (${watcher.messages.length} messages); missing ${missing.length}, from ${missing[0]} to ${missing.at(-1)}`);
    });
    expect(firstArrivals(events())).toEqual(stored.map((e) => e.id));
    await server.stop();
    server = null;
  });
});
