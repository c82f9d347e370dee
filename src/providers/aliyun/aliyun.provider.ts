import type { ProviderRuntime } from '../common/provider-runtime';
import type { CloudProvider, ListOptions, ProviderCredentials, ResourcePage, ResourceRecord, ResourceType } from '../provider';
import { ProviderError } from '../provider-error';
import { AliyunClients, callAliyun, type AliyunScope } from './aliyun-client';
import { aliyunDatabasePages, aliyunHostPages, aliyunInstance } from './aliyun-pagers';

/** Aliyun ECS hosts and RDS databases, one region per scope. */
export class AliyunProvider implements CloudProvider {
  readonly vendor = 'aliyun' as const;
  readonly needsRegion = true;
  readonly resourceTypes: readonly ResourceType[] = ['host', 'rds'];
  private readonly clients: AliyunClients;

  constructor(private readonly runtime: ProviderRuntime) {
    this.clients = new AliyunClients(runtime.policy.maxResponseBytes);
  }

  dispose(): void {
    this.clients.destroyAll();
  }

  list(credentials: ProviderCredentials, resourceType: ResourceType, options: ListOptions): AsyncIterable<ResourcePage> {
    const scope = this.scope(credentials, options.region, options.signal);
    return resourceType === 'host' ? aliyunHostPages(scope) : aliyunDatabasePages(scope);
  }

  async verify(credentials: ProviderCredentials, region: string | null): Promise<void> {
    const scope = this.scope(credentials, region);
    await callAliyun(scope, 'ecs', 'DescribeInstances', { RegionId: scope.region, PageNumber: 1, PageSize: 1 });
  }

  get(credentials: ProviderCredentials, resourceType: ResourceType, region: string, instanceId: string): Promise<ResourceRecord | null> {
    return aliyunInstance(this.scope(credentials, region), resourceType, instanceId);
  }

  private scope(credentials: ProviderCredentials, region: string | null, signal?: AbortSignal): AliyunScope {
    if (!region) {
      throw new ProviderError({ vendor: 'aliyun', code: 'InvalidScope', message: 'an Aliyun scope needs a region', retryable: false });
    }
    return { runtime: this.runtime, clients: this.clients, credentials, region, signal };
  }
}
