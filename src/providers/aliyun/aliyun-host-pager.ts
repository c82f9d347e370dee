import { normalisePage, paginateCounted } from '../common/paginate';
import type { HostRecord, ResourcePage } from '../provider';
import { aliyunList, aliyunTotal, callAliyun, type AliyunScope } from './aliyun-client';
import { identifyAliyunHost, mapAliyunHost, type AliyunItem } from './aliyun-mapper';

/** ECS DescribeInstances allows at most 100 per page. */
export const ECS_PAGE_SIZE = 100;

/** Every ECS instance of the scope's region, page by page (PageNumber from 1). */
export async function* aliyunHostPages(scope: AliyunScope): AsyncGenerator<ResourcePage<HostRecord>> {
  const pages = paginateCounted<AliyunItem>({
    vendor: 'aliyun',
    pageSize: ECS_PAGE_SIZE,
    concurrency: scope.runtime.policy.pageConcurrency,
    fetchPage: async (index) => {
      const body = await callAliyun<unknown>(scope, 'ecs', 'DescribeInstances', {
        RegionId: scope.region,
        PageNumber: index + 1,
        PageSize: ECS_PAGE_SIZE,
      });
      return { items: aliyunList(body, 'Instances', 'Instance'), total: aliyunTotal(body, 'TotalCount') };
    },
  });
  for await (const page of pages) yield normalisePage(page, mapAliyunHost, identifyAliyunHost);
}
