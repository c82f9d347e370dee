import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { adminQuery } from '../../test/support/test-database';
import { databaseUrl } from '../../test/support/template-database';

export const VENDORS = ['aliyun', 'tencent', 'huawei', 'vsphere'];
/** Five regions per vendor (vSphere: datacenters), so one region holds 5% of the hosts. */
export const REGIONS = [
  ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'cn-shenzhen', 'ap-southeast-1'],
  ['ap-guangzhou', 'ap-shanghai', 'ap-beijing', 'ap-chengdu', 'ap-singapore'],
  ['cn-north-4', 'cn-east-3', 'cn-south-1', 'ap-southeast-2', 'af-south-1'],
  ['dc-1', 'dc-2', 'dc-3', 'dc-4', 'dc-5'],
];
const ROLES = ['web', 'api', 'db', 'cache', 'worker', 'batch', 'gateway', 'search'];
const ENVS = ['prod', 'staging', 'dev'];
const INSTANCE_TYPES = Array.from({ length: 20 }, (_, i) => `type.g${i % 5}.${['large', 'xlarge', '2xlarge', '4xlarge'][i % 4]}${i}`);

const sqlArray = (values: string[]) => `ARRAY[${values.map((value) => `'${value}'`).join(',')}]`;

/**
 * `count` hosts in one INSERT ... SELECT over generate_series: realistic
 * spreads (4 vendors, 20 regions, 60 zones, 85% running, 20 instance types,
 * tags on 95%, 3% deleted, 2-3% without cpu or create time, a public IP on
 * 30%, a ~700-byte raw payload), unique ids and private IPs derived from the
 * row number. Deterministic: the same count gives the same rows.
 */
function insertHostsSql(count: number): string {
  const regions = `(ARRAY[${REGIONS.map(sqlArray).join(',')}])`;
  return `
    INSERT INTO hosts (vendor, secret_id, region, zone, instance_id, name, status, raw_status, charge_type, vendor_created_at, expire_at,
      private_ips, public_ips, vpc_id, subnet_id, tags, tag_terms, hostname, instance_type, cpu, memory_mib, os_name, os_type, image_id,
      security_groups, raw, checksum, query_at, state, deleted_at, first_seen_at, last_changed_at)
    SELECT vendor, secret_id, region, region || '-' || chr(97 + (b % 3)::int), instance_id, name, status, initcap(status),
      CASE WHEN c % 4 = 0 THEN 'prepaid' ELSE 'postpaid' END, created, CASE WHEN c % 4 = 0 THEN created + interval '365 days' END,
      private_ips, public_ips, 'vpc-' || a % 200, 'vsw-' || a % 1000, tags, inventory_tag_terms(tags), name, instance_type, cpu, memory,
      CASE WHEN d % 10 = 0 THEN 'Windows Server 2022' ELSE 'Ubuntu 22.04 64bit' END, CASE WHEN d % 10 = 0 THEN 'windows' ELSE 'linux' END,
      'img-' || a % 50, ARRAY['sg-' || b % 300],
      jsonb_build_object('InstanceId', instance_id, 'InstanceName', name, 'RegionId', region, 'Status', initcap(status),
        'Cpu', cpu, 'Memory', memory, 'InstanceType', instance_type, 'VpcAttributes', jsonb_build_object('PrivateIpAddress', private_ips,
        'VpcId', 'vpc-' || a % 200, 'VSwitchId', 'vsw-' || a % 1000), 'PublicIpAddress', public_ips, 'Tags', tags,
        'Description', 'bench host ' || g || ' ' || repeat('lorem ipsum ', 25), 'CreationTime', created),
      md5(g::text) || md5((g + 1)::text), now() - interval '1 hour',
      CASE WHEN d % 33 = 1 THEN 'deleted' ELSE 'active' END, CASE WHEN d % 33 = 1 THEN now() - interval '1 hour' END,
      now() - (a % 31536000) * interval '1 second',
      now() - (b % 2592000) * interval '1 second' - (c % 1000000) * interval '1 microsecond'
    FROM generate_series(1, ${count}) AS g
    CROSS JOIN LATERAL (SELECT abs(hashint4(g)::bigint) AS a, abs(hashint4(g # 1431655765)::bigint) AS b,
                               abs(hashint4(-g)::bigint) AS c, abs(hashint4(g * 7 + 3)::bigint) AS d, g % 4 AS v) AS r
    CROSS JOIN LATERAL (SELECT
        (${sqlArray(VENDORS)})[v + 1] AS vendor,
        ('00000000-0000-4000-8000-' || lpad((v + 1)::text, 12, '0'))::uuid AS secret_id,
        ${regions}[v + 1][a % 5 + 1] AS region,
        CASE v WHEN 0 THEN 'i-' || substr(md5(g::text), 1, 12) || to_hex(g) WHEN 1 THEN 'ins-' || lpad(to_hex(g), 8, '0')
               WHEN 2 THEN md5(g::text)::uuid::text ELSE 'vm-' || g END AS instance_id,
        (${sqlArray(ROLES)})[(a / 5) % 8 + 1] || '-' || (${sqlArray(ENVS)})[(b / 3) % 3 + 1] || '-' || lpad(g::text, 7, '0') AS name,
        CASE WHEN c % 100 < 85 THEN 'running' WHEN c % 100 < 95 THEN 'stopped' WHEN c % 100 < 97 THEN 'pending'
             WHEN c % 100 < 99 THEN 'starting' ELSE 'error' END AS status,
        CASE WHEN d % 33 = 0 THEN NULL
             ELSE timestamptz '2023-01-01 00:00:00+00' + (a % 94608000) * interval '1 second' + (b % 1000000) * interval '1 microsecond' END AS created,
        ARRAY['10.' || (g >> 16) % 256 || '.' || (g >> 8) % 256 || '.' || g % 256]
          || CASE WHEN d % 10 = 0 THEN ARRAY['172.16.' || (g >> 8) % 256 || '.' || g % 256] ELSE '{}' END AS private_ips,
        CASE WHEN d % 10 < 3 THEN ARRAY['47.' || a % 256 || '.' || b % 256 || '.' || c % 256] ELSE '{}' END AS public_ips,
        CASE WHEN d % 20 = 0 THEN '{}'::jsonb
             ELSE jsonb_build_object('env', (${sqlArray(ENVS)})[(b / 3) % 3 + 1], 'team', 'team-' || (c / 100) % 50,
                                     'app', (${sqlArray(ROLES)})[(a / 5) % 8 + 1]) END AS tags,
        (${sqlArray(INSTANCE_TYPES)})[(b / 7) % 20 + 1] AS instance_type,
        CASE WHEN c % 50 = 0 THEN NULL ELSE (ARRAY[1, 2, 4, 8, 16, 32, 64])[(a / 40) % 7 + 1] END AS cpu,
        CASE WHEN c % 50 = 0 THEN NULL ELSE (ARRAY[1, 2, 4, 8, 16, 32, 64])[(a / 40) % 7 + 1] * (ARRAY[1024, 2048, 4096, 8192])[(b / 11) % 4 + 1] END AS memory
    ) AS host`;
}


