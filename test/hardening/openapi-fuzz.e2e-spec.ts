import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Property-based fuzz of every route in the app's own OpenAPI document, with
 * each role: whatever the body, query or path, the answer is never a 5xx, the
 * server stays alive, and a refused request stores nothing.
 */

/** Per route: enough to meet each kind of bad input several times, and the whole file stays under a minute on PGlite. */
const RUNS_PER_ROUTE = 30;

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  example?: unknown;
  default?: unknown;
  required?: string[];
  minimum?: number;
  maximum?: number;
};
type Parameter = { name: string; in: 'path' | 'query' | 'header'; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
};
type Role = 'anonymous' | 'viewer' | 'operator' | 'admin';

/** Text known to have broken a route once, next to arbitrary strings. */
const NASTY_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '0 0 31 2 *',
  '* * * * * *',
  '2026-W01',
  '2026-02-30',
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '-1',
  '1e309',
  'NaN',
  '%',
  '../..',
  "' OR 1=1 --",
  'x'.repeat(5000),
  '[object Object]',
  'cn-hangzhou',
  'off',
  '@hourly',
];
const anyText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_TEXT) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, -1, 0, 2 ** 31, 1.5, [], {}, [null]) },
  { weight: 2, arbitrary: anyText },
);

/** Raw bodies a JSON encoder would never write. */
const RAW_BODIES: Array<{ type: string; text: string }> = [
  { type: 'application/json', text: '{' },
  { type: 'application/json', text: `{"name":${'['.repeat(4000)}${']'.repeat(4000)}}` },
  { type: 'application/json', text: `${'{"a":'.repeat(40)}1${'}'.repeat(40)}` },
  { type: 'application/json', text: '"\\u0000"' },
  { type: 'application/json', text: '{"name":"\\ud800","role":"viewer"}' },
  { type: 'application/x-www-form-urlencoded', text: 'name=%00&role=admin' },
  { type: 'application/x-www-form-urlencoded', text: 'a[b][c][d][e][f][g][h]=1&name[]=x' },
  { type: 'text/plain', text: 'hello' },
];

