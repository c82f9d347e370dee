import type { DatabaseRecord, ResourcePage } from '../provider';
import { normalisePage, paginateCounted, type RawPage } from '../common/paginate';
import { singleRecord } from '../common/single-record';
import { createCoreClient, getJson } from './huawei-clients';
import { huaweiError, invalidResponse } from './huawei-errors';
import { identify, mapInstance } from './huawei-mapper';
import type { HuaweiScope } from './huawei-scope';
import type { HcClient } from './huawei-sdk';

/** RDS ListInstances allows 100 instances a page. */
export const RDS_PAGE_SIZE = 100;

type Raw = Record<string, unknown>;

/** One page of RDS instances. `offset` is a record offset from 0. */
function fetchInstancePage(scope: HuaweiScope, rds: HcClient, pageIndex: number, instanceId?: string): Promise<RawPage<Raw>> {
  return scope.runtime.call(
    scope.credentials,
    async (signal) => {
      const query: Record<string, string | number> = { offset: pageIndex * RDS_PAGE_SIZE, limit: RDS_PAGE_SIZE };
      if (instanceId) query.id = instanceId;
      const body = await getJson(rds, '/v3/{project_id}/instances', query, signal);
      if (!Array.isArray(body.instances) || typeof body.total_count !== 'number') throw invalidResponse('RDS ListInstances');
      return { items: body.instances as Raw[], total: body.total_count };
    },
    huaweiError,
    scope.signal,
  );
}

export async function* listDatabases(scope: HuaweiScope): AsyncGenerator<ResourcePage<DatabaseRecord>> {
  const rds = createCoreClient(scope.credentials, 'rds', scope.region, scope.projectId, scope.runtime.policy);
  const pages = paginateCounted<Raw>({
    vendor: 'huawei',
    pageSize: RDS_PAGE_SIZE,
    concurrency: scope.runtime.policy.pageConcurrency,
    fetchPage: (pageIndex) => fetchInstancePage(scope, rds, pageIndex),
  });
  for await (const page of pages) yield normalisePage(page, (raw) => mapInstance(raw, scope.region), identify);
}

/** One RDS instance by id (ListInstances' id filter), null when Huawei does not hold it. */
export async function readDatabase(scope: HuaweiScope, instanceId: string): Promise<DatabaseRecord | null> {
  const rds = createCoreClient(scope.credentials, 'rds', scope.region, scope.projectId, scope.runtime.policy);
  const page = await fetchInstancePage(scope, rds, 0, instanceId);
  return singleRecord('huawei', instanceId, page.items, (raw) => mapInstance(raw, scope.region), identify);
}
