import { startTestApp, TestApp } from '../support/test-app';

/** The OpenAPI pages answer as the README says: a viewer token by default, anyone with CMDB_DOCS_PUBLIC=true. */
describe('the OpenAPI pages', () => {
  const PAGES = ['/docs', '/docs/', '/docs-json', '/docs-yaml'];

  describe('by default', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it.each(PAGES)('%s needs a token, in the common error body', async (page) => {
      const refused = await t.raw.get(page).expect(401);
      expect(refused.headers['www-authenticate']).toBe('Bearer realm="cmdb"');
      expect(refused.body).toMatchObject({ statusCode: 401, request_id: refused.headers['x-request-id'] });
      await t.raw.get(page).set('Authorization', 'Bearer cmdb_not-a-real-token').expect(401);
    });

    it('serves them to any role', async () => {
      const viewer = await t.createToken('viewer');
      const document = await t.raw.get('/docs-json').set('Authorization', `Bearer ${viewer}`).expect(200);
      expect(document.body.paths['/hosts']).toBeDefined();
      expect((await t.raw.get('/docs/').set('Authorization', `Bearer ${viewer}`).expect(200)).text).toContain('swagger');
    });
  });

  describe('with CMDB_DOCS_PUBLIC=true', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ CMDB_DOCS_PUBLIC: 'true' });
    });
    afterAll(() => t.close());

    it('serves them without a token, and nothing else', async () => {
      expect((await t.raw.get('/docs-json').expect(200)).body.paths['/hosts']).toBeDefined();
      await t.raw.get('/docs/').expect(200);
      await t.raw.get('/hosts').expect(401);
    });
  });
});