/** Percent-encodes every UTF-8 byte (a lone surrogate becomes U+FFFD, as a browser sends it). */
const encode = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((byte) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`)).join('');

describe('fuzzing every route of the OpenAPI document', () => {
  let t: TestApp;
  let database: DataSource;
  let tokens: Record<Role, string | null>;
  let schemas: Record<string, Schema>;
  let secretId: string;

  const secretBody = () => ({
    name: `fuzz-${Math.random().toString(36).slice(2)}`,
    vendor: 'aliyun',
    api_key: 'LTAI5tFuzzFuzzFuzz',
    api_secret: 'fuzz-secret',
    allow_regions: ['cn-hangzhou'],
    // Nothing listens there: a sync that gets through fails fast.
    address: 'http://127.0.0.1:1',
  });
  const resolve = (schema: Schema | undefined): Schema => {
    if (!schema) return {};
    if (schema.$ref) return resolve(schemas[schema.$ref.replace('#/components/schemas/', '')]);
    if (schema.allOf) return Object.assign({}, ...schema.allOf.map(resolve));
    return schema;
  };
  /** Mostly values of the declared type (so requests get past the first check and reach the service), sometimes anything. */
  const valueOf = (raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> => {
    const schema = resolve(raw);
    const known = [schema.example, schema.default].filter((value) => value !== undefined);
    let typed: fc.Arbitrary<unknown>;
    if (schema.enum) typed = fc.constantFrom(...schema.enum);
    else if (schema.type === 'integer') typed = fc.integer({ min: schema.minimum ?? -5, max: schema.maximum ?? 1000 });
    else if (schema.type === 'number') typed = fc.double();
    else if (schema.type === 'boolean') typed = fc.boolean();
    else if (schema.type === 'array') typed = fc.array(valueOf(schema.items, depth + 1), { maxLength: 3 });
    else if (schema.type === 'object' && schema.properties && depth < 3) typed = objectOf(schema, depth + 1);
    else typed = fc.oneof({ weight: 2, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/) }, { weight: 1, arbitrary: anyText });
    if (known.length > 0) typed = fc.oneof(typed, fc.constantFrom(...known));
    return fc.oneof({ weight: 8, arbitrary: typed }, { weight: 1, arbitrary: anyJson });
  };
  /** Required properties mostly there, optional ones mostly left out: a request then often differs from a valid one in a field or two. */
  const objectOf = (schema: Schema, depth: number) =>
    fc.record(
      Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, property]) => [
          name,
          fc.oneof(
            { weight: schema.required?.includes(name) ? 1 : 4, arbitrary: fc.constant(undefined) },
            { weight: schema.required?.includes(name) ? 12 : 2, arbitrary: valueOf(property, depth) },
          ),
        ]),
      ),
    );
  const bodyOf = (operation: Operation): fc.Arbitrary<{ json?: unknown; raw?: { type: string; text: string } } | null> => {
    const schema = operation.requestBody?.content?.['application/json']?.schema;
    const structured = schema ? objectOf(resolve(schema), 0) : fc.constant({});
    return fc.oneof(
      { weight: 6, arbitrary: structured.map((json) => ({ json })) },
      { weight: 1, arbitrary: fc.dictionary(anyText, anyJson, { maxKeys: 3 }).map((json) => ({ json })) },
      { weight: 1, arbitrary: anyJson.map((json) => ({ json })) },
      { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES).map((raw) => ({ raw })) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  };
  const queryOf = (operation: Operation) => {
    const parameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query');
    const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');
    return fc
      .tuple(
        objectOf({ properties: Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter.schema ?? {}])) }, 0),
        fc.oneof({ weight: 5, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.dictionary(anyText, anyText, { maxKeys: 2 }) }),
        fc.oneof({ weight: 5, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('&%', '&a[b][c][d][e][f][g]=1', '&limit=%FF', '&cursor=%E0%A4%A') }),
      )
      .map(([declared, extra, tail]) => {
        const pairs = Object.entries({ ...declared, ...extra }).flatMap(([name, value]) =>
          value === undefined ? [] :
          (Array.isArray(value) ? value : [value]).map((item) => `${encode(name)}=${encode(asText(item))}`),
        );
        return pairs.join('&') + tail;
      });
  };
  /** Nothing a refused request may change: secrets, tokens (but their last use), jobs and the audit log. */
  const storedState = async () =>
    (
      await database.query(`SELECT
         (SELECT md5(coalesce(string_agg(s::text, ',' ORDER BY s.id), '')) FROM secrets s) AS secrets,
         (SELECT md5(coalesce(string_agg(concat_ws('|', id, name, role, expires_at), ',' ORDER BY id), '')) FROM api_tokens) AS tokens,
         (SELECT count(*) FROM sync_jobs) AS jobs,
         (SELECT count(*) FROM inbox_events) AS inbox,
         -- A refused webhook is audited on purpose (who tried to push what): it is the one write a refusal makes.
         (SELECT count(*) FROM audit_log WHERE action <> 'webhook.rejected') AS audit`)
    )[0];

  beforeAll(async () => {
    t = await startTestApp({ CMDB_SYNC_SCHEDULE: 'off', CMDB_VENDOR_MAX_ATTEMPTS: '1', CMDB_VENDOR_TIMEOUT_MS: '2000', CMDB_AUTH_FAILURES_PER_MINUTE: '1000000' });
    database = t.app.get(DataSource);
    tokens = { anonymous: null, viewer: await t.createToken('viewer'), operator: await t.createToken('operator'), admin: t.adminToken };
    secretId = (await t.http.post('/secrets').send(secretBody()).expect(201)).body.id;
  });
  afterAll(() => t.close());

  it('never answers 5xx, stays alive, and stores nothing for a refused request', async () => {
    const document = (await t.http.get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
    schemas = document.components.schemas;
    // A stream (GET /watch) answers until the client leaves: its bad input is tested in test/changes/watch.e2e-spec.ts.
    const operations = Object.entries(document.paths)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })))
      .filter(({ operation }) => !Object.values(operation.responses ?? {}).some((response) => response.content?.['text/event-stream']));
    expect(operations.length).toBeGreaterThan(15);
    let requests = 0;

    for (const { path, method, operation } of operations) {
      const pathParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
      const pathValue = fc.oneof(
        { weight: 3, arbitrary: fc.constant<string | null>(null) }, // the live secret
        { weight: 1, arbitrary: fc.uuid() },
        { weight: 1, arbitrary: anyText },
      );
      const requestShape = fc.record({
        // Mostly admin: the other roles stop at the guard on half the routes.
        role: fc.oneof(fc.constantFrom<Role>('anonymous', 'viewer', 'operator'), fc.constant<Role>('admin')),
        params: fc.tuple(...pathParameters.map(() => pathValue)),
        query: queryOf(operation),
        body: bodyOf(operation),
      });
      await fc.assert(
        fc.asyncProperty(requestShape, async ({ role, params, query, body }) => {
          let url = path;
          pathParameters.forEach((parameter, i) => (url = url.replace(`{${parameter.name}}`, encode(params[i] ?? secretId))));
          if (query) url += `?${query}`;
          const before = await storedState();
          let call = t.raw[method as 'get'](url);
          if (tokens[role]) call = call.set('Authorization', `Bearer ${tokens[role]}`);
          const raw = body?.raw ?? (body && method !== 'get' && method !== 'delete' ? { type: 'application/json', text: JSON.stringify(body.json) } : null);
          if (raw) call = call.set('content-type', raw.type).send(raw.text);
          const response = await call;
          requests++;
          if (response.status >= 500) throw new Error(`${method.toUpperCase()} ${url} as ${role} answered ${response.status}: ${response.text}`);
          if (response.status >= 400) expect(await storedState()).toEqual(before);
          if (method === 'delete' && path === '/secrets/{id}' && response.status === 204) {
            secretId = (await t.http.post('/secrets').send(secretBody()).expect(201)).body.id;
          }
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
      await t.raw.get('/healthz').expect(200);
    }
    expect(requests).toBe(operations.length * RUNS_PER_ROUTE);
  }, 300_000);
});
