import type { CloudProvider, ResourceType } from '../../src/providers/provider';
import { AliyunProvider } from '../../src/providers/aliyun/aliyun.provider';
import { HuaweiProvider } from '../../src/providers/huawei/huawei.provider';
import { TencentProvider } from '../../src/providers/tencent/tencent.provider';
import { generateDatabases, generateHosts } from '../simulators/common/generator';
import type { CloudSimulator } from '../simulators/common/simulator';
import { VENDOR_CASES } from '../support/vendor-matrix';
import { credentialsFor, testRuntime } from './listing-harness';

const PROVIDERS: Record<string, (runtime: ReturnType<typeof testRuntime>) => CloudProvider> = {
  aliyun: (runtime) => new AliyunProvider(runtime),
  tencent: (runtime) => new TencentProvider(runtime),
  huawei: (runtime) => new HuaweiProvider(runtime),
};

describe.each(VENDOR_CASES.filter((vendorCase) => vendorCase.vendor in PROVIDERS))('$vendor provider reads one resource by id', (vendorCase) => {
  let simulator: CloudSimulator;
  let provider: CloudProvider;
  const region = vendorCase.region!;

  beforeAll(async () => {
    simulator = await vendorCase.start();
    provider = PROVIDERS[vendorCase.vendor](testRuntime());
    const account = simulator.addAccount('get-key', 'get-secret');
    for (const host of generateHosts(vendorCase.vendor, 30, { seed: 7, regions: [region] })) account.hosts.set(host.id, host);
    for (const db of generateDatabases(vendorCase.vendor, 30, { seed: 7, regions: [region] })) account.databases.set(db.id, db);
  });
  afterAll(() => simulator.stop());

  it.each<ResourceType>(['host', 'rds'])('%s: the one asked for, and null once it is gone', async (resourceType) => {
    const account = simulator.account('get-key');
    const items = resourceType === 'host' ? account.hosts : account.databases;
    const wanted = [...items.values()][17];
    const credentials = credentialsFor(simulator, 'get-key', 'get-secret');

    const record = await provider.get!(credentials, resourceType, region, wanted.id);
    expect(record).toMatchObject({ kind: resourceType, instanceId: wanted.id, name: wanted.name, region });

    items.delete(wanted.id);
    await expect(provider.get!(credentials, resourceType, region, wanted.id)).resolves.toBeNull();
  });
});
