import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ResourceType } from '../../src/providers/provider';
import { generateDatabases, generateHosts } from '../simulators/common/generator';
import type { SimAccount, CloudSimulator } from '../simulators/common/simulator';
import { startTestApp, TestApp } from '../support/test-app';
import { VENDOR_CASES, VendorCase } from '../support/vendor-matrix';

const TABLE = { host: 'hosts', rds: 'databases' } as const;

describe.each(VENDOR_CASES.flatMap((vendorCase) => vendorCase.resourceTypes.map((type) => [vendorCase.vendor, type, vendorCase] as const)))(
  'full sync of %s %s',
  (_vendor, resourceType: ResourceType, vendorCase: VendorCase) => {
    let t: TestApp;
    let simulator: CloudSimulator;
    let account: SimAccount;
    let secretId: string;
    let seed = 1000;
    const table = TABLE[resourceType];
    // Enough for three pages at least, whatever the vendor's page size.
    const initial = Math.max(250, 2 * vendorCase.pageSize[resourceType]! + 50);
    const inventory = () => (resourceType === 'host' ? account.hosts : account.databases) as Map<string, { id: string; name: string; rawStatus: string }>;
    const generate = (count: number) => {
      const options = { seed: seed++, regions: [vendorCase.generatorRegion], startIndex: seed * 10_000 };
      return resourceType === 'host' ? generateHosts(vendorCase.vendor, count, options) : generateDatabases(vendorCase.vendor, count, options);
    };
    const seedItems = (count: number) => {
      const items = generate(count);
      for (const item of items) (inventory() as Map<string, unknown>).set(item.id, item);
      return items;
    };
    const sync = (query = '') =>
      t.http.post(`/secrets/${secretId}/sync${query}`).send({ resource_type: resourceType, ...(vendorCase.region ? { region: vendorCase.region } : {}) });
    const db = () => t.app.get(DataSource);
    const rowVersions = async () =>
      new Map<string, string>((await db().query(`SELECT instance_id, xmin::text AS v FROM ${table}`)).map((row: { instance_id: string; v: string }) => [row.instance_id, row.v]));
    const changeCount = async () => (await db().query(`SELECT count(*)::int AS n FROM resource_changes`))[0].n as number;

    beforeAll(async () => {
      simulator = await vendorCase.start();
      t = await startTestApp({ CMDB_VENDOR_RETRY_BASE_MS: '5', CMDB_VENDOR_TIMEOUT_MS: '3000', CMDB_VENDOR_MAX_ATTEMPTS: '4' });
      const apiKey = `AK${randomBytes(8).toString('hex')}`;
      const apiSecret = randomBytes(16).toString('hex');
      account = simulator.addAccount(apiKey, apiSecret);
      const created = await t.http.post('/secrets').send({ name: `${vendorCase.vendor}-${resourceType}`, ...vendorCase.secretBody(simulator, apiKey, apiSecret) }).expect(201);
      secretId = created.body.id;
    });
    afterAll(async () => {
      await t?.close();
      await simulator?.stop();
    });
    beforeEach(() => simulator.faults.reset());

    it('creates everything on the first sync, then reports all unchanged on a re-sync with zero row writes', async () => {
      seedItems(initial);
      const first = await sync().expect(200);
      expect(first.body).toMatchObject({ status: 'succeeded', created: initial, updated: 0, unchanged: 0, deleted: 0, total_succeed: initial, total_failed: 0 });
      // At most 1,000 details by default; the total says how many there are.
      expect(first.body.details).toHaveLength(Math.min(initial, 1000));
      expect(first.body).toMatchObject({ details_total: initial, details_truncated: initial > 1000 });
      expect(first.body.details[0]).toEqual({ instance_id: expect.any(String), name: expect.any(String), action: 'created', success: true, message: null });
      const stored = await db().query(`SELECT count(*)::int AS n FROM ${table} WHERE secret_id = $1 AND state = 'active'`, [secretId]);
      expect(stored[0].n).toBe(initial);

      const versions = await rowVersions();
      const changes = await changeCount();
      const second = await sync().expect(200);
      expect(second.body).toMatchObject({ status: 'succeeded', created: 0, updated: 0, unchanged: initial, deleted: 0 });
      expect(await rowVersions()).toEqual(versions);
      expect(await changeCount()).toBe(changes);
    });

    it('turns new, changed and removed instances into created, updated and deleted, and revives one that returns', async () => {
      const added = seedItems(5);
      const existing = [...inventory().values()].filter((item) => !added.some((a) => a.id === item.id));
      const changed = existing.slice(0, 7);
      for (const item of changed) item.name = `${item.name}-renamed`;
      const removed = existing.slice(7, 10);
      for (const item of removed) inventory().delete(item.id);

      const response = await sync('?details=changed').expect(200);
      expect(response.body).toMatchObject({ status: 'succeeded', created: 5, updated: 7, deleted: 3 });
      const byAction = (action: string) => response.body.details.filter((d: { action: string }) => d.action === action).map((d: { instance_id: string }) => d.instance_id).sort();
      const ids = (items: { id: string }[]) => items.map((item) => vendorCase.instanceIdOf(item.id)).sort();
      expect(byAction('created')).toEqual(ids(added));
      expect(byAction('updated')).toEqual(ids(changed));
      expect(byAction('deleted')).toEqual(ids(removed));
      expect(response.body.details.some((d: { action: string }) => d.action === 'unchanged')).toBe(false);

      const idOf = (item: { id: string }) => vendorCase.instanceIdOf(item.id);
      const [renamed] = await db().query(`SELECT name FROM ${table} WHERE instance_id = $1`, [idOf(changed[0])]);
      expect(renamed.name).toBe(changed[0].name);
      const [history] = await db().query(
        `SELECT change_type, changed_fields FROM resource_changes WHERE instance_id = $1 ORDER BY revision DESC LIMIT 1`,
        [idOf(changed[0])],
      );
      expect(history).toEqual({ change_type: 'updated', changed_fields: { name: { old: changed[0].name.replace(/-renamed$/, ''), new: changed[0].name } } });
      const gone = await db().query(`SELECT state, deleted_at FROM ${table} WHERE instance_id = $1`, [idOf(removed[0])]);
      expect(gone[0].state).toBe('deleted');
      expect(gone[0].deleted_at).not.toBeNull();

      (inventory() as Map<string, unknown>).set(removed[0].id, removed[0]);
      const revived = await sync('?details=changed').expect(200);
      expect(revived.body).toMatchObject({ created: 1, updated: 0, deleted: 0 });
      expect(revived.body.details).toEqual([
        { instance_id: idOf(removed[0]), name: removed[0].name, action: 'created', success: true, message: 'revived: it had been deleted' },
      ]);
      const back = await db().query(`SELECT state, deleted_at FROM ${table} WHERE instance_id = $1`, [idOf(removed[0])]);
      expect(back[0]).toEqual({ state: 'active', deleted_at: null });
    });

    it('deletes nothing when the listing fails part-way, and keeps what it saved', async () => {
      const before = (await db().query(`SELECT count(*)::int AS n FROM ${table} WHERE state = 'active'`))[0].n;
      const victims = [...inventory().values()].slice(0, 4);
      for (const item of victims) inventory().delete(item.id);
      const added = seedItems(2);
      simulator.faults.set({ failPage: { page: 3, kind: 'server-error' } });

      const response = await sync('?details=failed').expect(200);
      expect(['failed', 'partial']).toContain(response.body.status);
      expect(response.body.deleted).toBe(0);
      expect(response.body.error).toMatchObject({ vendor: vendorCase.vendor, code: expect.any(String), retryable: true });
      const after = (await db().query(`SELECT count(*)::int AS n FROM ${table} WHERE state = 'active'`))[0].n;
      expect(after).toBeGreaterThanOrEqual(before);
      const victimRows = await db().query(`SELECT state FROM ${table} WHERE instance_id = ANY($1)`, [victims.map((item) => vendorCase.instanceIdOf(item.id))]);
      expect(victimRows.every((row: { state: string }) => row.state === 'active')).toBe(true);

      simulator.faults.reset();
      const healed = await sync().expect(200);
      expect(healed.body).toMatchObject({ status: 'succeeded', deleted: 4 });
      const addedRows = await db().query(`SELECT count(*)::int AS n FROM ${table} WHERE instance_id = ANY($1) AND state = 'active'`, [
        added.map((item) => vendorCase.instanceIdOf(item.id)),
      ]);
      expect(addedRows[0].n).toBe(2);
    });

    it('absorbs throttling', async () => {
      simulator.faults.set({ throttleNext: 2 });
      const response = await sync().expect(200);
      expect(response.body.status).toBe('succeeded');
      expect(simulator.faults.requestCount).toBeGreaterThan(2);
    });

    it('answers 409 with the running job id to a second sync of the same scope, and 202 for wait=false', async () => {
      simulator.faults.set({ latencyMs: 300 });
      const started = await sync('?wait=false').expect(202);
      expect(started.body).toMatchObject({ job_id: expect.any(String), status: 'running' });
      const conflict = await sync().expect(409);
      expect(conflict.body.details).toEqual({ job_id: started.body.job_id });
      expect(conflict.body.message).toContain(started.body.job_id);

      let job = (await t.http.get(`/sync-jobs/${started.body.job_id}`).expect(200)).body;
      for (let i = 0; i < 200 && job.status === 'running'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = (await t.http.get(`/sync-jobs/${started.body.job_id}`).expect(200)).body;
      }
      expect(job).toMatchObject({ status: 'succeeded', trigger: 'api', progress: { pages_done: expect.any(Number) } });
      expect(job.progress.pages_done).toBeGreaterThanOrEqual(3);
      const items = await t.http.get(`/sync-jobs/${started.body.job_id}/items?limit=100&action=unchanged`).expect(200);
      expect(items.body.items).toHaveLength(100);
      expect(items.body.next_cursor).toEqual(expect.any(String));
      const walked = new Set<string>(items.body.items.map((item: { instance_id: string }) => item.instance_id));
      for (let cursor = items.body.next_cursor; cursor; ) {
        const page = await t.http.get(`/sync-jobs/${started.body.job_id}/items?limit=500&action=unchanged&cursor=${cursor}`).expect(200);
        for (const item of page.body.items) walked.add(item.instance_id);
        cursor = page.body.next_cursor;
      }
      expect(walked.size).toBe(job.unchanged);
    });

    it('soft-deletes every row of a scope emptied in the cloud and ends succeeded (an empty listing is complete)', async () => {
      const active = (await db().query(`SELECT count(*)::int AS n FROM ${table} WHERE secret_id = $1 AND state = 'active'`, [secretId]))[0].n;
      expect(active).toBeGreaterThan(0);
      inventory().clear();

      const response = await sync('?details=none').expect(200);
      expect(response.body).toMatchObject({ status: 'succeeded', error: null, deleted: active, total_failed: 0 });
      const left = await db().query(`SELECT count(*)::int AS n FROM ${table} WHERE secret_id = $1 AND state = 'active'`, [secretId]);
      expect(left[0].n).toBe(0);
    });
  },
);
