import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from '../support/test-app';

const sha256 = (text: string) => createHash('sha256').update(text).digest();

describe('API tokens', () => {
  let t: TestApp;
  const issued: string[] = [];
  const db = () => t.app.get(DataSource);
  const create = async (body: Record<string, unknown>) => {
    const response = await t.http.post('/tokens').send(body).expect(201);
    issued.push(response.body.token);
    return response.body as { id: string; token: string; prefix: string; name: string; role: string; expires_at: string | null };
  };
  const as = (token: string) => ({ get: (path: string) => t.raw.get(path).set('Authorization', `Bearer ${token}`) });
  const listed = async (id: string) => {
    const { body } = await t.http.get('/tokens?limit=500').expect(200);
    return (body.items as Array<Record<string, unknown>>).find((item) => item.id === id);
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    // No log line ever holds a token, whatever the test did with it.
    for (const token of [...issued, t.adminToken!]) for (const line of t.logs) expect(line).not.toContain(token);
    await t.close();
  });

  it('starts with no stored token when CMDB_ADMIN_TOKEN is set: nothing is generated', async () => {
    expect(await db().query(`SELECT id FROM api_tokens`)).toEqual([]);
  });

  it('shows a new token once and stores only its sha256', async () => {
    const created = await create({ name: 'ci-reader', role: 'viewer' });
    expect(created).toMatchObject({ name: 'ci-reader', role: 'viewer', expires_at: null, last_used_at: null });
    expect(created.token).toMatch(/^cmdb_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 13));

    const [row] = await db().query(`SELECT * FROM api_tokens WHERE id = $1`, [created.id]);
    expect(Buffer.from(row.token_hash).equals(sha256(created.token))).toBe(true);
    const stored = JSON.stringify(row, (_key, value) => (value?.type === 'Buffer' ? Buffer.from(value.data).toString('latin1') : value));
    expect(stored).not.toContain(created.token.slice(13));

    const item = await listed(created.id);
    expect(item).toEqual({ ...created, token: undefined, last_used_at: null });
    expect(item).not.toHaveProperty('token');
    await as(created.token).get('/sync-jobs').expect(200);
  });

  it('refuses bad token requests with a 400 naming the field', async () => {
    const missing = await t.http.post('/tokens').send({}).expect(400);
    expect(missing.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['name', 'role']);
    const role = await t.http.post('/tokens').send({ name: 'x', role: 'root' }).expect(400);
    expect(role.body.details[0].field).toBe('role');
    const past = await t.http.post('/tokens').send({ name: 'x', role: 'viewer', expires_at: '2020-01-01T00:00:00Z' }).expect(400);
    expect(past.body.details).toEqual([{ field: 'expires_at', problems: ['expires_at must be in the future'] }]);
    const garbled = await t.http.post('/tokens').send({ name: 'x', role: 'viewer', expires_at: 'tomorrow' }).expect(400);
    expect(garbled.body.details[0].field).toBe('expires_at');
    const blank = await t.http.post('/tokens').send({ name: '   ', role: 'viewer' }).expect(400);
    expect(blank.body.details[0].field).toBe('name');
    await t.http.delete('/tokens/not-a-uuid').expect(400);
  });

  it('stops accepting a token once it has expired, also one it has just accepted', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const later = await create({ name: 'temporary', role: 'viewer', expires_at: expiresAt });
    expect(later.expires_at).toBe(expiresAt);

    const soon = await create({ name: 'short-lived', role: 'viewer', expires_at: new Date(Date.now() + 1_500).toISOString() });
    await as(soon.token).get('/sync-jobs').expect(200);
    await new Promise((resolve) => setTimeout(resolve, new Date(soon.expires_at!).getTime() - Date.now() + 50));
    const expired = await as(soon.token).get('/sync-jobs').expect(401);
    expect(expired.body.message).toBe('token expired');
  });

  it('revokes a token at once, and a revoked token is gone from the list', async () => {
    const created = await create({ name: 'leaked', role: 'operator' });
    await as(created.token).get('/secrets').expect(200);
    await t.http.delete(`/tokens/${created.id}`).expect(204);
    await as(created.token).get('/secrets').expect(401);
    expect(await listed(created.id)).toBeUndefined();
    await t.http.delete(`/tokens/${created.id}`).expect(404);
  });

  // Written again a minute later: see authenticator.spec.ts, which has a clock to move.
  it('records the last use, not once a request', async () => {
    const created = await create({ name: 'busy', role: 'viewer' });
    await as(created.token).get('/sync-jobs').expect(200);
    expect((await listed(created.id))!.last_used_at).toEqual(expect.any(String));

    const lastUsed = async () => (await db().query(`SELECT last_used_at FROM api_tokens WHERE id = $1`, [created.id]))[0].last_used_at as Date;
    const first = await lastUsed();
    for (let i = 0; i < 5; i++) await as(created.token).get('/sync-jobs').expect(200);
    expect(await lastUsed()).toEqual(first);
  });

  it('takes CMDB_ADMIN_TOKEN as an admin, and nothing that merely resembles it', async () => {
    await t.http.get('/tokens').expect(200); // t.http sends CMDB_ADMIN_TOKEN
    const admin = t.adminToken!;
    const lastCharacter = admin.endsWith('A') ? 'B' : 'A';
    await as(admin.slice(0, -1) + lastCharacter).get('/tokens').expect(401);
    await as(admin.slice(0, -1)).get('/tokens').expect(401);
    await as(`${admin}x`).get('/tokens').expect(401);
  });

  it('lets a stored admin token manage tokens, and no lesser role', async () => {
    const admin = await create({ name: 'second-admin', role: 'admin' });
    const operator = await create({ name: 'runner', role: 'operator' });
    const made = await t.raw.post('/tokens').set('Authorization', `Bearer ${admin.token}`).send({ name: 'by-admin', role: 'viewer' }).expect(201);
    issued.push(made.body.token);
    await t.raw.post('/tokens').set('Authorization', `Bearer ${operator.token}`).send({ name: 'by-operator', role: 'admin' }).expect(403);
    await t.raw.delete(`/tokens/${made.body.id}`).set('Authorization', `Bearer ${operator.token}`).expect(403);
  });

  it('pages through tokens with a cursor', async () => {
    for (let i = 0; i < 3; i++) await create({ name: `paged-${randomBytes(2).toString('hex')}`, role: 'viewer' });
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; next_cursor: string | null } } = await t.http
        .get(`/tokens?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      ids.push(...page.body.items.map((item) => item.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    const [{ count }] = await db().query(`SELECT count(*)::int AS count FROM api_tokens`);
    expect(new Set(ids).size).toBe(count);
    await t.http.get('/tokens?cursor=garbage').expect(400);
  });
});
