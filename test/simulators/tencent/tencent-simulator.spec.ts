import * as http from 'node:http';
import Sign from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign';
import { generateHosts } from '../common/generator';
import { TencentSimulator } from './tencent-simulator';

const KEY = 'AKIDSimulatorSecretId';
const SECRET = 'simulator-secret-key';

interface Call {
  service?: string;
  /** Sign as this service while sending to `service`'s hostname (a forged scope). */
  signedService?: string;
  action?: string;
  version?: string;
  region?: string | null;
  payload?: Record<string, unknown>;
  timestamp?: number;
}

/**
 * One API 3.0 call signed by the SDK's own signer (not the simulator's), sent
 * with the Host header the SDK would send: `<service>.tencentcloudapi.com:PORT`.
 */
function call(simulator: TencentSimulator, options: Call): Promise<Record<string, unknown>> {
  const service = options.service ?? 'cvm';
  const signedService = options.signedService ?? service;
  const port = new URL(simulator.address).port;
  const body = JSON.stringify(options.payload ?? {});
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Host: `${service}.tencentcloudapi.com:${port}`,
    'X-TC-Action': options.action ?? 'DescribeInstances',
    'X-TC-Version': options.version ?? '2017-03-12',
    'X-TC-Timestamp': String(timestamp),
  };
  if (options.region !== null) headers['X-TC-Region'] = options.region ?? 'ap-guangzhou';
  headers.Authorization = Sign.sign3({
    method: 'POST',
    url: `http://${signedService}.tencentcloudapi.com:${port}/`,
    payload: options.payload ?? {},
    timestamp,
    service: signedService,
    secretId: KEY,
    secretKey: SECRET,
    multipart: false,
    boundary: '',
    headers,
  });
  return new Promise((resolve, reject) => {
    const request = http.request(simulator.address + '/', { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        expect(response.statusCode).toBe(200); // API 3.0 answers errors as HTTP 200 too
        resolve((JSON.parse(Buffer.concat(chunks).toString()) as { Response: Record<string, unknown> }).Response);
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('TencentSimulator, with requests signed by the SDK signer', () => {
  let simulator: TencentSimulator;

  beforeAll(async () => {
    simulator = await TencentSimulator.start();
    const account = simulator.addAccount(KEY, SECRET);
    for (const host of generateHosts('tencent', 45, { seed: 4, regions: ['ap-guangzhou'] })) account.hosts.set(host.id, host);
  });
  afterAll(() => simulator.stop());

  it('pages CVM instances by Offset with the vendor default Limit of 20', async () => {
    const first = await call(simulator, {});
    expect(first.TotalCount).toBe(45);
    expect(first.InstanceSet).toHaveLength(20);
    const last = await call(simulator, { payload: { Offset: 40, Limit: 100 } });
    expect(last.InstanceSet).toHaveLength(5);
  });

  it('filters by the X-TC-Region header', async () => {
    const other = await call(simulator, { region: 'ap-beijing' });
    expect(other).toMatchObject({ TotalCount: 0, InstanceSet: [] });
  });

  it('rejects a Limit above the CVM maximum of 100', async () => {
    const answer = await call(simulator, { payload: { Limit: 101 } });
    expect(answer.Error).toMatchObject({ Code: 'InvalidParameterValue' });
  });

  it('rejects a correctly signed request older than five minutes with AuthFailure.SignatureExpire', async () => {
    const answer = await call(simulator, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(answer.Error).toMatchObject({ Code: 'AuthFailure.SignatureExpire' });
    expect(answer.RequestId).toBeTruthy();
  });

  it('rejects a signature made for another service than the Host names', async () => {
    const answer = await call(simulator, { service: 'cdb', action: 'DescribeInstances' });
    expect(answer.Error).toMatchObject({ Code: 'InvalidAction' });
    const forged = await call(simulator, { service: 'cdb', signedService: 'cvm', action: 'DescribeDBInstances', version: '2017-03-20' });
    expect(forged.Error).toMatchObject({ Code: 'AuthFailure.SignatureFailure' });
  });

  it('serves CDB under its own service name and version', async () => {
    const answer = await call(simulator, { service: 'cdb', action: 'DescribeDBInstances', version: '2017-03-20' });
    expect(answer).toMatchObject({ TotalCount: 0, Items: [] });
  });
});
