import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cappedAgent } from './capped-agent';
import { RESPONSE_TOO_LARGE_CODE } from './response-limit';

describe('cappedAgent', () => {
  let server: http.Server;
  let port: number;
  const connections = new Set<unknown>();

  beforeAll(async () => {
    // GET /<n> answers a body of n bytes.
    server = http.createServer((req, res) => {
      const body = 'x'.repeat(Number((req.url ?? '/0').slice(1)));
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
    server.on('connection', (socket) => connections.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A GET whose body is read `readAfterMs` after the answer began (as pop-core's httpx does, a few ticks later). */
  const get = (agent: http.Agent, bytes: number, readAfterMs = 0) =>
    new Promise<number>((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port, path: `/${bytes}`, agent }, (response) => {
        setTimeout(() => {
          let size = 0;
          response.on('data', (chunk: Buffer) => (size += chunk.length));
          response.on('end', () => resolve(size));
          response.on('error', reject);
        }, readAfterMs);
      });
      request.on('error', () => undefined); // the body's reader gets the cut
    });

  it('reads answers under the cap over one kept-alive socket, counting each request afresh', async () => {
    const agent = cappedAgent(false, 10_000, { keepAlive: true });
    for (let i = 0; i < 5; i++) expect(await get(agent, 6_000)).toBe(6_000);
    expect(connections.size).toBe(1);
    agent.destroy();
  });

  it('fails an answer past the cap with its code, whether the body is read at once or later, and serves the next one', async () => {
    const agent = cappedAgent(false, 10_000, { keepAlive: true });
    await expect(get(agent, 200_000)).rejects.toMatchObject({ code: RESPONSE_TOO_LARGE_CODE, limitBytes: 10_000 });
    await expect(get(agent, 200_000, 20)).rejects.toMatchObject({ code: RESPONSE_TOO_LARGE_CODE });
    expect(await get(agent, 6_000)).toBe(6_000);
    agent.destroy();
  });
});
