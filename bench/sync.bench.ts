import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { validateEnvironment } from '../src/config/environment';
import { createApp } from '../src/create-app';
import { ProviderRegistry } from '../src/providers/provider-registry';
import { SecretsService } from '../src/secrets/secrets.service';
import { FullSyncService } from '../src/sync/full-sync.service';
import { SyncJobsService } from '../src/sync/sync-jobs.service';
import { freshDatabase } from './support/bench-database';
import { startChildSimulator } from './support/child-simulator';
import { syncOneStatementPerHost } from './support/per-host-baseline';

/**
 * `npm run bench:sync [-- --hosts 100000 --vendor huawei|aliyun|tencent]`: full syncs of one
 * scope into PostgreSQL against a simulator in a child process: first (all new),
 * second (nothing changed), third (10% changed, 1% gone); then the same hosts
 * saved one statement per host as the baseline. Prints hosts/s, the ratio to
 * the baseline, rows written on the unchanged sync, and peak RSS.
 */
function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

async function main(): Promise<void> {
  const hosts = Number(option('hosts', '100000'));
  const vendor = option('vendor', 'huawei');
  const region = { aliyun: 'cn-hangzhou', tencent: 'ap-guangzhou', huawei: 'cn-north-4' }[vendor]!;
  const simulator = await startChildSimulator(['--vendors', vendor, '--hosts', String(hosts), '--databases', '0', '--regions', region]);
  const database = await freshDatabase('cmdb_bench_sync');
  const app = await createApp({
    environment: validateEnvironment({ DATABASE_URL: database.url, CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'silent' }),
    database: { kind: 'postgres', url: database.url, poolSize: 10, close: async () => {} },
  });
  await app.init();
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  try {
    const dataSource = app.get(DataSource);
    const secrets = app.get(SecretsService);
    const secret = await secrets.create({
      name: 'bench',
      vendor: vendor as 'aliyun',
      api_key: simulator.endpoint.apiKey,
      api_secret: simulator.endpoint.apiSecret,
      allow_regions: [region],
      address: simulator.endpoint.address,
      request_rate: 100,
    });
    const fullSync = app.get(FullSyncService);
    const jobs = app.get(SyncJobsService);

    const rowsWritten = async (since: string) => {
      const [{ touched }] = await dataSource.query(`SELECT count(*)::int AS touched FROM hosts WHERE xmin::text::bigint >= $1::bigint`, [since]);
      const [{ changes }] = await dataSource.query(`SELECT count(*)::int AS changes FROM resource_changes WHERE revision > $1`, [await maxRevisionBefore]);
      return touched + changes;
    };
    let maxRevisionBefore: Promise<number> = Promise.resolve(0);
    const runSync = async (label: string) => {
      const [{ txid }] = await dataSource.query(`SELECT (txid_current() % 4294967296)::text AS txid`);
      maxRevisionBefore = dataSource.query(`SELECT coalesce(max(revision), 0)::bigint AS r FROM resource_changes`).then((rows) => Number(rows[0].r));
      await maxRevisionBefore;
      const started = process.hrtime.bigint();
      const { job, done } = await fullSync.start(secret, 'host', region, 'api');
      const finished = await done;
      const details = await jobs.allItems(job.id, null); // what POST /sync answers with details=all
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (finished.status !== 'succeeded') throw new Error(`${label}: ${finished.status} ${JSON.stringify(finished.error)}`);
      return {
        label,
        seconds,
        hostsPerSecond: hosts / seconds,
        counts: `created ${finished.created}, updated ${finished.updated}, unchanged ${finished.unchanged}, deleted ${finished.deleted}, details ${details.length}`,
        rows: await rowsWritten(txid),
      };
    };

    const results = [await runSync('first sync (all new)'), await runSync('second sync (nothing changed)')];
    const mutated = await simulator.mutate(0.1, 0.01);
    results.push(await runSync(`third sync (${mutated.changed} changed, ${mutated.removed} gone)`));
    const syncPeakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);

    const provider = app.get(ProviderRegistry).get(secret.vendor);
    const started = process.hrtime.bigint();
    const baseline = await syncOneStatementPerHost(dataSource, provider, secrets.credentialsOf(secret), region);
    const baselineSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const baselineRate = baseline.hosts / baselineSeconds;

    console.log(`\nFull sync of ${hosts} ${vendor} hosts into PostgreSQL (simulator in a child process)\n`);
    console.log('run'.padEnd(44) + 'seconds'.padStart(9) + 'hosts/s'.padStart(10) + 'x baseline'.padStart(12) + 'rows written'.padStart(14));
    for (const result of results) {
      console.log(
        result.label.padEnd(44) +
          result.seconds.toFixed(2).padStart(9) +
          Math.round(result.hostsPerSecond).toString().padStart(10) +
          (result.hostsPerSecond / baselineRate).toFixed(1).padStart(12) +
          String(result.rows).padStart(14),
      );
      console.log(`  ${result.counts}`);
    }
    console.log(
      'baseline: one statement per host'.padEnd(44) +
        baselineSeconds.toFixed(2).padStart(9) +
        Math.round(baselineRate).toString().padStart(10) +
        '1.0'.padStart(12) +
        String(baseline.statements).padStart(14),
    );
    console.log(`\npeak RSS during the three syncs: ${(syncPeakRss / 1024 / 1024).toFixed(0)} MB (target < 400 MB)`);
    console.log(`rows written by the unchanged sync: ${results[1].rows} (target 0)`);
    console.log(`first sync vs baseline: ${(results[0].hostsPerSecond / baselineRate).toFixed(1)}x (target >= 20x)`);
  } finally {
    clearInterval(sampler);
    await app.close();
    await database.drop();
    simulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
