import type { Vendor } from '../../src/providers/provider';
import { AliyunSimulator } from './aliyun/aliyun-simulator';
import type { CloudSimulator } from './common/simulator';
import { HuaweiSimulator } from './huawei/huawei.simulator';
import { TencentSimulator } from './tencent/tencent-simulator';
import { VsphereSimulator } from './vsphere/vsphere-simulator';

/** How to start each vendor's simulator on a free port (`npm run sim`, `npm run demo`). */
export const SIMULATOR_STARTERS: Record<Vendor, () => Promise<CloudSimulator>> = {
  aliyun: () => AliyunSimulator.start(),
  tencent: () => TencentSimulator.start(),
  huawei: () => HuaweiSimulator.start(),
  vsphere: () => VsphereSimulator.start(),
};
