import type { ProviderRuntime } from '../common/provider-runtime';
import type { CloudProvider, ListOptions, ProviderCredentials, ResourcePage, ResourceRecord, ResourceType } from '../provider';
import { ProviderError } from '../provider-error';
import { TencentClients, callTencent, type TencentScope } from './tencent-client';
import { tencentDatabasePages, tencentHostPages, tencentInstance } from './tencent-pagers';

/** Tencent Cloud CVM hosts and CDB (MySQL) databases, one region per scope. */
export class TencentProvider implements CloudProvider {
  readonly vendor = 'tencent' as const;
  readonly needsRegion = true;
  readonly resourceTypes: readonly ResourceType[] = ['host', 'rds'];
  private readonly clients: TencentClients;

  constructor(private readonly runtime: ProviderRuntime) {
    this.clients = new TencentClients(runtime.policy.timeoutMs, runtime.policy.maxResponseBytes);
  }

  dispose(): void {
    this.clients.destroyAll();
  }

  list(credentials: ProviderCredentials, resourceType: ResourceType, options: ListOptions): AsyncIterable<ResourcePage> {
    const scope = this.scope(credentials, options.region, options.signal);
    return resourceType === 'host' ? tencentHostPages(scope) : tencentDatabasePages(scope);
  }

  async verify(credentials: ProviderCredentials, region: string | null): Promise<void> {
    await callTencent(this.scope(credentials, region), 'cvm', 'DescribeInstances', { Offset: 0, Limit: 1 });
  }

  get(credentials: ProviderCredentials, resourceType: ResourceType, region: string, instanceId: string): Promise<ResourceRecord | null> {
    return tencentInstance(this.scope(credentials, region), resourceType, instanceId);
  }

  private scope(credentials: ProviderCredentials, region: string | null, signal?: AbortSignal): TencentScope {
    if (!region) {
      throw new ProviderError({ vendor: 'tencent', code: 'InvalidScope', message: 'a Tencent Cloud scope needs a region', retryable: false });
    }
    return { runtime: this.runtime, clients: this.clients, credentials, region, signal };
  }
}
