import type { ResourceType, Vendor } from '../../src/providers/provider';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { HuaweiSimulator } from '../simulators/huawei/huawei.simulator';
import { TencentSimulator } from '../simulators/tencent/tencent-simulator';
import { VsphereSimulator } from '../simulators/vsphere/vsphere-simulator';
import { uuidFor } from '../simulators/common/generator';
import type { CloudSimulator } from '../simulators/common/simulator';

/** How a test reaches one vendor's simulator through the real API. */
export interface VendorCase {
  vendor: Vendor;
  resourceTypes: ResourceType[];
  /** The largest page the provider asks for, per resource type: tests seed enough for several pages. */
  pageSize: Partial<Record<ResourceType, number>>;
  /** The region a test syncs (null: vSphere's whole vCenter) and what the generator calls it. */
  region: string | null;
  generatorRegion: string;
  start(): Promise<CloudSimulator>;
  /** The instance id the provider stores for a simulated item (vSphere uses the VM's instance uuid). */
  instanceIdOf(simulatedId: string): string;
  /** POST /secrets body reaching the simulator with the given credentials. */
  secretBody(simulator: CloudSimulator, apiKey: string, apiSecret: string): Record<string, unknown>;
}

export const VENDOR_CASES: VendorCase[] = [
  {
    vendor: 'aliyun',
    resourceTypes: ['host', 'rds'],
    pageSize: { host: 100, rds: 100 },
    region: 'cn-hangzhou',
    generatorRegion: 'cn-hangzhou',
    start: () => AliyunSimulator.start(),
    instanceIdOf: (id) => id,
    secretBody: (simulator, apiKey, apiSecret) => ({
      vendor: 'aliyun',
      api_key: apiKey,
      api_secret: apiSecret,
      allow_regions: ['cn-hangzhou', 'cn-shanghai'],
      address: simulator.address,
      request_rate: 100,
    }),
  },
  {
    vendor: 'huawei',
    resourceTypes: ['host', 'rds'],
    pageSize: { host: 1000, rds: 100 },
    region: 'cn-north-4',
    generatorRegion: 'cn-north-4',
    start: () => HuaweiSimulator.start(),
    instanceIdOf: (id) => id,
    // No project_ids: the provider looks the project up through IAM.
    secretBody: (simulator, apiKey, apiSecret) => ({
      vendor: 'huawei',
      api_key: apiKey,
      api_secret: apiSecret,
      allow_regions: ['*'],
      address: simulator.address,
      request_rate: 100,
    }),
  },
  {
    vendor: 'tencent',
    resourceTypes: ['host', 'rds'],
    pageSize: { host: 100, rds: 2000 },
    region: 'ap-guangzhou',
    generatorRegion: 'ap-guangzhou',
    start: () => TencentSimulator.start(),
    instanceIdOf: (id) => id,
    secretBody: (simulator, apiKey, apiSecret) => ({
      vendor: 'tencent',
      api_key: apiKey,
      api_secret: apiSecret,
      allow_regions: ['ap-guangzhou'],
      address: simulator.address,
      request_rate: 100,
    }),
  },
  {
    vendor: 'vsphere',
    resourceTypes: ['host'],
    pageSize: { host: 1000 },
    region: null,
    generatorRegion: 'DC-Shanghai',
    start: () => VsphereSimulator.start(),
    instanceIdOf: uuidFor,
    secretBody: (simulator, apiKey, apiSecret) => ({
      vendor: 'vsphere',
      api_key: apiKey,
      api_secret: apiSecret,
      address: simulator.address,
      tls: { ca: (simulator as VsphereSimulator).caPem },
      request_rate: 100,
    }),
  },
];
