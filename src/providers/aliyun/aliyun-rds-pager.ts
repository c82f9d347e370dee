import { normalisePage, paginateCounted } from '../common/paginate';
import type { DatabaseRecord, ResourcePage } from '../provider';
import { aliyunList, aliyunTotal, callAliyun, type AliyunScope } from './aliyun-client';
import { identifyAliyunDatabase, mapAliyunDatabase, type AliyunItem } from './aliyun-mapper';

/** RDS DescribeDBInstances allows at most 100 per page. */
export const RDS_PAGE_SIZE = 100;

/** Every RDS instance of the scope's region, page by page (PageNumber from 1). */
export async function* aliyunDatabasePages(scope: AliyunScope): AsyncGenerator<ResourcePage<DatabaseRecord>> {
  const pages = paginateCounted<AliyunItem>({
    vendor: 'aliyun',
    pageSize: RDS_PAGE_SIZE,
    concurrency: scope.runtime.policy.pageConcurrency,
    fetchPage: async (index) => {
      const body = await callAliyun<unknown>(scope, 'rds', 'DescribeDBInstances', {
        RegionId: scope.region,
        PageNumber: index + 1,
        PageSize: RDS_PAGE_SIZE,
      });
      return { items: aliyunList(body, 'Items', 'DBInstance'), total: aliyunTotal(body, 'TotalRecordCount') };
    },
  });
  for await (const page of pages) yield normalisePage(page, mapAliyunDatabase, identifyAliyunDatabase);
}
