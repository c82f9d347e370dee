import { paginateCounted, RawPage } from './paginate';

const PAGE_SIZE = 10;

/** A vendor listing `count` items, announcing `totalOf(pageIndex)` with each page (the count by default). */
function listing(count: number, totalOf: (pageIndex: number) => number | undefined = () => count) {
  const items = Array.from({ length: count }, (_, index) => `i-${index}`);
  const requested: number[] = [];
  return {
    requested,
    vendor: 'aliyun' as const,
    pageSize: PAGE_SIZE,
    concurrency: 2,
    fetchPage: async (pageIndex: number): Promise<RawPage<string>> => {
      requested.push(pageIndex);
      return { items: items.slice(pageIndex * PAGE_SIZE, (pageIndex + 1) * PAGE_SIZE), total: totalOf(pageIndex) };
    },
  };
}

async function drain(pages: AsyncGenerator<{ items: string[]; pageNumber: number }>) {
  const listed: string[] = [];
  const pageNumbers: number[] = [];
  try {
    for await (const page of pages) {
      listed.push(...page.items);
      pageNumbers.push(page.pageNumber);
    }
    return { listed, pageNumbers, error: null };
  } catch (error) {
    return { listed, pageNumbers, error: error as { code?: string; retryable?: boolean } };
  }
}

describe('paginateCounted', () => {
  it.each([
    ['an empty listing (total 0)', 0, [1]],
    ['one item', 1, [1]],
    ['exactly one page', PAGE_SIZE, [1]],
    ['one page and one item', PAGE_SIZE + 1, [1, 2]],
    ['several pages', 3 * PAGE_SIZE + 4, [1, 2, 3, 4]],
  ])('lists %s completely, page by page, without an error', async (_case, count, pageNumbers) => {
    const vendor = listing(count);
    const result = await drain(paginateCounted(vendor));
    expect(result.error).toBeNull();
    expect(result.listed).toHaveLength(count);
    expect(new Set(result.listed).size).toBe(count);
    expect(result.pageNumbers).toEqual(pageNumbers);
    expect(vendor.requested.sort()).toEqual(pageNumbers.map((number) => number - 1));
  });

  it('flags a total that grows between pages as an inconsistent listing, after yielding what it fetched', async () => {
    const result = await drain(paginateCounted(listing(25, (pageIndex) => (pageIndex === 0 ? 25 : 26))));
    expect(result.listed).toHaveLength(25);
    expect(result.error).toMatchObject({ code: 'InconsistentListing', retryable: false });
  });

  it('flags a total that shrinks between pages (an item was missed)', async () => {
    const result = await drain(paginateCounted(listing(25, (pageIndex) => (pageIndex === 2 ? 24 : 25))));
    expect(result.error).toMatchObject({ code: 'InconsistentListing' });
  });

  it('flags a page that comes back short of the announced total', async () => {
    // 25 announced, 24 delivered: the last page is one short.
    const vendor = listing(24, () => 25);
    const result = await drain(paginateCounted(vendor));
    expect(result.error).toMatchObject({ code: 'InconsistentListing' });
  });

  it('does not take a total of 0 at its word when the page holds items: the listing may go on', async () => {
    const result = await drain(paginateCounted(listing(PAGE_SIZE + 5, () => 0)));
    expect(result.error).toMatchObject({ code: 'InconsistentListing' });
  });

  it('pages on until a short page when no total is announced, an empty first page included', async () => {
    expect(await drain(paginateCounted(listing(0, () => undefined)))).toEqual({ listed: [], pageNumbers: [1], error: null });
    const result = await drain(paginateCounted(listing(2 * PAGE_SIZE, () => undefined)));
    expect(result).toEqual({ listed: expect.any(Array), pageNumbers: [1, 2, 3], error: null });
    expect(result.listed).toHaveLength(2 * PAGE_SIZE);
  });
});
