import { normalisePage, paginateCounted } from '../common/paginate';
import type { DatabaseRecord, ResourcePage } from '../provider';
import { callTencent, tencentPage, type TencentScope } from './tencent-client';
import { identifyTencent, mapTencentDatabase, type TencentItem } from './tencent-mapper';

/** CDB DescribeDBInstances allows up to 2000 per page. */
export const CDB_PAGE_SIZE = 2000;

/** Every CDB (MySQL) instance of the scope's region (Offset counts records, from 0). */
export async function* tencentDatabasePages(scope: TencentScope): AsyncGenerator<ResourcePage<DatabaseRecord>> {
  const pages = paginateCounted<TencentItem>({
    vendor: 'tencent',
    pageSize: CDB_PAGE_SIZE,
    concurrency: scope.runtime.policy.pageConcurrency,
    fetchPage: async (index) =>
      tencentPage(
        await callTencent(scope, 'cdb', 'DescribeDBInstances', { Offset: index * CDB_PAGE_SIZE, Limit: CDB_PAGE_SIZE }),
        'Items',
      ),
  });
  const map = (item: TencentItem) => mapTencentDatabase(item, scope.region);
  for await (const page of pages) yield normalisePage(page, map, identifyTencent);
}
