import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateHosts } from '../simulators/common/generator';
import { startTestApp, TestApp } from '../support/test-app';

/** A database error is logged with its message, code and constraint: never the row, the query or its parameters. */
describe('logs hold no credential material', () => {
  let t: TestApp;
  let simulator: AliyunSimulator;
  let database: DataSource;

  beforeAll(async () => {
    simulator = await AliyunSimulator.start();
    t = await startTestApp({ CMDB_SYNC_SCHEDULE: 'off' });
    database = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await simulator.stop();
  });

  it('logs a failed secret update without the row, the api_key or the sealed api_secret', async () => {
    const apiKey = `LTAI${randomBytes(8).toString('hex')}`;
    const secret = (
      await t.http
        .post('/secrets')
        .send({ name: 'logged', vendor: 'aliyun', api_key: apiKey, api_secret: 'plain-api-secret', allow_regions: ['cn-hangzhou'] })
        .expect(201)
    ).body;
    // A failure the API cannot foresee (here a constraint added behind its back), as a broken disk or a bad migration would give.
    await database.query(`ALTER TABLE secrets ADD CONSTRAINT log_test_refused CHECK (description IS DISTINCT FROM 'refused') NOT VALID`);
    await t.http.patch(`/secrets/${secret.id}`).send({ description: 'refused' }).expect(500);
    await database.query(`ALTER TABLE secrets DROP CONSTRAINT log_test_refused`);

    const [sealed] = await database.query(
      `SELECT encode(api_secret_ciphertext, 'hex') AS ciphertext, encode(api_secret_iv, 'hex') AS iv, encode(api_secret_tag, 'hex') AS tag FROM secrets WHERE id = $1`,
      [secret.id],
    );
    const failure = t.logs.find((line) => line.includes('log_test_refused'));
    expect(JSON.parse(failure!)).toMatchObject({
      err: { message: expect.stringContaining('log_test_refused'), code: '23514', constraint: 'log_test_refused' },
    });
    const log = t.logs.join('\n');
    for (const secretMaterial of [apiKey, sealed.ciphertext, sealed.iv, sealed.tag, 'plain-api-secret']) expect(log).not.toContain(secretMaterial);
    expect(log).not.toContain('Failing row');
    expect(log).not.toContain('"parameters"');
  });

  it('logs a failed sync batch without its parameter JSON (the raw vendor payloads)', async () => {
    const apiKey = `LTAI${randomBytes(8).toString('hex')}`;
    const account = simulator.addAccount(apiKey, 'sync-secret');
    const marker = `payload-marker-${randomBytes(6).toString('hex')}`;
    const hosts = generateHosts('aliyun', 20, { seed: 5, regions: ['cn-hangzhou'] });
    hosts[0] = { ...hosts[0], name: 'poison-host' };
    for (const host of hosts) account.hosts.set(host.id, { ...host, tags: { ...host.tags, owner: marker } });
    const secret = (
      await t.http
        .post('/secrets')
        .send({ name: 'sync', vendor: 'aliyun', api_key: apiKey, api_secret: 'sync-secret', allow_regions: ['cn-hangzhou'], address: simulator.address })
        .expect(201)
    ).body;
    await database.query(`ALTER TABLE hosts ADD CONSTRAINT log_test_poison CHECK (name <> 'poison-host') NOT VALID`);
    const sync = await t.http.post(`/secrets/${secret.id}/sync?details=failed`).send({ region: 'cn-hangzhou' }).expect(200);
    await database.query(`ALTER TABLE hosts DROP CONSTRAINT log_test_poison`);
    expect(sync.body).toMatchObject({ status: 'partial', created: 19, total_failed: 1 });

    const batchFailure = t.logs.find((line) => line.includes('failed as a whole'));
    expect(JSON.parse(batchFailure!)).toMatchObject({ err: { code: '23514', constraint: 'log_test_poison' } });
    const log = t.logs.join('\n');
    expect(log).not.toContain(marker);
    expect(log).not.toContain(apiKey);
    expect(log).not.toContain('Failing row');
  });
});
