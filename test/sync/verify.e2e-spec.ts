import { randomBytes } from 'node:crypto';
import { startTestApp, TestApp } from '../support/test-app';
import { VENDOR_CASES } from '../support/vendor-matrix';
import type { CloudSimulator } from '../simulators/common/simulator';

describe.each(VENDOR_CASES.map((vendorCase) => [vendorCase.vendor, vendorCase] as const))('POST /secrets/:id/verify on %s', (_vendor, vendorCase) => {
  let t: TestApp;
  let simulator: CloudSimulator;
  const apiKey = `AK${randomBytes(8).toString('hex')}`;
  const apiSecret = randomBytes(16).toString('hex');
  const regionBody = vendorCase.region ? { region: vendorCase.region } : {};

  beforeAll(async () => {
    simulator = await vendorCase.start();
    simulator.addAccount(apiKey, apiSecret);
    t = await startTestApp({ CMDB_VENDOR_RETRY_BASE_MS: '5', CMDB_SYNC_SCHEDULE: 'off' });
  });
  afterAll(async () => {
    await t.close();
    await simulator.stop();
  });

  it('answers ok for a working credential', async () => {
    const secret = (await t.http.post('/secrets').send({ name: 'good', ...vendorCase.secretBody(simulator, apiKey, apiSecret) }).expect(201)).body;
    const response = await t.http.post(`/secrets/${secret.id}/verify`).send(regionBody).expect(200);
    expect(response.body).toMatchObject({ ok: true, vendor: vendorCase.vendor, region: vendorCase.region });
  });

  it('answers the vendor\'s error for a wrong secret, without retrying and without the secret in it', async () => {
    const wrong = 'definitely-not-the-secret-0123';
    const secret = (await t.http.post('/secrets').send({ name: 'bad', ...vendorCase.secretBody(simulator, apiKey, wrong) }).expect(201)).body;
    const before = simulator.faults.requestCount;
    const response = await t.http.post(`/secrets/${secret.id}/verify`).send(regionBody).expect(200);
    expect(response.body).toMatchObject({ ok: false, error: { vendor: vendorCase.vendor, code: expect.any(String), retryable: false } });
    expect(JSON.stringify(response.body)).not.toContain(wrong);
    expect(simulator.faults.requestCount - before).toBeLessThanOrEqual(2); // vSphere: a Login only; clouds: one call
  });

  if (!vendorCase.region) {
    it('refuses a region, and a resource type the vendor does not have, naming the field', async () => {
      const secret = (await t.http.post('/secrets').send({ name: 'no-regions', ...vendorCase.secretBody(simulator, apiKey, apiSecret) }).expect(201)).body;
      expect((await t.http.post(`/secrets/${secret.id}/verify`).send({ region: 'dc1' }).expect(400)).body.details[0].field).toBe('region');
      expect((await t.http.post(`/secrets/${secret.id}/sync`).send({ region: 'dc1' }).expect(400)).body.details[0].field).toBe('region');
      const rds = await t.http.post(`/secrets/${secret.id}/sync`).send({ resource_type: 'rds' }).expect(400);
      expect(rds.body.details[0].field).toBe('resource_type');
    });
  }

  if (vendorCase.region) {
    it('needs a region its secret allows', async () => {
      const secret = (await t.http.post('/secrets').send({ name: 'regions', ...vendorCase.secretBody(simulator, apiKey, apiSecret) }).expect(201)).body;
      expect((await t.http.post(`/secrets/${secret.id}/verify`).send({}).expect(400)).body.details[0].field).toBe('region');
      if (!vendorCase.secretBody(simulator, apiKey, apiSecret).allow_regions?.toString().includes('*')) {
        await t.http.post(`/secrets/${secret.id}/verify`).send({ region: 'xx-nowhere-1' }).expect(400);
      }
    });
  }
});
