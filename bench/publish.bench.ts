import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { startServerProcess, ServerProcess } from '../test/support/server-process';
import { deleteStream } from '../test/publishing/bus-clients';
import { freshDatabase } from './support/bench-database';
import { startChildSimulator } from './support/child-simulator';
import { option } from './support/bench-process';

/**
 * `npm run bench -- publish [--hosts 20000] [--mqtt mqtt://127.0.0.1:1883] [--nats nats://127.0.0.1:4222]`
 * Changes/s the sync writes beside changes/s each broker acknowledges, in one
 * run, on the real PostgreSQL and the machine's brokers. 1: a first sync of
 * every host with publishing on (both rates while they compete). 2: a sync
 * with publishing off, then a server that publishes, so each broker drains a
 * backlog alone (the publisher's own ceiling). The retained state topics
 * (`<prefix>/state/...`) stay on the broker: clear them with
 * `mosquitto_sub -t '<prefix>/state/#' --remove-retained` if they matter.
 */
async function main(): Promise<void> {
  const hosts = Number(option('hosts', '20000'));
  const urls = { mqtt: option('mqtt', 'mqtt://127.0.0.1:1883'), nats: option('nats', 'nats://127.0.0.1:4222') };
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const stream = prefix.toUpperCase();
  const region = 'cn-north-4';
  const simulator = await startChildSimulator(['--vendors', 'huawei', '--hosts', String(hosts), '--databases', '0', '--regions', region]);
  const database = await freshDatabase('cmdb_bench_publish');
  const base = { DATABASE_URL: database.url, CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64'), CMDB_SYNC_SCHEDULE: 'off', CMDB_ADMIN_TOKEN: `cmdb_${randomBytes(32).toString('base64url')}` };
  const publishing = { CMDB_PUBLISH_MQTT_URL: urls.mqtt, CMDB_PUBLISH_NATS_URL: urls.nats, CMDB_PUBLISH_TOPIC_PREFIX: prefix, CMDB_PUBLISH_NATS_STREAM: stream };
  let server: ServerProcess | null = null;
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server!.url}${path}`, { method, headers: { 'content-type': 'application/json', ...server!.headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  /** Seconds from `since` until each sink's lag is 0 (polled every 50 ms through /readyz). */
  const drained = async (since: bigint) => {
    const done: Record<string, number> = {};
    while (Object.keys(done).length < 2) {
      const ready = await api('GET', '/readyz');
      for (const [sink, status] of Object.entries(ready.publishing as Record<string, { lag: number }>)) {
        if (status.lag === 0 && done[sink] === undefined) done[sink] = Number(process.hrtime.bigint() - since) / 1e9;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return done;
  };
  try {
    server = await startServerProcess({ ...base, ...publishing });
    const secret = await api('POST', '/secrets', { name: 'bench', vendor: 'huawei', api_key: simulator.endpoint.apiKey, api_secret: simulator.endpoint.apiSecret, allow_regions: [region], address: simulator.endpoint.address, request_rate: 100 });
    const sync = async () => {
      const started = process.hrtime.bigint();
      const body = await api('POST', `/secrets/${secret.id}/sync?details=none`, { region, resource_type: 'host' });
      if (body.status !== 'succeeded') throw new Error(`sync ${body.status}`);
      return { started, seconds: Number(process.hrtime.bigint() - started) / 1e9, changes: body.created + body.updated + body.deleted };
    };

    const live = await sync();
    const liveDrained = await drained(live.started);

    // A backlog: a sync with publishing off, then a server that publishes.
    await server.stop();
    server = await startServerProcess(base);
    const mutated = await simulator.mutate(0.5, 0);
    const offline = await sync();
    await server.stop();
    const restarted = process.hrtime.bigint();
    server = await startServerProcess({ ...base, ...publishing });
    const startup = Number(process.hrtime.bigint() - restarted) / 1e9;
    const backlogStart = process.hrtime.bigint();
    const backlog = await drained(backlogStart);

    const rate = (changes: number, seconds: number) => Math.round(changes / seconds).toString().padStart(10);
    console.log(`\nPublishing ${hosts} huawei hosts' changes to MQTT (${urls.mqtt}) and NATS JetStream (${urls.nats}); PostgreSQL, server in a process of its own\n`);
    console.log('phase'.padEnd(58) + 'changes'.padStart(9) + 'seconds'.padStart(9) + 'changes/s'.padStart(10));
    console.log('1. first sync, publishing on: sync writes'.padEnd(58) + String(live.changes).padStart(9) + live.seconds.toFixed(2).padStart(9) + rate(live.changes, live.seconds));
    for (const sink of ['mqtt', 'nats']) {
      console.log(`   ${sink} acknowledged all (from the sync's start)`.padEnd(58) + String(live.changes).padStart(9) + liveDrained[sink].toFixed(2).padStart(9) + rate(live.changes, liveDrained[sink]));
    }
    console.log(`2. sync with publishing off (${mutated.changed} changed): sync writes`.padEnd(58) + String(offline.changes).padStart(9) + offline.seconds.toFixed(2).padStart(9) + rate(offline.changes, offline.seconds));
    for (const sink of ['mqtt', 'nats']) {
      console.log(`   ${sink} drains that backlog alone`.padEnd(58) + String(offline.changes).padStart(9) + backlog[sink].toFixed(2).padStart(9) + rate(offline.changes, backlog[sink]));
    }
    console.log(`\n(server start-up before the drain, not counted: ${startup.toFixed(1)} s; drain time includes up to 50 ms of polling)`);
  } finally {
    await server?.stop();
    await database.drop();
    simulator.stop();
    await deleteStream(urls.nats, stream).catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
