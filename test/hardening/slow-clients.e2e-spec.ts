import { connect } from 'node:net';
import { validateEnvironment } from '../../src/config/environment';
import { startTestApp, TestApp } from '../support/test-app';

/** What a client that sends `start`, then `drip` every 100 ms, receives before the server closes the connection. */
function trickle(port: number, start: string, drip: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const dripping = setInterval(() => socket.write(drip), 100);
    socket.write(start);
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', (error) => {
      clearInterval(dripping);
      reject(error);
    });
    socket.on('close', () => {
      clearInterval(dripping);
      resolve(received);
    });
  });
}

describe('slow clients are cut off', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp({ CMDB_HTTP_HEADERS_TIMEOUT_MS: '1000', CMDB_HTTP_REQUEST_TIMEOUT_MS: '2000' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as { port: number }).port;
  });
  afterAll(() => t.close());

  it('answers 408 and closes a connection whose headers never end', async () => {
    const received = await trickle(port, 'GET /healthz HTTP/1.1\r\nHost: cmdb\r\n', 'X-Drip: 1\r\n');
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers 408 and closes a connection whose body never ends', async () => {
    const received = await trickle(
      port,
      `POST /tokens HTTP/1.1\r\nHost: cmdb\r\nAuthorization: Bearer ${t.adminToken}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"name":"`,
      'a',
    );
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('serves a client that sends its request in time', async () => {
    await t.http.post('/tokens').send({ name: 'prompt', role: 'viewer' }).expect(201);
  });

  it('refuses a request timeout shorter than the headers timeout at start-up', () => {
    expect(() => validateEnvironment({ CMDB_HTTP_HEADERS_TIMEOUT_MS: '20000', CMDB_HTTP_REQUEST_TIMEOUT_MS: '5000' })).toThrow(/CMDB_HTTP_REQUEST_TIMEOUT_MS/);
    expect(validateEnvironment({})).toMatchObject({ CMDB_HTTP_HEADERS_TIMEOUT_MS: 10_000, CMDB_HTTP_REQUEST_TIMEOUT_MS: 30_000 });
  });
});
