import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ResourceType } from '../../src/providers/provider';
import { generateDatabases, generateHosts } from '../simulators/common/generator';
import type { CloudSimulator, SimAccount } from '../simulators/common/simulator';
import { startTestApp, TestApp } from '../support/test-app';
import { VENDOR_CASES, VendorCase } from '../support/vendor-matrix';

const TABLE = { host: 'hosts', rds: 'databases' } as const;
// A small cap keeps the test light: a normal page here is well under it, the padded one well over.
const CAP_BYTES = 1024 * 1024;
const OVERSIZED_BYTES = 2 * CAP_BYTES;
const SEEDED = 250;

describe.each(VENDOR_CASES.flatMap((vendorCase) => vendorCase.resourceTypes.map((type) => [vendorCase.vendor, type, vendorCase] as const)))(
  'an oversized answer from %s (%s)',
  (_vendor, resourceType: ResourceType, vendorCase: VendorCase) => {
    let t: TestApp;
    let simulator: CloudSimulator;
    let account: SimAccount;
    let secretId: string;
    let apiKey: string;
    let apiSecret: string;
    const table = TABLE[resourceType];
    const inventory = () => (resourceType === 'host' ? account.hosts : account.databases) as Map<string, { id: string }>;
    const sync = () =>
      t.http.post(`/secrets/${secretId}/sync`).send({ resource_type: resourceType, ...(vendorCase.region ? { region: vendorCase.region } : {}) });
    const db = () => t.app.get(DataSource);

    beforeAll(async () => {
      simulator = await vendorCase.start();
      t = await startTestApp({
        CMDB_VENDOR_RETRY_BASE_MS: '5',
        CMDB_VENDOR_TIMEOUT_MS: '3000',
        CMDB_VENDOR_MAX_ATTEMPTS: '4',
        CMDB_VENDOR_MAX_RESPONSE_BYTES: String(CAP_BYTES),
      });
      apiKey = `AK${randomBytes(8).toString('hex')}`;
      apiSecret = randomBytes(16).toString('hex');
      account = simulator.addAccount(apiKey, apiSecret);
      const options = { seed: 77, regions: [vendorCase.generatorRegion], startIndex: 770_000 };
      const items = resourceType === 'host' ? generateHosts(vendorCase.vendor, SEEDED, options) : generateDatabases(vendorCase.vendor, SEEDED, options);
      for (const item of items) (inventory() as Map<string, unknown>).set(item.id, item);
      const created = await t.http.post('/secrets').send({ name: `${vendorCase.vendor}-${resourceType}-cap`, ...vendorCase.secretBody(simulator, apiKey, apiSecret) }).expect(201);
      secretId = created.body.id;
    });
    afterAll(async () => {
      await t?.close();
      await simulator?.stop();
    });

    it('fails the listing with ResponseTooLarge, deletes nothing, and the next normal listing deletes', async () => {
      const first = await sync().expect(200);
      expect(first.body).toMatchObject({ status: 'succeeded', created: SEEDED });

      const victims = [...inventory().values()].slice(0, 3);
      for (const item of victims) inventory().delete(item.id);
      const pages = Math.ceil(inventory().size / vendorCase.pageSize[resourceType]!);
      simulator.faults.set({ oversizedPage: { page: Math.min(2, pages), bytes: OVERSIZED_BYTES } });

      const capped = await sync().expect(200);
      expect(['failed', 'partial']).toContain(capped.body.status);
      expect(capped.body.deleted).toBe(0);
      expect(capped.body.error).toMatchObject({ vendor: vendorCase.vendor, code: 'ResponseTooLarge', retryable: false });
      expect(capped.body.error.message).toContain(`larger than ${CAP_BYTES} bytes`);
      const errorText = JSON.stringify(capped.body.error);
      for (const secret of [apiKey, apiSecret, '     ']) expect(errorText).not.toContain(secret);
      // Not retried: each attempt would download the same oversized answer again.
      expect(simulator.faults.oversizedServed).toBe(1);

      const job = await t.http.get(`/sync-jobs/${capped.body.job_id}`).expect(200);
      expect(job.body).toMatchObject({ status: capped.body.status, error: { code: 'ResponseTooLarge' } });
      const victimRows = await db().query(`SELECT state FROM ${table} WHERE instance_id = ANY($1)`, [victims.map((item) => vendorCase.instanceIdOf(item.id))]);
      expect(victimRows.map((row: { state: string }) => row.state)).toEqual(['active', 'active', 'active']);
      const deleted = await db().query(`SELECT count(*)::int AS n FROM ${table} WHERE secret_id = $1 AND state = 'deleted'`, [secretId]);
      expect(deleted[0].n).toBe(0);

      simulator.faults.reset();
      const healed = await sync().expect(200);
      expect(healed.body).toMatchObject({ status: 'succeeded', deleted: 3 });
    });
  },
);
