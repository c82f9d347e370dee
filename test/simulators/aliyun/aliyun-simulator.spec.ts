import RPCClient from '@alicloud/pop-core';
import { generateHosts } from '../common/generator';
import { aliyunEncode, aliyunSignature } from './aliyun-signature';
import { AliyunSimulator } from './aliyun-simulator';

// pop-core's nonce source; it ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kitx = require('kitx') as { makeNonce(): string };

const KEY = 'LTAI5tSimulatorKey';
const SECRET = 'sim/secret+with=odd!chars*()';

interface EcsPage {
  TotalCount: number;
  PageNumber: number;
  PageSize: number;
  Instances: { Instance: { InstanceId: string }[] };
}

describe('AliyunSimulator, seen through the real pop-core SDK', () => {
  let simulator: AliyunSimulator;
  let client: RPCClient;

  beforeAll(async () => {
    simulator = await AliyunSimulator.start();
    const account = simulator.addAccount(KEY, SECRET);
    for (const host of generateHosts('aliyun', 45, { seed: 9, regions: ['cn-shanghai'] })) account.hosts.set(host.id, host);
    client = new RPCClient({ accessKeyId: KEY, accessKeySecret: SECRET, endpoint: simulator.address, apiVersion: '2014-05-26' });
  });
  afterAll(() => simulator.stop());
  afterEach(() => jest.restoreAllMocks());

  it('answers the GET form and the POST form alike, with the vendor default page size of 10', async () => {
    const viaGet = await client.request<EcsPage>('DescribeInstances', { RegionId: 'cn-shanghai' });
    const viaPost = await client.request<EcsPage>('DescribeInstances', { RegionId: 'cn-shanghai' }, { method: 'POST' });
    expect(viaGet.Instances.Instance).toHaveLength(10);
    expect(viaPost.Instances.Instance.map((i) => i.InstanceId)).toEqual(viaGet.Instances.Instance.map((i) => i.InstanceId));
    expect(viaGet).toMatchObject({ TotalCount: 45, PageNumber: 1, PageSize: 10 });
  });

  it('signs flattened list parameters with non-ASCII values correctly', async () => {
    const page = await client.request<EcsPage>(
      'DescribeInstances',
      { RegionId: 'cn-shanghai', PageNumber: 5, PageSize: 10, Tag: [{ Key: 'env name', Value: '生产 (prod)*' }] },
      { method: 'POST' },
    );
    expect(page.Instances.Instance).toHaveLength(5);
  });

  it('rejects a PageSize above 100', async () => {
    const error = await client
      .request('DescribeInstances', { RegionId: 'cn-shanghai', PageSize: 101 }, { method: 'POST' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidParameter' });
  });

  it('rejects a replayed SignatureNonce', async () => {
    jest.spyOn(kitx, 'makeNonce').mockReturnValue('fixed-nonce-for-replay');
    await client.request('DescribeInstances', { RegionId: 'cn-shanghai' }, { method: 'POST' });
    const error = await client.request('DescribeInstances', { RegionId: 'cn-shanghai' }, { method: 'POST' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SignatureNonceUsed' });
  });

  it('rejects a correctly signed request whose timestamp is 20 minutes old', async () => {
    const params = new Map<string, string>([
      ['Action', 'DescribeInstances'],
      ['Version', '2014-05-26'],
      ['Format', 'JSON'],
      ['RegionId', 'cn-shanghai'],
      ['AccessKeyId', KEY],
      ['SignatureMethod', 'HMAC-SHA1'],
      ['SignatureVersion', '1.0'],
      ['SignatureNonce', 'stale-request'],
      ['Timestamp', new Date(Date.now() - 20 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')],
    ]);
    params.set('Signature', aliyunSignature('POST', params, SECRET));
    const body = [...params].map(([k, v]) => `${aliyunEncode(k)}=${aliyunEncode(v)}`).join('&');
    const response = await fetch(simulator.address + '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ Code: 'InvalidTimeStamp.Expired' });
  });

  it('serves RDS on the same endpoint, told apart by Version', async () => {
    const rds = new RPCClient({ accessKeyId: KEY, accessKeySecret: SECRET, endpoint: simulator.address, apiVersion: '2014-08-15' });
    const page = await rds.request<Record<string, unknown>>('DescribeDBInstances', { RegionId: 'cn-shanghai' }, { method: 'POST' });
    expect(page).toMatchObject({ Items: { DBInstance: [] }, TotalRecordCount: 0, PageNumber: 1 });
  });
});
