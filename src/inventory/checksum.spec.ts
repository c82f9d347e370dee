import type { HostRecord } from '../providers/provider';
import { canonicalJson, recordChecksum } from './checksum';
import { RESOURCE_KINDS } from './resource-columns';

const host: HostRecord = {
  kind: 'host', vendor: 'aliyun', instanceId: 'i-1', name: 'web-1', hostname: 'web-1', region: 'cn-hangzhou', zone: 'cn-hangzhou-h',
  status: 'running', rawStatus: 'Running', chargeType: 'postpaid', createdAt: '2026-01-01T00:00:00.000Z', expireAt: null,
  privateIps: ['10.0.0.1'], publicIps: [], vpcId: 'vpc-1', subnetId: 'vsw-1', tags: { env: 'prod', team: 'infra' },
  instanceType: 'ecs.g7.large', cpu: 2, memoryMib: 8192, osName: 'Ubuntu 22.04', osType: 'linux', imageId: 'img-1', securityGroups: ['sg-1'],
  raw: { RequestId: 'a' },
};

describe('recordChecksum', () => {
  const sum = (record: HostRecord) => recordChecksum(RESOURCE_KINDS.host, record);

  it('ignores the raw payload and the order of tag keys', () => {
    expect(sum({ ...host, raw: { RequestId: 'b', Extra: 1 } })).toBe(sum(host));
    expect(sum({ ...host, tags: { team: 'infra', env: 'prod' } })).toBe(sum(host));
  });

  it('changes with every tracked field', () => {
    const changes: Partial<HostRecord>[] = [
      { name: 'web-2' }, { status: 'stopped' }, { cpu: 4 }, { memoryMib: null }, { privateIps: ['10.0.0.2'] },
      { tags: { env: 'dev', team: 'infra' } }, { expireAt: '2027-01-01T00:00:00.000Z' }, { securityGroups: [] },
    ];
    const sums = new Set([sum(host), ...changes.map((change) => sum({ ...host, ...change }))]);
    expect(sums.size).toBe(changes.length + 1);
  });

  it('does not confuse a value moving between neighbouring columns', () => {
    expect(sum({ ...host, vpcId: 'a', subnetId: null })).not.toBe(sum({ ...host, vpcId: null, subnetId: 'a' }));
  });

  it('writes canonical JSON with sorted keys', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}');
  });
});
