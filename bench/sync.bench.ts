import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ProviderRuntime } from '../src/providers/common/provider-runtime';
import { createProviderRegistry } from '../src/providers/provider-registry';
import type { Vendor } from '../src/providers/provider';
import { startServerProcess } from '../test/support/server-process';
import { freshDatabase } from './support/bench-database';
import { startChildSimulator } from './support/child-simulator';
import { serverApi, serverApiText } from './support/server-api';
import { syncOneStatementPerHost } from './support/per-host-baseline';
import { option, peakRssMib, productionNodeFlags } from './support/bench-process';

/**
 * `npm run bench:sync [-- --hosts 100000 --vendor huawei|aliyun|tencent --details all|changed|none --no-baseline]`
 * (build first: it runs the built server, `npm run build`). Full syncs of one
 * scope into PostgreSQL through the server's HTTP API, against a simulator in a
 * child process: first (all new), second (nothing changed), third (10%
 * changed, 1% gone). Then the same hosts saved one statement per host as the
 * baseline (`--no-baseline` skips it: at a million hosts it takes hours).
 * Prints hosts/s, the ratio to the baseline, rows written on the unchanged
 * sync, each answer's size (the default answer: at most 1,000 details), and the server's peak RSS (the server runs with the node
 * flags of `npm run start:prod`, or `--server-node-options "..."`). `--without-browse-indexes` drops
 * the inventory's browse indexes first, to show what they cost the writes.
 */
async function main(): Promise<void> {
  const hosts = Number(option('hosts', '100000'));
  const vendor = option('vendor', 'huawei') as Vendor;
  const details = option('details', 'all'); // all: the full answer a UI asks for
  const region = ({ aliyun: 'cn-hangzhou', tencent: 'ap-guangzhou', huawei: 'cn-north-4' } as Record<string, string>)[vendor];
  const simulator = await startChildSimulator(['--vendors', vendor, '--hosts', String(hosts), '--databases', '0', '--regions', region]);
  const database = await freshDatabase('cmdb_bench_sync');
  // The server runs with the node flags of `npm run start:prod`, unless told otherwise.
  const serverNodeOptions = option('server-node-options', productionNodeFlags());
  const server = await startServerProcess({
    DATABASE_URL: database.url,
    CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CMDB_SYNC_SCHEDULE: 'off',
    ...(serverNodeOptions ? { NODE_OPTIONS: serverNodeOptions } : {}),
  });
  const dataSource = new DataSource({ type: 'postgres', url: database.url, extra: { max: 2 } });
  await dataSource.initialize();
  if (process.argv.includes('--without-browse-indexes')) {
    // Diagnosis only: what the inventory's browse indexes cost the write path.
    const indexes: { indexname: string }[] = await dataSource.query(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'hosts' AND indexname NOT IN ('hosts_pkey', 'hosts_vendor_instance_unique', 'hosts_scope_idx')`,
    );
    for (const { indexname } of indexes) await dataSource.query(`DROP INDEX ${indexname}`);
    console.log(`dropped ${indexes.length} browse indexes of hosts`);
  }
  const apiText = serverApiText(server);
  const api = serverApi(server);
  const withBaseline = !process.argv.includes('--no-baseline');
  try {
    const secret = await api('POST', '/secrets', {
      name: 'bench',
      vendor,
      api_key: simulator.endpoint.apiKey,
      api_secret: simulator.endpoint.apiSecret,
      allow_regions: [region],
      address: simulator.endpoint.address,
      request_rate: 100,
    });

    const rowsWrittenSince = async (txid: string, revision: number) => {
      const [{ touched }] = await dataSource.query(`SELECT count(*)::int AS touched FROM hosts WHERE xmin::text::bigint >= $1::bigint`, [txid]);
      const [{ changes }] = await dataSource.query(`SELECT count(*)::int AS changes FROM resource_changes WHERE revision > $1`, [revision]);
      return touched + changes;
    };
    const runSync = async (label: string) => {
      const [{ txid }] = await dataSource.query(`SELECT (txid_current() % 4294967296)::text AS txid`);
      const [{ revision }] = await dataSource.query(`SELECT coalesce(max(revision), 0)::int AS revision FROM resource_changes`);
      const started = process.hrtime.bigint();
      const text = await apiText('POST', `/secrets/${secret.id}/sync?details=${details}`, { region, resource_type: 'host' });
      const body = JSON.parse(text);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (body.status !== 'succeeded') throw new Error(`${label}: ${body.status} ${JSON.stringify(body.error)}`);
      return {
        label,
        seconds,
        hostsPerSecond: hosts / seconds,
        counts:
          `created ${body.created}, updated ${body.updated}, unchanged ${body.unchanged}, deleted ${body.deleted}, ` +
          `details ${body.details.length} of ${body.details_total} (${details}), answer ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`,
        rows: await rowsWrittenSince(txid, revision),
      };
    };

    const results = [await runSync('first sync (all new)'), await runSync('second sync (nothing changed)')];
    const mutated = await simulator.mutate(0.1, 0.01);
    results.push(await runSync(`third sync (${mutated.changed} changed, ${mutated.removed} gone)`));
    const serverPeak = peakRssMib(server.child.pid!);

    let baselineRate = NaN;
    let baselineLine: string | null = null;
    if (withBaseline) {
      const provider = createProviderRegistry(new ProviderRuntime()).get(vendor);
      const credentials = {
        secretId: secret.id,
        vendor,
        apiKey: simulator.endpoint.apiKey,
        apiSecret: simulator.endpoint.apiSecret,
        address: simulator.endpoint.address,
        requestRate: 100,
      };
      const started = process.hrtime.bigint();
      const baseline = await syncOneStatementPerHost(dataSource, provider, credentials, region);
      const baselineSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      baselineRate = baseline.hosts / baselineSeconds;
      provider.dispose?.();
      baselineLine =
        'baseline: one statement per host'.padEnd(44) +
        baselineSeconds.toFixed(2).padStart(9) +
        Math.round(baselineRate).toString().padStart(10) +
        '1.0'.padStart(12) +
        `${baseline.statements} stmts`.padStart(14);
    }

    console.log(`\nFull sync of ${hosts} ${vendor} hosts into PostgreSQL (server and simulator in processes of their own)\n`);
    console.log('run'.padEnd(44) + 'seconds'.padStart(9) + 'hosts/s'.padStart(10) + 'x baseline'.padStart(12) + 'rows written'.padStart(14));
    for (const result of results) {
      console.log(
        result.label.padEnd(44) +
          result.seconds.toFixed(2).padStart(9) +
          Math.round(result.hostsPerSecond).toString().padStart(10) +
          (withBaseline ? (result.hostsPerSecond / baselineRate).toFixed(1) : '-').padStart(12) +
          String(result.rows).padStart(14),
      );
      console.log(`  ${result.counts}`);
    }
    if (baselineLine) console.log(baselineLine);
    console.log(`\nserver peak RSS (VmHWM, start-up included): ${serverPeak.toFixed(0)} MiB (target < 400)`);
    console.log(`rows written by the unchanged sync: ${results[1].rows} (target 0)`);
    if (withBaseline) console.log(`first sync vs baseline: ${(results[0].hostsPerSecond / baselineRate).toFixed(1)}x (target >= 20x)`);
  } finally {
    await dataSource.destroy();
    await server.stop();
    await database.drop();
    simulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
