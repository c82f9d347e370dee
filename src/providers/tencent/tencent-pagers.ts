import { normalisePage, paginateCounted } from '../common/paginate';
import { singleRecord } from '../common/single-record';
import type { DatabaseRecord, HostRecord, ResourcePage, ResourceRecord } from '../provider';
import { callTencent, tencentPage, type TencentScope, type TencentService } from './tencent-client';
import { identifyTencent, mapTencentDatabase, mapTencentHost, type TencentItem } from './tencent-mapper';

/** What differs between two Tencent list calls; the paging rule (Offset counts records, from 0) is the same. */
interface TencentListing<T extends ResourceRecord> {
  service: TencentService;
  action: string;
  /** The API's largest page. */
  pageSize: number;
  listField: string;
  /** List items carry no region: the scope's is passed in. */
  map(item: TencentItem, region: string): T;
}

const CVM_INSTANCES: TencentListing<HostRecord> = {
  service: 'cvm',
  action: 'DescribeInstances',
  pageSize: 100,
  listField: 'InstanceSet',
  map: mapTencentHost,
};

const CDB_INSTANCES: TencentListing<DatabaseRecord> = {
  service: 'cdb',
  action: 'DescribeDBInstances',
  pageSize: 2000,
  listField: 'Items',
  map: mapTencentDatabase,
};

async function* tencentPages<T extends ResourceRecord>(scope: TencentScope, listing: TencentListing<T>): AsyncGenerator<ResourcePage<T>> {
  const pages = paginateCounted<TencentItem>({
    vendor: 'tencent',
    pageSize: listing.pageSize,
    concurrency: scope.runtime.policy.pageConcurrency,
    fetchPage: async (index) =>
      tencentPage(
        await callTencent(scope, listing.service, listing.action, { Offset: index * listing.pageSize, Limit: listing.pageSize }),
        listing.listField,
      ),
  });
  const map = (item: TencentItem) => listing.map(item, scope.region);
  for await (const page of pages) yield normalisePage(page, map, identifyTencent);
}

/** Every CVM instance of the scope's region. */
export const tencentHostPages = (scope: TencentScope) => tencentPages(scope, CVM_INSTANCES);

/** Every CDB (MySQL) instance of the scope's region. */
export const tencentDatabasePages = (scope: TencentScope) => tencentPages(scope, CDB_INSTANCES);

/** One CVM or CDB instance by id (both APIs filter on InstanceIds), null when Tencent does not hold it. */
export async function tencentInstance(scope: TencentScope, resourceType: 'host' | 'rds', instanceId: string): Promise<ResourceRecord | null> {
  const listing: TencentListing<ResourceRecord> = resourceType === 'host' ? CVM_INSTANCES : CDB_INSTANCES;
  const body = await callTencent(scope, listing.service, listing.action, { InstanceIds: [instanceId], Offset: 0, Limit: 1 });
  const { items } = tencentPage(body, listing.listField);
  return singleRecord('tencent', instanceId, items, (item) => listing.map(item, scope.region), identifyTencent);
}
