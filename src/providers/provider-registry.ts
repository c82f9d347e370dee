import { NotImplementedException } from '@nestjs/common';
import type { CloudProvider, Vendor } from './provider';
import { ProviderRuntime } from './common/provider-runtime';
import { AliyunProvider } from './aliyun/aliyun.provider';
import { HuaweiProvider } from './huawei/huawei.provider';
import { TencentProvider } from './tencent/tencent.provider';
import { VsphereProvider } from './vsphere/vsphere.provider';

/** Vendor -> adapter. Adding a vendor is one folder under providers/ and one line here. */
export class ProviderRegistry {
  private readonly providers = new Map<Vendor, CloudProvider>();

  constructor(providers: CloudProvider[]) {
    for (const provider of providers) this.providers.set(provider.vendor, provider);
  }

  dispose(): void {
    for (const provider of this.providers.values()) provider.dispose?.();
  }

  get(vendor: Vendor): CloudProvider {
    const provider = this.providers.get(vendor);
    if (!provider) throw new NotImplementedException(`no provider for vendor ${vendor}`);
    return provider;
  }
}

export function createProviderRegistry(runtime: ProviderRuntime): ProviderRegistry {
  return new ProviderRegistry([
    new AliyunProvider(runtime),
    new TencentProvider(runtime),
    new HuaweiProvider(runtime),
    new VsphereProvider(runtime),
  ]);
}
