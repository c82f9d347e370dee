import { randomBytes } from 'node:crypto';
import { validateEnvironment } from '../../src/config/environment';
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

    // A valid token is never refused for what others did from the same address (a proxy, a NAT).
    await t.raw.get('/sync-jobs').set('Authorization', `Bearer ${viewer}`).expect(200);
    await t.raw.get('/healthz').expect(200);
  });
});

describe('the client address behind trusted proxies (CMDB_TRUSTED_PROXIES)', () => {
  const wrong = `Bearer cmdb_${randomBytes(32).toString('base64url')}`;
  const failFrom = async (t: TestApp, forwardedFor: string, status: number) =>
    t.raw.get('/sync-jobs').set('Authorization', wrong).set('X-Forwarded-For', forwardedFor).expect(status);

  it('throttles each client behind a trusted proxy on its own, by the nearest untrusted hop', async () => {
    const t = await startTestApp({ CMDB_AUTH_FAILURES_PER_MINUTE: String(LIMIT), CMDB_TRUSTED_PROXIES: 'loopback, 10.0.0.0/8' });
    try {
      const admin = t.adminToken!;
      // A client that forges the leftmost entry is still known by the hop the trusted proxy saw.
      for (let i = 0; i < LIMIT; i++) await failFrom(t, `198.51.100.${i}, 203.0.113.7, 10.1.2.3`, 401);
      await failFrom(t, '203.0.113.7', 429);
      await failFrom(t, '203.0.113.8', 401); // another client behind the same proxy
      await t.raw.get('/sync-jobs').set('Authorization', `Bearer ${admin}`).set('X-Forwarded-For', '203.0.113.7').expect(200);
    } finally {
      await t.close();
    }
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const t = await startTestApp({ CMDB_AUTH_FAILURES_PER_MINUTE: String(LIMIT) });
    try {
      for (let i = 0; i < LIMIT; i++) await failFrom(t, `203.0.113.${i}`, 401);
      await failFrom(t, '203.0.113.200', 429); // the same connection address, whatever the header says
    } finally {
      await t.close();
    }
  });

  it('refuses a malformed CMDB_TRUSTED_PROXIES at start-up, naming it', () => {
    expect(() => validateEnvironment({ CMDB_TRUSTED_PROXIES: '10.0.0.0/8,proxy.example' })).toThrow(/CMDB_TRUSTED_PROXIES/);
    expect(() => validateEnvironment({ CMDB_TRUSTED_PROXIES: '10.0.0.1/40' })).toThrow(/CMDB_TRUSTED_PROXIES/);
    expect(validateEnvironment({ CMDB_TRUSTED_PROXIES: ' loopback , 192.168.0.0/16,::1' }).CMDB_TRUSTED_PROXIES).toEqual(['loopback', '192.168.0.0/16', '::1']);
    expect(validateEnvironment({}).CMDB_TRUSTED_PROXIES).toEqual([]);
  });
});
