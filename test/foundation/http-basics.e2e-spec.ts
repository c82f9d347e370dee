import { startTestApp, TestApp } from '../support/test-app';

describe('HTTP basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers liveness and readiness, naming the database', async () => {
    await t.http.get('/healthz').expect(200, { status: 'ok' });
    const ready = await t.http.get('/readyz').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', database: { status: 'up', kind: t.database.kind } });
  });

  it('gives every response a request id, and keeps a sane one the client sent', async () => {
    const generated = await t.http.get('/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await t.http.get('/healthz').set('X-Request-Id', 'trace-123');
    expect(given.headers['x-request-id']).toBe('trace-123');
    const hostile = await t.http.get('/healthz').set('X-Request-Id', 'bad id\twith spaces');
    expect(hostile.headers['x-request-id']).not.toContain(' ');
  });

  it('answers an unknown route with the common error body', async () => {
    const response = await t.http.get('/no-such-thing').expect(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: expect.any(String),
      request_id: response.headers['x-request-id'],
    });
  });

  it('answers malformed JSON with a 400 in the common error body', async () => {
    const response = await t.http
      .post('/healthz')
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
    expect(response.body.request_id).toBe(response.headers['x-request-id']);
  });

  it('writes structured JSON log lines carrying the request id', async () => {
    const response = await t.http.get('/healthz').set('X-Request-Id', 'log-check-1');
    const line = t.logs.map((text) => JSON.parse(text)).find((entry) => entry.req?.id === 'log-check-1');
    expect(line).toMatchObject({ req: { id: 'log-check-1', method: 'GET', url: '/healthz' }, res: { statusCode: 200 } });
    expect(response.status).toBe(200);
  });

  it('serves the OpenAPI document and its UI', async () => {
    const document = await t.http.get('/docs-json').expect(200);
    expect(document.body.openapi).toMatch(/^3\./);
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
    await t.http.get('/docs').expect(200).expect('Content-Type', /html/);
  });

  it('exposes Prometheus metrics counting requests by route pattern', async () => {
    await t.http.get('/healthz');
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/cmdb_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(metrics.text).toContain('cmdb_http_request_duration_seconds_bucket');
  });
});
