import type { IncomingHttpHeaders } from 'node:http';
import { EcsClient, BasicCredentials, ListServersDetailsRequest } from '../../../src/providers/huawei/huawei-sdk';
import { readBody, startHttpServer, type RunningHttpServer } from '../common/http';
import { verifySignature, type SignedRequest } from './huawei-signature';

/** The simulator's signature check, fed with requests the real SDK put on the wire. */
describe('Huawei simulator signature check', () => {
  let server: RunningHttpServer;
  let captured: SignedRequest[] = [];

  beforeAll(async () => {
    server = await startHttpServer(async (req, res) => {
      const body = await readBody(req);
      captured.push({ method: req.method!, url: req.url!, headers: req.headers as IncomingHttpHeaders, body });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"count":0,"servers":[]}');
    });
  });
  afterAll(() => server.close());
  beforeEach(() => (captured = []));

  async function sdkRequest(request: ListServersDetailsRequest): Promise<SignedRequest> {
    const client = EcsClient.newBuilder()
      .withCredential(new BasicCredentials().withAk('AK-SIGN').withSk('SK-SIGN').withProjectId('p1'))
      .withEndpoint(server.url)
      .withOptions({ customUserAgent: 'cmdb' })
      .build();
    await client.listServersDetails(request);
    expect(captured).toHaveLength(1);
    return captured[0];
  }
  const secrets = (key: string) => (key === 'AK-SIGN' ? 'SK-SIGN' : undefined);
  const signedAt = (request: SignedRequest) => {
    const date = String(request.headers['x-sdk-date']);
    return Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8), +date.slice(9, 11), +date.slice(11, 13), +date.slice(13, 15));
  };

  it('accepts what the SDK signs, including a query that needs encoding', async () => {
    const request = await sdkRequest(new ListServersDetailsRequest().withOffset(1).withLimit(1000).withName('web 01 (业务)*'));
    expect(request.url).toContain('/v1/p1/cloudservers/detail?');
    expect(verifySignature(request, secrets, signedAt(request))).toEqual({ ok: true, accessKey: 'AK-SIGN' });
  });

  it('rejects a wrong secret, an unknown key and a request changed after signing', async () => {
    const request = await sdkRequest(new ListServersDetailsRequest().withOffset(1).withLimit(1000));
    const now = signedAt(request);
    expect(verifySignature(request, () => 'another-secret', now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(request, () => undefined, now)).toEqual({ ok: false, reason: 'unknown-key' });
    const tampered = { ...request, url: request.url.replace('offset=1', 'offset=2') };
    expect(verifySignature(tampered, secrets, now)).toEqual({ ok: false, reason: 'mismatch' });
    const otherHost = { ...request, headers: { ...request.headers, host: '127.0.0.1:1' } };
    expect(verifySignature(otherHost, secrets, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts an X-Sdk-Date up to 15 minutes away and rejects one beyond', async () => {
    const request = await sdkRequest(new ListServersDetailsRequest().withLimit(1));
    const at = signedAt(request);
    const minute = 60_000;
    expect(verifySignature(request, secrets, at + 14 * minute).ok).toBe(true);
    expect(verifySignature(request, secrets, at - 14 * minute).ok).toBe(true);
    expect(verifySignature(request, secrets, at + 16 * minute)).toEqual({ ok: false, reason: 'expired' });
    expect(verifySignature(request, secrets, at - 16 * minute)).toEqual({ ok: false, reason: 'expired' });
  });
});
