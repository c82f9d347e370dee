import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { syncOrigin } from '../../src/changes/change-log';
import { InventoryWriter, ItemResult } from '../../src/inventory/inventory-writer';
import { RESOURCE_KINDS } from '../../src/inventory/resource-columns';
import type { DatabaseRecord, HostRecord, ResourceRecord, ResourceRecordBase, ResourceType, Vendor } from '../../src/providers/provider';
import type { TestApp } from '../support/test-app';

/** What every kind of record shares, as a provider would yield it. */
function commonFields(instanceId: string): Omit<ResourceRecordBase, 'raw'> {
  return {
    vendor: 'aliyun',
    instanceId,
    name: instanceId,
    region: 'cn-hangzhou',
    zone: 'cn-hangzhou-h',
    status: 'running',
    rawStatus: 'Running',
    chargeType: 'postpaid',
    createdAt: '2024-01-01T00:00:00.000Z',
    expireAt: null,
    privateIps: [],
    publicIps: [],
    vpcId: 'vpc-1',
    subnetId: 'vsw-1',
    tags: {},
  };
}

/** A host record as a provider would yield it; `overrides` set what a test cares about. */
export function hostRecord(instanceId: string, overrides: Partial<HostRecord> = {}): HostRecord {
  return {
    kind: 'host',
    ...commonFields(instanceId),
    raw: { InstanceId: instanceId, Description: 'as the vendor answered it' },
    hostname: null,
    instanceType: 'ecs.g7.large',
    cpu: 2,
    memoryMib: 4096,
    osName: 'Ubuntu 22.04 64 bit',
    osType: 'linux',
    imageId: 'ubuntu_22_04_x64',
    securityGroups: ['sg-1'],
    ...overrides,
  };
}

export function databaseRecord(instanceId: string, overrides: Partial<DatabaseRecord> = {}): DatabaseRecord {
  return {
    kind: 'rds',
    ...commonFields(instanceId),
    raw: { DBInstanceId: instanceId },
    engine: 'MySQL',
    engineVersion: '8.0',
    instanceClass: 'rds.mysql.s2.large',
    cpu: 2,
    memoryMib: 4096,
    storageGb: 100,
    port: 3306,
    privateEndpoints: [],
    publicEndpoints: [],
    ...overrides,
  };
}

/**
 * Writes records through the real write path (InventoryWriter in a
 * transaction), so rows and their change log are exactly what a sync makes.
 * Each write is listed one second after the previous one: updates always win.
 */
export class InventorySeeder {
  private clock = Date.UTC(2025, 0, 1);

  private constructor(
    private readonly t: TestApp,
    readonly secrets: Record<Vendor, string>,
  ) {}

  /** Registers one secret per vendor through the API (the rows reference it). */
  static async start(t: TestApp): Promise<InventorySeeder> {
    const secrets = {} as Record<Vendor, string>;
    for (const vendor of ['aliyun', 'tencent', 'huawei'] as const) {
      const created = await t.http
        .post('/secrets')
        .send({ name: `${vendor}-${randomBytes(3).toString('hex')}`, vendor, api_key: `AK${randomBytes(6).toString('hex')}`, api_secret: 'not-used', allow_regions: ['*'] })
        .expect(201);
      secrets[vendor] = created.body.id;
    }
    return new InventorySeeder(t, secrets);
  }

  private get dataSource(): DataSource {
    return this.t.app.get(DataSource);
  }

  private nextQueryAt(): Date {
    this.clock += 1000;
    return new Date(this.clock);
  }

  /** One batch of records of one vendor, as one page of a sync would write it. */
  async write(records: ResourceRecord[], jobId: string | null = randomUUID()): Promise<ItemResult[]> {
    const kind = RESOURCE_KINDS[records[0].kind];
    const secretId = this.secrets[records[0].vendor as Vendor];
    const queryAt = this.nextQueryAt();
    const writer = this.t.app.get(InventoryWriter);
    const results = await this.dataSource.transaction((manager) =>
      writer.writeBatch(manager, kind, secretId, records.map((record) => ({ record, queryAt })), syncOrigin(jobId)),
    );
    const failed = results.filter((result) => !result.success);
    if (failed.length > 0) throw new Error(`seeding failed: ${JSON.stringify(failed)}`);
    return results;
  }

  /** Soft-deletes, as a complete listing would, the vendor's resources of `region` that are not in `kept`. */
  async deleteAllBut(type: ResourceType, vendor: Vendor, region: string, kept: string[], jobId: string | null = randomUUID()): Promise<ItemResult[]> {
    const listingStartedAt = this.nextQueryAt();
    const writer = this.t.app.get(InventoryWriter);
    const listingId = randomUUID();
    return this.dataSource.transaction(async (manager) => {
      await writer.stageListed(manager, listingId, kept);
      const deleted = await writer.deleteMissing(manager, RESOURCE_KINDS[type], { secretId: this.secrets[vendor], region }, listingId, listingStartedAt, syncOrigin(jobId));
      await writer.clearListed(manager, listingId);
      return deleted;
    });
  }

  /** Our id of a resource. */
  async idOf(type: ResourceType, vendor: Vendor, instanceId: string): Promise<string> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM ${RESOURCE_KINDS[type].table} WHERE vendor = $1 AND instance_id = $2`, [
      vendor,
      instanceId,
    ]);
    return rows[0].id;
  }
}

/** The `details` of a 400: which fields it names. */
export function fieldsOf(body: { details?: { field: string }[] }): string[] {
  return (body.details ?? []).map((detail) => detail.field);
}
