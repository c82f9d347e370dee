import type { CloudProvider, ListOptions, ProviderCredentials, ResourcePage, ResourceRecord, ResourceType } from '../provider';
import { ProviderError } from '../provider-error';
import type { ProviderRuntime } from '../common/provider-runtime';
import { createEcsClient } from './huawei-clients';
import { fetchServerPage, listHosts, readHost } from './huawei-host-pager';
import { HuaweiProjectIds } from './huawei-project-ids';
import { mapInstance, mapServer } from './huawei-mapper';
import { listDatabases, readDatabase } from './huawei-rds-pager';
import type { HuaweiScope } from './huawei-scope';

/** Huawei Cloud: ECS servers and RDS instances, one region (and so one project) at a time. */
export class HuaweiProvider implements CloudProvider {
  readonly vendor = 'huawei' as const;
  readonly needsRegion = true;
  readonly resourceTypes: readonly ResourceType[] = ['host', 'rds'];
  private readonly projectIds: HuaweiProjectIds;

  constructor(private readonly runtime: ProviderRuntime) {
    this.projectIds = new HuaweiProjectIds(runtime);
  }

  async *list(credentials: ProviderCredentials, resourceType: ResourceType, options: ListOptions): AsyncIterable<ResourcePage> {
    const scope = await this.scope(credentials, options.region, options.signal);
    yield* resourceType === 'host' ? listHosts(scope) : listDatabases(scope);
  }

  /** One ECS page of one server: proves the key, the signature, the region's project and the permission. */
  async verify(credentials: ProviderCredentials, region: string | null): Promise<void> {
    const scope = await this.scope(credentials, region);
    const ecs = createEcsClient(credentials, scope.region, scope.projectId, this.runtime.policy);
    await fetchServerPage(scope, ecs, 1, 1);
  }

  async get(credentials: ProviderCredentials, resourceType: ResourceType, region: string, instanceId: string): Promise<ResourceRecord | null> {
    const scope = await this.scope(credentials, region);
    return resourceType === 'host' ? readHost(scope, instanceId) : readDatabase(scope, instanceId);
  }

  /** An RMS notification's `resource.properties`, read as the ECS / RDS API item it mirrors. */
  recordOf(resourceType: ResourceType, region: string, item: Record<string, unknown>): ResourceRecord {
    return resourceType === 'host' ? mapServer(item, region) : mapInstance(item, region);
  }

  private async scope(credentials: ProviderCredentials, region: string | null, signal?: AbortSignal): Promise<HuaweiScope> {
    if (!region) {
      throw new ProviderError({ vendor: 'huawei', code: 'RegionRequired', message: 'a Huawei scope needs a region', retryable: false });
    }
    const projectId = await this.projectIds.resolve(credentials, region, signal);
    return { runtime: this.runtime, credentials, region, projectId, signal };
  }
}
