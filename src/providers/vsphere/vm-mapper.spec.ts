import { inventoryName, ipScope, toHostRecord } from './vm-mapper';

describe('vm-mapper', () => {
  it.each([
    ['10.0.0.1', 'private'],
    ['172.16.5.1', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['8.8.8.8', 'public'],
    ['169.254.10.1', 'ignored'],
    ['127.0.0.1', 'ignored'],
    ['fe80::250:56ff:fe00:1', 'ignored'],
    ['fd12::1', 'private'],
    ['2001:db8::1', 'public'],
  ])('classifies %s as %s', (address, scope) => {
    expect(ipScope(address)).toBe(scope);
  });

  it('unescapes the characters vSphere escapes in inventory names', () => {
    expect(inventoryName('web%2f01 %5c 100%25')).toBe('web/01 \\ 100%');
  });

  it('maps a powered-off VM without guest info, and falls back to the MoRef without an instanceUuid', () => {
    const record = toHostRecord({
      obj: { type: 'VirtualMachine', value: 'vm-42' },
      datacenter: 'DC-1',
      props: {
        'summary.config': { name: 'db-01', template: 'false', numCpu: '4', memorySizeMB: '8192', guestId: 'windows2019srv_64Guest' },
        'runtime.powerState': 'poweredOff',
        'guest.net': [],
      },
    });
    expect(record).toMatchObject({
      instanceId: 'vm-42',
      name: 'db-01',
      region: 'DC-1',
      status: 'stopped',
      rawStatus: 'poweredOff',
      cpu: 4,
      memoryMib: 8192,
      osType: 'windows',
      osName: null,
      hostname: null,
      privateIps: [],
      publicIps: [],
      createdAt: null,
    });
  });

  it('keeps an unknown power state as unknown, with its raw word', () => {
    const record = toHostRecord({
      obj: { type: 'VirtualMachine', value: 'vm-43' },
      datacenter: 'DC-1',
      props: { 'summary.config': { name: 'x', instanceUuid: 'u-1' }, 'runtime.powerState': 'hibernating' },
    });
    expect(record).toMatchObject({ instanceId: 'u-1', status: 'unknown', rawStatus: 'hibernating' });
  });
});
