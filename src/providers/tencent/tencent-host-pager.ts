import { normalisePage, paginateCounted } from '../common/paginate';
import type { HostRecord, ResourcePage } from '../provider';
import { callTencent, tencentPage, type TencentScope } from './tencent-client';
import { identifyTencent, mapTencentHost, type TencentItem } from './tencent-mapper';

/** CVM DescribeInstances allows at most 100 per page. */
export const CVM_PAGE_SIZE = 100;

/** Every CVM instance of the scope's region (Offset counts records, from 0). */
export async function* tencentHostPages(scope: TencentScope): AsyncGenerator<ResourcePage<HostRecord>> {
  const pages = paginateCounted<TencentItem>({
    vendor: 'tencent',
    pageSize: CVM_PAGE_SIZE,
    concurrency: scope.runtime.policy.pageConcurrency,
    fetchPage: async (index) =>
      tencentPage(
        await callTencent(scope, 'cvm', 'DescribeInstances', { Offset: index * CVM_PAGE_SIZE, Limit: CVM_PAGE_SIZE }),
        'InstanceSet',
      ),
  });
  const map = (item: TencentItem) => mapTencentHost(item, scope.region);
  for await (const page of pages) yield normalisePage(page, map, identifyTencent);
}
