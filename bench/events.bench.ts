import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { validateEnvironment } from '../src/config/environment';
import { createApp } from '../src/create-app';
import { generateHosts } from '../test/simulators/common/generator';
import { renderServer } from '../test/simulators/huawei/huawei-render';
import { HuaweiSimulator } from '../test/simulators/huawei/huawei.simulator';
import { freshDatabase } from './support/bench-database';
import { option } from './support/bench-process';
import { delaySummary } from './support/delays';

/**
 * `npm run bench -- events [--events 2000] [--concurrency 8]`
 *
 * Delta sync end to end on PostgreSQL: the Huawei simulator's SMN posts signed
 * Config notifications (CREATE of distinct ECS servers) to the running
 * server over HTTP, `--concurrency` at a time; each is verified (certificate,
 * signature, window), stored in the inbox, answered, then applied by the
 * worker through the write path with its change log row. Prints
 * notifications/s from the first post to the last change, and the delay from
 * receipt (inbox row) to the change log row: p50, p99, max.
 */
const REGION = 'cn-north-4';

async function main(): Promise<void> {
  const count = Number(option('events', '2000'));
  const concurrency = Number(option('concurrency', '8'));
  const database = await freshDatabase('cmdb_bench_events');
  const simulator = await HuaweiSimulator.start();
  let app: INestApplication | null = null;
  try {
    const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
    const adminToken = `cmdb_${randomBytes(32).toString('base64url')}`;
    app = await createApp({
      environment: validateEnvironment({
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATABASE_URL: database.url,
        CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        CMDB_ADMIN_TOKEN: adminToken,
        CMDB_SMN_ENDPOINT: simulator.address,
      }),
      database: { kind: 'postgres', url: database.url, poolSize: 10, close: async () => {} },
      logStream: silent,
    });
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    const apiKey = 'bench-key';
    simulator.addAccount(apiKey, 'bench-secret');
    const projectId = simulator.projectId(apiKey, REGION);
    const topic = `urn:smn:${REGION}:${projectId}:cmdb-config`;
    const created = await fetch(`${url}/secrets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        name: 'bench',
        vendor: 'huawei',
        api_key: apiKey,
        api_secret: 'bench-secret',
        allow_regions: [REGION],
        address: simulator.address,
        delta_sync: true,
        smn_topic_urns: [topic],
        smn_signing_certs: simulator.smn.caPem,
      }),
    });
    const secretId = ((await created.json()) as { id: string }).id;
    const endpoint = `${url}/webhooks/huawei-smn/${secretId}`;

    // Signed before the clock starts: the bench measures the server, not the simulator's signing.
    const deliveries = generateHosts('huawei', count, { seed: 1, regions: [REGION] }).map((host) =>
      simulator.smn.delivery(
        endpoint,
        simulator.smn.notification({
          topicUrn: topic,
          resourceType: 'ecs.cloudservers',
          eventType: 'CREATE',
          resourceId: host.id,
          name: host.name,
          region: REGION,
          properties: renderServer(host, projectId),
          captureTime: new Date(),
        }),
      ),
    );
    const dataSource = app.get(DataSource);
    const started = Date.now();
    let next = 0;
    let refused = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < deliveries.length) {
          const delivery = deliveries[next++];
          const answer = await fetch(delivery.url, { method: 'POST', headers: delivery.headers, body: delivery.body });
          await answer.text();
          if (answer.status !== 200) refused++;
        }
      }),
    );
    const posted = Date.now();
    for (;;) {
      const [{ pending }] = await dataSource.query(`SELECT count(*)::int AS pending FROM inbox_events WHERE status = 'pending'`);
      if (pending === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const [{ last }] = await dataSource.query(`SELECT max(changed_at) AS last FROM resource_changes`);
    const seconds = (new Date(last).getTime() - started) / 1000;
    const delays: number[] = (
      await dataSource.query(
        `SELECT extract(epoch FROM c.changed_at - e.received_at) * 1000 AS ms FROM inbox_events e JOIN resource_changes c ON c.event_id = e.id ORDER BY 1`,
      )
    ).map((row: { ms: string }) => Number(row.ms));
    const [{ applied }] = await dataSource.query(`SELECT count(*)::int AS applied FROM inbox_events WHERE status = 'applied'`);

    console.log(`\nDelta sync: ${count} signed SMN notifications (CREATE), ${concurrency} at a time, PostgreSQL\n`);
    console.log(`posted in ${((posted - started) / 1000).toFixed(2)} s (${Math.round(count / ((posted - started) / 1000))} notifications/s answered), ${refused} refused`);
    console.log(`applied ${applied} in ${seconds.toFixed(2)} s from the first post to the last change: ${Math.round(applied / seconds)} notifications/s end to end`);
    console.log(`receipt -> change log: ${delaySummary(delays)}`);
  } finally {
    await app?.close();
    await simulator.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
