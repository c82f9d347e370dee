import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SyncScheduler } from '../../src/sync/schedule/sync-scheduler';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateDatabases, generateHosts } from '../simulators/common/generator';
import { startTestApp, TestApp } from '../support/test-app';

// One encryption key for both replicas of the two-replica test.
const FAST = { CMDB_SYNC_POLL_MS: '100', CMDB_VENDOR_RETRY_BASE_MS: '5', CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64') };

async function waitForJobs(t: TestApp, ids: string[]) {
  for (let i = 0; i < 300; i++) {
    const jobs = await Promise.all(ids.map(async (id) => (await t.http.get(`/sync-jobs/${id}`).expect(200)).body));
    if (jobs.every((job) => !['queued', 'running'].includes(job.status))) return jobs;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('jobs did not finish');
}

describe('scheduled syncs', () => {
  let t: TestApp;
  let simulator: AliyunSimulator;
  const apiKey = `LTAI${randomBytes(8).toString('hex')}`;
  const apiSecret = randomBytes(12).toString('hex');
  const secretBody = (overrides: Record<string, unknown> = {}) => ({
    name: `sched-${randomBytes(4).toString('hex')}`,
    vendor: 'aliyun',
    api_key: apiKey,
    api_secret: apiSecret,
    allow_regions: ['cn-hangzhou'],
    address: simulator.address,
    request_rate: 100,
    ...overrides,
  });

  beforeAll(async () => {
    simulator = await AliyunSimulator.start();
    const account = simulator.addAccount(apiKey, apiSecret);
    for (const host of generateHosts('aliyun', 120, { seed: 3, regions: ['cn-hangzhou'] })) account.hosts.set(host.id, host);
    for (const db of generateDatabases('aliyun', 30, { seed: 3, regions: ['cn-hangzhou'] })) account.databases.set(db.id, db);
    t = await startTestApp({ ...FAST, CMDB_SYNC_SCHEDULE: '@daily' });
  });
  afterAll(async () => {
    await t.close();
    await simulator.stop();
  });

  it('registers a secret\'s schedule, shows its next run, and follows changes and deletion', async () => {
    const scheduler = t.app.get(SyncScheduler);
    const created = (await t.http.post('/secrets').send(secretBody({ sync_schedule: '*/5 * * * *' })).expect(201)).body;
    expect(created).toMatchObject({ sync_schedule: '*/5 * * * *', sync_timezone: null, effective_schedule: '*/5 * * * *' });
    const next = new Date(created.next_sync_at);
    expect(next.getUTCMinutes() % 5).toBe(0);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect(scheduler.cronJob(created.id)?.nextDate().toJSDate().toISOString()).toBe(created.next_sync_at);

    const daily = (await t.http.patch(`/secrets/${created.id}`).send({ sync_schedule: '30 3 * * *', sync_timezone: 'Asia/Shanghai' }).expect(200)).body;
    expect(new Date(daily.next_sync_at).getUTCHours()).toBe(19); // 03:30 in Shanghai is 19:30 UTC
    expect(scheduler.cronJob(created.id)?.nextDate().toJSDate().toISOString()).toBe(daily.next_sync_at);

    const inherited = (await t.http.patch(`/secrets/${created.id}`).send({ sync_schedule: null, sync_timezone: null }).expect(200)).body;
    expect(inherited).toMatchObject({ sync_schedule: null, effective_schedule: '@daily' });
    expect(new Date(inherited.next_sync_at).toISOString()).toMatch(/T00:00:00.000Z$/);

    const optedOut = (await t.http.patch(`/secrets/${created.id}`).send({ sync_schedule: 'off' }).expect(200)).body;
    expect(optedOut).toMatchObject({ effective_schedule: null, next_sync_at: null });
    expect(scheduler.cronJob(created.id)).toBeNull();

    await t.http.patch(`/secrets/${created.id}`).send({ sync_schedule: '0 * * * *' }).expect(200);
    expect(scheduler.cronJob(created.id)).not.toBeNull();
    await t.http.patch(`/secrets/${created.id}`).send({ enabled: false }).expect(200);
    expect(scheduler.cronJob(created.id)).toBeNull();
    await t.http.patch(`/secrets/${created.id}`).send({ enabled: true }).expect(200);
    await t.http.delete(`/secrets/${created.id}`).expect(204);
    expect(scheduler.cronJob(created.id)).toBeNull();
  });

  it.each([
    [{ sync_schedule: 'every day at noon' }, 'sync_schedule'],
    [{ sync_schedule: '61 * * * *' }, 'sync_schedule'],
    [{ sync_schedule: '* * * * * *' }, 'sync_schedule'],
    [{ sync_schedule: '@daily', sync_timezone: 'Mars/Olympus' }, 'sync_timezone'],
  ])('rejects %j with a 400 naming %s', async (fields, field) => {
    const response = await t.http.post('/secrets').send(secretBody(fields)).expect(400);
    expect(response.body.details[0].field).toBe(field);
  });

  it('turns a tick into one job per scope, runs them on the workers, and adds nothing for the same slot again', async () => {
    const secret = (await t.http.post('/secrets').send(secretBody({ sync_schedule: '0 * * * *' })).expect(201)).body;
    const scheduler = t.app.get(SyncScheduler);
    const at = new Date(Date.UTC(2026, 10, 22, 14, 0, 2));
    const jobIds = await scheduler.tick(secret.id, at);
    expect(jobIds).toHaveLength(2);
    const jobs = await waitForJobs(t, jobIds);
    expect(jobs.map((job) => [job.trigger, job.resource_type, job.region, job.status]).sort()).toEqual([
      ['schedule', 'host', 'cn-hangzhou', 'succeeded'],
      ['schedule', 'rds', 'cn-hangzhou', 'succeeded'],
    ]);
    expect(jobs.find((job) => job.resource_type === 'host').created).toBe(120);
    expect(await scheduler.tick(secret.id, new Date(at.getTime() + 5_000))).toEqual([]);
    expect(await scheduler.tick(secret.id, new Date(Date.UTC(2026, 10, 22, 15, 0, 1)))).toHaveLength(2);
  });

  it('runs a slot missed while the server was down once at start-up, not once per missed slot', async () => {
    const secret = (await t.http.post('/secrets').send(secretBody({ sync_schedule: '@hourly' })).expect(201)).body;
    const dataSource = t.app.get(DataSource);
    const fiveHoursAgo = new Date(Date.now() - 5 * 3600_000);
    await dataSource.query(`UPDATE secrets SET last_slot_at = $2 WHERE id = $1`, [secret.id, fiveHoursAgo]);
    const count = async () =>
      (await dataSource.query(`SELECT count(*)::int AS n FROM sync_jobs WHERE secret_id = $1 AND trigger = 'schedule'`, [secret.id]))[0].n;

    const scheduler = t.app.get(SyncScheduler);
    await scheduler.reconcile(new Date(), { catchUp: true });
    expect(await count()).toBe(2);
    const [{ slot_key }] = await dataSource.query(`SELECT slot_key FROM sync_jobs WHERE secret_id = $1 LIMIT 1`, [secret.id]);
    const latestHour = new Date(Math.floor(Date.now() / 3600_000) * 3600_000).toISOString();
    expect(slot_key).toContain(latestHour);
    await scheduler.reconcile(new Date(), { catchUp: true });
    expect(await count()).toBe(2);
  });

  it('enqueues every scope on demand with sync-all', async () => {
    const secret = (await t.http.post('/secrets').send(secretBody({ sync_schedule: 'off' })).expect(201)).body;
    const response = await t.http.post(`/secrets/${secret.id}/sync-all`).expect(202);
    expect(response.body.job_ids).toHaveLength(2);
    const jobs = await waitForJobs(t, response.body.job_ids);
    expect(jobs.every((job) => job.status === 'succeeded' && job.trigger === 'api')).toBe(true);
  });

  const onPostgres = process.env.TEST_DATABASE_URL ? it : it.skip;
  onPostgres('with two replicas on one PostgreSQL, each slot gives exactly one job per scope, each run once', async () => {
    const second = await startTestApp({ ...FAST, CMDB_SYNC_SCHEDULE: '@daily' }, { sharedDatabase: { ...t.database, close: async () => {} } });
    try {
      const secret = (await t.http.post('/secrets').send(secretBody({ sync_schedule: '*/10 * * * *' })).expect(201)).body;
      const at = new Date(Date.UTC(2026, 10, 23, 8, 10, 1));
      const [first, other] = await Promise.all([t.app.get(SyncScheduler).tick(secret.id, at), second.app.get(SyncScheduler).tick(secret.id, at)]);
      expect(first.length + other.length).toBe(2);
      const jobs = await waitForJobs(t, [...first, ...other]);
      expect(jobs.map((job) => job.status)).toEqual(['succeeded', 'succeeded']);
      const dataSource = t.app.get(DataSource);
      const rows = await dataSource.query(`SELECT count(*)::int AS n FROM sync_jobs WHERE secret_id = $1`, [secret.id]);
      expect(rows[0].n).toBe(2);
    } finally {
      await second.close();
    }
  });
});