/**
 * The marker of a complete load: a reused database must have been loaded by
 * this code, with this count, by these very migrations (a changed index reloads).
 */
function marker(count: number): string {
  const migrations = createHash('sha256');
  for (const migration of MIGRATIONS) migrations.update(migration.name).update(migration.prototype.up.toString());
  return `bench-api v1: ${count} hosts, migrations ${migrations.digest('hex').slice(0, 16)}`;
}

/**
 * A migrated database holding `count` hosts, loaded in SQL and analysed.
 * Reused when a previous run completed the same load (`reload` forces a new one).
 * The hosts' secondary indexes are dropped for the load and built again
 * from their exact definitions after it: much faster than maintaining them row by row.
 */
export async function prepareBenchDatabase(
  serverUrl: string,
  name: string,
  count: number,
  options: { reload: boolean; log: (line: string) => void },
): Promise<string> {
  const url = databaseUrl(serverUrl, name);
  if (!options.reload && (await completedLoad(url)) === marker(count)) {
    options.log(`reusing ${name} (${count} hosts already loaded; --reload to load again)`);
    return url;
  }
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const dataSource = new DataSource(dataSourceOptions({ kind: 'postgres', url, poolSize: 1, close: async () => {} }, { runMigrations: false }));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`SET maintenance_work_mem = '512MB'`);
      await client.query(`
        INSERT INTO secrets (id, name, vendor, credential_type, api_key, api_secret_ciphertext, api_secret_iv, api_secret_tag, api_secret_key_id, allow_regions)
        SELECT ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, 'bench-' || vendor, vendor,
               CASE vendor WHEN 'vsphere' THEN 'password' ELSE 'api_key' END, 'bench', '\\x00', '\\x00', '\\x00', 'bench', '{*}'
          FROM unnest(${sqlArray(VENDORS)}) WITH ORDINALITY AS v(vendor, n)`);
      const { rows: indexes } = await client.query<{ name: string; definition: string }>(
        `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
          WHERE i.tablename = 'hosts' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      );
      for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
      let started = Date.now();
      await client.query(insertHostsSql(count));
      options.log(`inserted ${count} hosts in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      started = Date.now();
      for (const index of indexes) await client.query(index.definition);
      options.log(`built ${indexes.length} secondary indexes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      // VACUUM sets the visibility map: index-only scans (stats) need it.
      await client.query(`VACUUM ANALYZE`);
      await client.query(`COMMENT ON DATABASE ${name} IS '${marker(count)}'`);
    } finally {
      await client.end();
    }
  } finally {
    await dataSource.destroy();
  }
  return url;
}

async function completedLoad(url: string): Promise<string | null> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = current_database()`);
    return rows[0]?.comment ?? null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}
