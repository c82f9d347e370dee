import 'reflect-metadata';
import { DataSource, DataSourceOptions, EntityManager } from 'typeorm';
import { syncOrigin } from '../src/changes/change-log';
import { dataSourceOptions } from '../src/database/data-source-options';
import { InventoryWriter, ListedItem } from '../src/inventory/inventory-writer';
import { PlannerStatistics } from '../src/inventory/planner-statistics';
import { RESOURCE_KINDS } from '../src/inventory/resource-columns';
import { mapServer } from '../src/providers/huawei/huawei-mapper';
import { SyncJobEntity } from '../src/sync/sync-job.entity';
import { SyncJobsService } from '../src/sync/sync-jobs.service';
import { generateHosts } from '../test/simulators/common/generator';
import { renderServer } from '../test/simulators/huawei/huawei-render';
import { freshDatabase } from './support/bench-database';
import { cpuSeconds, option } from './support/bench-process';

/**
 * `npm run bench -- write [--hosts 100000] [--sql "DROP INDEX hosts_name_trgm_idx"]`
 *
 * The sync's write path alone, without a vendor or an HTTP server: Huawei
 * servers as the simulator renders them, mapped by the real mapper, written by
 * InventoryWriter in batches of 1000, two transactions at once, with their job
 * items and planner statistics, as a first sync does on PostgreSQL. Prints
 * rows/s, the CPU time of this process and of its PostgreSQL backends (read
 * from /proc: the server must run on this machine), and the wall time spent
 * per kind of statement. `--sql` runs statements after the migrations (drop an
 * index, a column...) to show what that piece of the schema costs the writes.
 */
/** Times every statement of a transaction by its first words. */
function timed(manager: EntityManager, spent: Map<string, number>): EntityManager {
  const query = manager.query.bind(manager);
  manager.query = async (sql: string, parameters?: unknown[]) => {
    const started = process.hrtime.bigint();
    try {
      return await query(sql, parameters);
    } finally {
      const kind = sql.trim().replace(/\s+/g, ' ').split(' ').slice(0, 3).join(' ');
      spent.set(kind, (spent.get(kind) ?? 0) + Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
  return manager;
}

async function main(): Promise<void> {
  const hosts = Number(option('hosts', '100000'));
  const database = await freshDatabase('cmdb_bench_write');
  const options = dataSourceOptions({ kind: 'postgres', url: database.url, poolSize: 3, close: async () => {} }, { runMigrations: true, entities: [SyncJobEntity] });
  // Idle connections stay open: a backend that closed would take its CPU time with it.
  const dataSource = new DataSource({ ...options, extra: { ...(options.extra as object), idleTimeoutMillis: 0 } } as DataSourceOptions);
  await dataSource.initialize();
  try {
    for (const statement of option('sql', '').split(';')) if (statement.trim()) await dataSource.query(statement);
    const [{ id: secretId }]: { id: string }[] = await dataSource.query(
      `INSERT INTO secrets (name, vendor, credential_type, api_key, api_secret_ciphertext, api_secret_iv, api_secret_tag, api_secret_key_id, allow_regions)
       VALUES ('bench', 'huawei', 'api_key', 'bench', '\\x00', '\\x00', '\\x00', 'bench', '{*}') RETURNING id`,
    );
    const jobs = new SyncJobsService(dataSource.getRepository(SyncJobEntity));
    const job = await jobs.createRunning({ secretId, vendor: 'huawei', resourceType: 'host', region: 'cn-north-4' }, 'api');
    // The vendor's JSON, as the SDK hands it over: rendered and parsed before the clock starts.
    const servers = generateHosts('huawei', hosts, { seed: 1, regions: ['cn-north-4'] }).map(
      (host) => JSON.parse(JSON.stringify(renderServer(host, 'bench-project'))) as Record<string, unknown>,
    );
    // Every connection of the pool open before its backends are listed (the pool opens them lazily).
    await Promise.all([1, 2, 3].map(() => dataSource.query(`SELECT pg_sleep(0.05)`)));
    const backends: { pid: number }[] = await dataSource.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
    const pgCpu = () => backends.reduce((total, { pid }) => total + cpuSeconds(pid), 0);

    const kind = RESOURCE_KINDS.host;
    const writer = new InventoryWriter();
    const statistics = new PlannerStatistics(dataSource, kind);
    const spent = new Map<string, number>();
    let next = 0;
    let batchNo = 0;
    const started = process.hrtime.bigint();
    const [nodeBefore, pgBefore] = [process.cpuUsage(), pgCpu()];
    const writeBatches = async () => {
      while (next < hosts) {
        const [from, number] = [next, batchNo++];
        next += 1000;
        const queryAt = new Date();
        const items: ListedItem[] = servers.slice(from, from + 1000).map((raw) => ({ record: mapServer(raw, 'cn-north-4'), queryAt }));
        // As the sync does: the job's counters, then the change log append as the transaction's last statement.
        const results = await dataSource.transaction((manager) =>
          writer.writeBatch(timed(manager, spent), kind, secretId, items, syncOrigin(job.id), (written) => jobs.recordBatch(manager, job.id, number, written, 1)),
        );
        await statistics.inserted(results.filter((result) => result.action === 'created').length);
      }
    };
    await Promise.all([writeBatches(), writeBatches()]);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const nodeCpu = process.cpuUsage(nodeBefore);
    const pgSeconds = pgCpu() - pgBefore;

    console.log(`\nWrite path: ${hosts} new Huawei hosts into PostgreSQL, batches of 1000, two at once${option('sql', '') ? ` (after: ${option('sql', '')})` : ''}\n`);
    console.log(`wall ${seconds.toFixed(2)} s, ${Math.round(hosts / seconds)} rows/s`);
    console.log(`CPU: node ${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(2)} s, PostgreSQL backends ${pgSeconds.toFixed(2)} s (${((pgSeconds / hosts) * 1e6).toFixed(0)} µs a row)`);
    console.log('wall time by statement (both transactions added up):');
    for (const [statement, total] of [...spent].sort((a, b) => b[1] - a[1])) console.log(`  ${total.toFixed(2).padStart(7)} s  ${statement}`);
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
