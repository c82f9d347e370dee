import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from '../support/test-app';

/** Each cause of a 500 found by fuzzing (issue 14): now a 400 that names the field, and nothing stored. */
describe('bad input answers 400 naming the field', () => {
  let t: TestApp;
  let secretId: string;
  const secretBody = (overrides: Record<string, unknown> = {}) => ({
    name: `aliyun-${Math.random().toString(36).slice(2)}`,
    vendor: 'aliyun',
    api_key: 'LTAI5tAbCdEfGh7xQz',
    api_secret: 'secret-value',
    allow_regions: ['cn-hangzhou'],
    ...overrides,
  });
  const fieldsOf = (body: { details?: { field: string }[] }) => (body.details ?? []).map((detail) => detail.field);
  const counts = async () =>
    (await t.app.get(DataSource).query(`SELECT (SELECT count(*) FROM secrets) AS secrets, (SELECT count(*) FROM api_tokens) AS tokens`))[0];

  beforeAll(async () => {
    t = await startTestApp();
    secretId = (await t.http.post('/secrets').send(secretBody()).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it.each([
    ['name', '\u0000'],
    ['description', 'a\u0000b'],
    ['api_key', 'LTAI\u0000'],
    ['sync_timezone', 'UTC\u0000'],
    ['name', 'x\ud800'],
    ['description', '\udc00lone'],
  ])('refuses %s holding %j on POST /secrets', async (field, value) => {
    const before = await counts();
    const response = await t.http.post('/secrets').send(secretBody({ [field]: value })).expect(400);
    expect(fieldsOf(response.body)).toEqual([field]);
    expect(await counts()).toEqual(before);
  });

  it('refuses NUL and lone surrogates in token names, object keys, filters and path parameters', async () => {
    expect(fieldsOf((await t.http.post('/tokens').send({ name: 'ci\u0000', role: 'viewer' }).expect(400)).body)).toEqual(['name']);
    expect(fieldsOf((await t.http.post('/tokens').send({ name: '\ud83d', role: 'viewer' }).expect(400)).body)).toEqual(['name']);
    const huawei = secretBody({ vendor: 'huawei', project_ids: { 'cn-north-4\u0000': 'abc' } });
    expect(fieldsOf((await t.http.post('/secrets').send(huawei).expect(400)).body)).toEqual(['project_ids']);
    expect(fieldsOf((await t.http.get('/audit?target_id=%00').expect(400)).body)).toEqual(['target_id']);
    expect(fieldsOf((await t.http.get('/hosts?q=%ED%A0%80').expect(200)).body)).toEqual([]); // a malformed byte is decoded to U+FFFD: storable
    expect(fieldsOf((await t.http.get('/secrets/%00').expect(400)).body)).toEqual(['id']);
  });

  it.each([
    ['POST', '/tokens'],
    ['POST', '/secrets'],
    ['PATCH', '/secrets/:id'],
    ['POST', '/secrets/:id/sync'],
    ['POST', '/secrets/:id/verify'],
  ])('refuses JSON nested thousands of levels deep on %s %s', async (method, path) => {
    const deep = `{"name":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const response = await t.http[method === 'POST' ? 'post' : 'patch'](path.replace(':id', secretId))
      .set('content-type', 'application/json')
      .send(deep)
      .expect(400);
    expect(fieldsOf(response.body)).toEqual(['body']);
    // Nesting inside strings is text, not depth.
    await t.http.post('/tokens').send({ name: '['.repeat(100), role: 'viewer' }).expect(201);
  });

  it.each(['name', 'api_key', 'api_secret', 'request_rate', 'enabled', 'allow_regions', 'credential_type'])(
    'refuses null for %s on PATCH /secrets/:id and keeps the secret',
    async (field) => {
      const before = (await t.http.get(`/secrets/${secretId}`).expect(200)).body;
      const response = await t.http.patch(`/secrets/${secretId}`).send({ [field]: null }).expect(400);
      expect(fieldsOf(response.body)).toEqual([field]);
      expect((await t.http.get(`/secrets/${secretId}`).expect(200)).body).toEqual(before);
    },
  );

  it('still clears nullable fields with null', async () => {
    await t.http.patch(`/secrets/${secretId}`).send({ description: 'x', sync_schedule: '@daily' }).expect(200);
    const cleared = await t.http.patch(`/secrets/${secretId}`).send({ description: null, sync_schedule: null }).expect(200);
    expect(cleared.body).toMatchObject({ description: null, sync_schedule: null });
  });

  it.each(['0 0 31 2 *', '0 0 30 2 *'])('refuses a cron that never fires (%s)', async (schedule) => {
    const response = await t.http.patch(`/secrets/${secretId}`).send({ sync_schedule: schedule }).expect(400);
    expect(fieldsOf(response.body)).toEqual(['sync_schedule']);
    expect(response.body.message).toContain('never fires');
    expect(fieldsOf((await t.http.post('/secrets').send(secretBody({ sync_schedule: schedule })).expect(400)).body)).toEqual(['sync_schedule']);
  });

  it.each(['2026-W01', '2099-W01-1', '2099-001', '2099-02-30'])('refuses expires_at %s', async (expiresAt) => {
    const before = await counts();
    const response = await t.http.post('/tokens').send({ name: 'ci', role: 'viewer', expires_at: expiresAt }).expect(400);
    expect(fieldsOf(response.body)).toEqual(['expires_at']);
    expect(await counts()).toEqual(before);
  });

  it('accepts calendar timestamps for expires_at', async () => {
    for (const expiresAt of ['2099-01-31', '2099-01-31T12:00:00Z', '2099-01-31T12:00:00.123+08:00']) {
      const created = await t.http.post('/tokens').send({ name: 'ci', role: 'viewer', expires_at: expiresAt }).expect(201);
      expect(created.body.expires_at).toBe(new Date(expiresAt).toISOString());
    }
  });
});
