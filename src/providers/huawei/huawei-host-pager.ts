import type { HostRecord, ResourcePage } from '../provider';
import { normalisePage, paginateCounted, type RawPage } from '../common/paginate';
import { singleRecord } from '../common/single-record';
import { createEcsClient } from './huawei-clients';
import { huaweiError, invalidResponse } from './huawei-errors';
import { identify, mapServer } from './huawei-mapper';
import type { HuaweiScope } from './huawei-scope';
import { ListServersDetailsRequest, type EcsClient } from './huawei-sdk';

/** ECS ListServersDetails allows 1000 servers a page. */
export const ECS_PAGE_SIZE = 1000;

type Raw = Record<string, unknown>;

/** One page of ECS servers. `offset` is a page number from 1, not a record offset. */
export function fetchServerPage(scope: HuaweiScope, ecs: EcsClient, pageNumber: number, limit: number, serverId?: string): Promise<RawPage<Raw>> {
  return scope.runtime.call(
    scope.credentials,
    async () => {
      const request = new ListServersDetailsRequest().withOffset(pageNumber).withLimit(limit);
      if (serverId) request.withServerId(serverId);
      const body = (await ecs.listServersDetails(request)) as unknown as Raw;
      if (!Array.isArray(body.servers) || typeof body.count !== 'number') throw invalidResponse('ECS ListServersDetails');
      return { items: body.servers as Raw[], total: body.count };
    },
    huaweiError,
    scope.signal,
  );
}

export async function* listHosts(scope: HuaweiScope): AsyncGenerator<ResourcePage<HostRecord>> {
  const ecs = createEcsClient(scope.credentials, scope.region, scope.projectId, scope.runtime.policy);
  const pages = paginateCounted<Raw>({
    vendor: 'huawei',
    pageSize: ECS_PAGE_SIZE,
    concurrency: scope.runtime.policy.pageConcurrency,
    fetchPage: (pageIndex) => fetchServerPage(scope, ecs, pageIndex + 1, ECS_PAGE_SIZE),
  });
  for await (const page of pages) yield normalisePage(page, (raw) => mapServer(raw, scope.region), identify);
}

/** One ECS server by id (ListServersDetails' server_id filter), null when Huawei does not hold it. */
export async function readHost(scope: HuaweiScope, serverId: string): Promise<HostRecord | null> {
  const ecs = createEcsClient(scope.credentials, scope.region, scope.projectId, scope.runtime.policy);
  const page = await fetchServerPage(scope, ecs, 1, 1, serverId);
  return singleRecord('huawei', serverId, page.items, (raw) => mapServer(raw, scope.region), identify);
}
