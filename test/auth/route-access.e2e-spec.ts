import type { IncomingMessage } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Access } from '../../src/auth/access.decorators';
import { ROLES, Role } from '../../src/auth/roles';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Who may call each route. Every route the app serves must be here: a route
 * missing from this table fails the test, so nobody adds one without deciding.
 */
const EXPECTED_ACCESS: Record<string, Access> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  // The OpenAPI document and its UI describe every route: a viewer token, as the
  // README says (CMDB_DOCS_PUBLIC=true opens them; see test/hardening/api-docs).
  'GET /docs': 'viewer',
  'GET /docs/': 'viewer',
  'GET /docs/index.html': 'viewer',
  'GET /docs/LICENSE': 'viewer',
  'GET /docs/swagger-ui-init.js': 'viewer',
  'GET /docs/docs/swagger-ui-init.js': 'viewer',
  'GET /docs-json': 'viewer',
  'GET /docs-yaml': 'viewer',

  // A browser's redirect to the console (whose static files are served outside the router).
  'GET /': 'public',
  // The console's static files (the sign-in page must load without a token; they hold no data).
  'GET /console': 'public',
  'GET /console/*path': 'public',

  'GET /metrics': 'viewer',

  'POST /secrets': 'admin',
  'GET /secrets': 'operator',
  'GET /secrets/:id': 'operator',
  'PATCH /secrets/:id': 'admin',
  'DELETE /secrets/:id': 'admin',
  'POST /secrets/:id/webhook-secret': 'admin',

  // Vendors cannot send a bearer token: a webhook checks the vendor's signature or the secret's HMAC.
  'POST /webhooks/cloudevents/:secret_id': 'public',
  'POST /webhooks/huawei-smn/:secret_id': 'public',
  'GET /events': 'operator',
  'GET /events/:id': 'operator',

  'GET /hosts': 'viewer',
  'GET /hosts/:id': 'viewer',
  'GET /hosts/:id/history': 'viewer',
  'GET /databases': 'viewer',
  'GET /databases/:id': 'viewer',
  'GET /databases/:id/history': 'viewer',
  'GET /stats': 'viewer',
  'GET /changes': 'viewer',
  'GET /watch': 'viewer',

  'POST /secrets/:id/sync': 'operator',
  'POST /secrets/:id/sync-all': 'operator',
  'POST /secrets/:id/verify': 'operator',
  'GET /sync-jobs': 'viewer',
  'GET /sync-jobs/:id': 'viewer',
  'GET /sync-jobs/:id/items': 'viewer',

  'POST /tokens': 'admin',
  'GET /tokens': 'admin',
  'DELETE /tokens/:id': 'admin',
  'GET /audit': 'admin',
  'GET /whoami': 'viewer',
};

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** `METHOD /path` of every route registered on the express router: controllers' and other modules' alike. */
function discoverRoutes(t: TestApp): string[] {
  const stack = (t.app.getHttpAdapter().getInstance() as { router: { stack: RouteLayer[] } }).router.stack;
  const routes = new Set<string>();
  for (const { route } of stack) {
    if (!route) continue; // body parsers, static files
    const methods = Object.keys(route.methods).filter((method) => method !== '_all');
    const anyMethod = route.methods._all || methods.length > 20;
    // Nest mounts middleware bound to every route (`forRoutes('*path')`) as an any-method route on this pattern.
    if (anyMethod && route.path === '/{*path}') continue;
    if (anyMethod) routes.add(`ALL ${route.path}`);
    else for (const method of methods) routes.add(`${method.toUpperCase()} ${route.path}`);
  }
  return [...routes].sort();
}

type Caller = 'no token' | 'bad token' | Role;

/** What a caller must get: denied with 401 or 403, or let through (any status a handler gives but those, and no 5xx). */
function expectedOutcome(access: Access, caller: Caller): 401 | 403 | 'through' {
  if (access === 'public') return 'through';
  if (caller === 'no token' || caller === 'bad token') return 401;
  return ROLES.indexOf(caller) >= ROLES.indexOf(access) ? 'through' : 403;
}

describe('access to every route', () => {
  let t: TestApp;
  let routes: string[];
  const tokens = new Map<Caller, string | null>();

  beforeAll(async () => {
    // The walk fails authentication on purpose many times from one address: lift the throttle here (it has its own test).
    t = await startTestApp({ CMDB_AUTH_FAILURES_PER_MINUTE: '1000000' });
    routes = discoverRoutes(t);
    tokens.set('no token', null);
    tokens.set('bad token', `cmdb_${randomBytes(32).toString('base64url')}`);
    for (const role of ROLES) tokens.set(role, await t.createToken(role));
  });
  afterAll(() => t.close());

  it('has an expected access for every route the app serves, and no stale entry', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((route) => !(route in EXPECTED_ACCESS))).toEqual([]);
    expect(Object.keys(EXPECTED_ACCESS).filter((route) => !routes.includes(route))).toEqual([]);
  });

  it.each<Caller>(['no token', 'bad token', ...ROLES])('answers a caller with %s as each route expects', async (caller) => {
    const wrong: string[] = [];
    for (const route of routes) {
      const access = EXPECTED_ACCESS[route];
      if (access === undefined) continue; // reported by the test above
      const [method, pattern] = route.split(' ');
      // Path parameters get an id nothing has: handlers answer 404, never touch real data.
      const path = pattern.replace(/:\w+/g, randomUUID());
      const verb = method === 'ALL' ? 'get' : (method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete' | 'put');
      let request = t.raw[verb](path);
      const token = tokens.get(caller);
      if (token) request = request.set('Authorization', `Bearer ${token}`);
      if (verb !== 'get' && verb !== 'delete') request = request.send({});
      // A stream answers until the client leaves: its status is all this needs.
      if (pattern === '/watch') request = request.buffer(false).parse((response, done) => {
          (response as unknown as IncomingMessage).destroy();
          done(null, null);
        });
      const { status } = await request;
      const expected = expectedOutcome(access, caller);
      const ok = expected === 'through' ? ![401, 403, 429].includes(status) && status < 500 : status === expected;
      if (!ok) wrong.push(`${route} (${access}): got ${status}, expected ${expected}`);
    }
    expect(wrong).toEqual([]);
  });

  it('tells a denied caller why, in the common error body, with the bearer challenge on a 401', async () => {
    const missing = await t.raw.get('/sync-jobs').expect(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="cmdb"');
    expect(missing.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.stringContaining('Bearer') });
    const malformed = await t.raw.get('/sync-jobs').set('Authorization', `Basic ${Buffer.from('a:b').toString('base64')}`).expect(401);
    expect(malformed.body.message).toContain('Bearer <token>');
    const forbidden = await t.raw.post('/secrets').set('Authorization', `Bearer ${tokens.get('viewer')}`).send({}).expect(403);
    expect(forbidden.body).toMatchObject({ statusCode: 403, message: expect.stringContaining('admin role') });
    expect(forbidden.body.request_id).toBe(forbidden.headers['x-request-id']);
  });

  it('accepts the scheme name in any case, as RFC 7235 has it', async () => {
    await t.raw.get('/sync-jobs').set('Authorization', `bearer ${tokens.get('viewer')}`).expect(200);
  });

  it('declares the bearer scheme in the OpenAPI document: required everywhere but on the health probes', async () => {
    const { body: document } = await t.http.get('/docs-json').expect(200);
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/healthz'].get.security).toEqual([{}]);
    expect(document.paths['/readyz'].get.security).toEqual([{}]);
    expect(document.paths['/secrets'].post.security).toBeUndefined(); // inherits the document's requirement
  });
});
