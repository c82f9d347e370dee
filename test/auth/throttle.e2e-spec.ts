import { randomBytes } from 'node:crypto';
import { startTestApp, TestApp } from '../support/test-app';

const LIMIT = 5;

describe('throttling repeated authentication failures', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CMDB_AUTH_FAILURES_PER_MINUTE: String(LIMIT) });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once a client failed too often, and only failures count', async () => {
    const viewer = await t.createToken('viewer');
    const wrong = `cmdb_${randomBytes(32).toString('base64url')}`;
    // Successes and a good token lacking the role are not authentication failures.
    for (let i = 0; i < 3 * LIMIT; i++) await t.raw.get('/sync-jobs').set('Authorization', `Bearer ${viewer}`).expect(200);
    for (let i = 0; i < 3 * LIMIT; i++) await t.raw.get('/tokens').set('Authorization', `Bearer ${viewer}`).expect(403);

    for (let i = 0; i < LIMIT - 1; i++) await t.raw.get('/sync-jobs').set('Authorization', `Bearer ${wrong}`).expect(401);
    await t.raw.get('/sync-jobs').expect(401); // a missing token is a failure too
    const throttled = await t.raw.get('/sync-jobs').set('Authorization', `Bearer ${wrong}`).expect(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(throttled.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(throttled.body).toMatchObject({ statusCode: 429, message: expect.stringContaining('too many failed authentications') });

    // While throttled even a good token waits: a guess that happens to be right is not revealed.
    await t.raw.get('/sync-jobs').set('Authorization', `Bearer ${viewer}`).expect(429);
    await t.raw.get('/healthz').expect(200);
  });
});
