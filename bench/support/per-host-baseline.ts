import type { DataSource } from 'typeorm';
import { recordChecksum } from '../../src/inventory/checksum';
import { RESOURCE_KINDS } from '../../src/inventory/resource-columns';
import type { CloudProvider, ProviderCredentials } from '../../src/providers/provider';

/**
 * The baseline: the same listing saved the way the original Go CMDB does it,
 * one host at a time: a SELECT by instance id, then an INSERT or an UPDATE and
 * its change-log row, each its own statement and transaction. The same work
 * product as a sync (rows and their changes), into tables of its own.
 */
export async function syncOneStatementPerHost(
  dataSource: DataSource,
  provider: CloudProvider,
  credentials: ProviderCredentials,
  region: string,
): Promise<{ hosts: number; statements: number }> {
  const kind = RESOURCE_KINDS.host;
  await dataSource.query(`CREATE TABLE IF NOT EXISTS hosts_baseline (LIKE hosts INCLUDING ALL)`);
  await dataSource.query(`CREATE TABLE IF NOT EXISTS resource_changes_baseline (LIKE resource_changes INCLUDING ALL)`);
  // The log's revisions come from a counter at commit (see appendChanges); the naive baseline takes a sequence's.
  await dataSource.query(`CREATE SEQUENCE IF NOT EXISTS resource_changes_baseline_revision_seq`);
  await dataSource.query(`ALTER TABLE resource_changes_baseline ALTER COLUMN revision SET DEFAULT nextval('resource_changes_baseline_revision_seq')`);
  const logChange = async (changeType: string, instanceId: string, checksum: unknown) => {
    await dataSource.query(
      `INSERT INTO resource_changes_baseline (resource_kind, resource_id, vendor, instance_id, change_type, checksum)
       SELECT 'host', id, vendor, instance_id, $3, $4 FROM hosts_baseline WHERE vendor = $1 AND instance_id = $2`,
      [credentials.vendor, instanceId, changeType, checksum],
    );
    statements++;
  };
  const columns = ['vendor', 'secret_id', 'instance_id', ...kind.columns.map((column) => column.name), 'raw', 'checksum', 'query_at'];
  const placeholders = columns.map((_, index) => `$${index + 1}`).join(', ');
  const assignments = columns.slice(3).map((name, index) => `${name} = $${index + 4}`).join(', ');
  let hosts = 0;
  let statements = 0;
  for await (const page of provider.list(credentials, 'host', { region })) {
    for (const record of page.items) {
      const values = [
        record.vendor,
        credentials.secretId,
        record.instanceId,
        ...kind.columns.map((column) => {
          const value = column.value(record) ?? null;
          return column.type === 'jsonb' ? JSON.stringify(value) : value;
        }),
        JSON.stringify(record.raw),
        recordChecksum(kind, record),
        page.queryAt,
      ];
      const existing = await dataSource.query(`SELECT id, checksum FROM hosts_baseline WHERE vendor = $1 AND instance_id = $2`, [record.vendor, record.instanceId]);
      statements++;
      if (existing.length === 0) {
        await dataSource.query(`INSERT INTO hosts_baseline (${columns.join(', ')}) VALUES (${placeholders})`, values);
        statements++;
        await logChange('created', record.instanceId, values[values.length - 2]);
      } else if (existing[0].checksum !== values[values.length - 2]) {
        await dataSource.query(`UPDATE hosts_baseline SET ${assignments} WHERE vendor = $1 AND instance_id = $3 AND secret_id = $2`, values);
        statements++;
        await logChange('updated', record.instanceId, values[values.length - 2]);
      }
      hosts++;
    }
  }
  return { hosts, statements };
}
