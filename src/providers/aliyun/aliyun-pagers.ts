import { normalisePage, paginateCounted } from '../common/paginate';
import { singleRecord } from '../common/single-record';
import type { DatabaseRecord, HostRecord, ResourcePage, ResourceRecord } from '../provider';
import { aliyunList, aliyunTotal, callAliyun, type AliyunScope, type AliyunService } from './aliyun-client';
import { identifyAliyunDatabase, identifyAliyunHost, mapAliyunDatabase, mapAliyunHost, type AliyunItem } from './aliyun-mapper';

/** What differs between two Aliyun list calls; the paging rule (PageNumber from 1) is the same. */
interface AliyunListing<T extends ResourceRecord> {
  service: AliyunService;
  action: string;
  /** The request parameters that narrow the call to one instance. */
  byId(instanceId: string): Record<string, string>;
  /** The API's largest page. */
  pageSize: number;
  list: [outer: string, inner: string];
  totalField: string;
  map(item: AliyunItem): T;
  identify(item: AliyunItem): { instanceId: string | null; name: string | null };
}

const ECS_INSTANCES: AliyunListing<HostRecord> = {
  service: 'ecs',
  action: 'DescribeInstances',
  byId: (instanceId) => ({ InstanceIds: JSON.stringify([instanceId]) }),
  pageSize: 100,
  list: ['Instances', 'Instance'],
  totalField: 'TotalCount',
  map: mapAliyunHost,
  identify: identifyAliyunHost,
};

const RDS_INSTANCES: AliyunListing<DatabaseRecord> = {
  service: 'rds',
  action: 'DescribeDBInstances',
  byId: (instanceId) => ({ DBInstanceId: instanceId }),
  pageSize: 100,
  list: ['Items', 'DBInstance'],
  totalField: 'TotalRecordCount',
  map: mapAliyunDatabase,
  identify: identifyAliyunDatabase,
};

async function* aliyunPages<T extends ResourceRecord>(scope: AliyunScope, listing: AliyunListing<T>): AsyncGenerator<ResourcePage<T>> {
  const pages = paginateCounted<AliyunItem>({
    vendor: 'aliyun',
    pageSize: listing.pageSize,
    concurrency: scope.runtime.policy.pageConcurrency,
    fetchPage: async (index) => {
      const body = await callAliyun<unknown>(scope, listing.service, listing.action, {
        RegionId: scope.region,
        PageNumber: index + 1,
        PageSize: listing.pageSize,
      });
      return { items: aliyunList(body, ...listing.list), total: aliyunTotal(body, listing.totalField) };
    },
  });
  for await (const page of pages) yield normalisePage(page, listing.map, listing.identify);
}

/** Every ECS instance of the scope's region. */
export const aliyunHostPages = (scope: AliyunScope) => aliyunPages(scope, ECS_INSTANCES);

/** Every RDS instance of the scope's region. */
export const aliyunDatabasePages = (scope: AliyunScope) => aliyunPages(scope, RDS_INSTANCES);

/** One ECS or RDS instance by id, null when Aliyun does not hold it. */
export async function aliyunInstance(scope: AliyunScope, resourceType: 'host' | 'rds', instanceId: string): Promise<ResourceRecord | null> {
  const listing: AliyunListing<ResourceRecord> = resourceType === 'host' ? ECS_INSTANCES : RDS_INSTANCES;
  const body = await callAliyun<unknown>(scope, listing.service, listing.action, { RegionId: scope.region, ...listing.byId(instanceId) });
  return singleRecord('aliyun', instanceId, aliyunList(body, ...listing.list), listing.map, listing.identify);
}
