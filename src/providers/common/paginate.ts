import type { RejectedItem, ResourcePage, ResourceRecord, Vendor } from '../provider';
import { ProviderError } from '../provider-error';

/** One raw page as a vendor returns it. */
export interface RawPage<Raw> {
  items: Raw[];
  /** The total the vendor announced with this page, if any. */
  total?: number;
}

export interface CountedListing<Raw> {
  vendor: Vendor;
  pageSize: number;
  /** Pages in flight at once after the first (the rate limiter still applies). */
  concurrency: number;
  /** Fetch the page at a 0-based index; the adapter turns it into the vendor's offset or page number. */
  fetchPage(pageIndex: number): Promise<RawPage<Raw>>;
  /** A hard bound against a vendor that never stops answering. */
  maxPages?: number;
}

export interface FetchedRawPage<Raw> extends RawPage<Raw> {
  pageNumber: number;
  queryAt: Date;
}

const DEFAULT_MAX_PAGES = 100_000;

/**
 * Pages through a listing whose total is announced: the first page tells how
 * many pages there are, the rest are fetched `concurrency` at a time and yielded
 * in order. A listing whose total moves between pages, or whose page comes back
 * short before the last, is inconsistent: the pages fetched are yielded, then a
 * non-retryable `InconsistentListing` error says the listing is incomplete (so
 * nothing may be deleted on its basis). It never loops forever.
 */
export async function* paginateCounted<Raw>(listing: CountedListing<Raw>): AsyncGenerator<FetchedRawPage<Raw>> {
  const fetchAt = async (pageIndex: number): Promise<FetchedRawPage<Raw>> => {
    const queryAt = new Date();
    const page = await listing.fetchPage(pageIndex);
    return { ...page, pageNumber: pageIndex + 1, queryAt };
  };

  const first = await fetchAt(0);
  yield first;
  const total = first.total;
  if (total === undefined) {
    yield* paginateUntilShort(listing, first);
    return;
  }
  const maxPages = listing.maxPages ?? DEFAULT_MAX_PAGES;
  // At least the page already fetched: an empty listing is one empty page.
  const pageCount = Math.max(1, Math.min(Math.ceil(total / listing.pageSize), maxPages));
  let problem: string | null = checkPage(first, 0, pageCount, total, listing.pageSize);

  const inFlight: Promise<FetchedRawPage<Raw>>[] = [];
  let next = 1;
  const launch = () => {
    while (next < pageCount && inFlight.length < Math.max(1, listing.concurrency)) {
      const promise = fetchAt(next++);
      promise.catch(() => undefined); // awaited below, in order
      inFlight.push(promise);
    }
  };
  launch();
  for (let index = 1; index < pageCount; index++) {
    const page = await inFlight.shift()!;
    launch();
    problem ??= checkPage(page, index, pageCount, total, listing.pageSize);
    yield page;
  }
  if (problem) {
    throw new ProviderError({ vendor: listing.vendor, code: 'InconsistentListing', message: problem, retryable: false });
  }
}

/** Without a total: page on until a short or empty page. */
async function* paginateUntilShort<Raw>(listing: CountedListing<Raw>, first: FetchedRawPage<Raw>) {
  const maxPages = listing.maxPages ?? DEFAULT_MAX_PAGES;
  let last = first;
  for (let index = 1; last.items.length >= listing.pageSize; index++) {
    if (index >= maxPages) {
      throw new ProviderError({
        vendor: listing.vendor,
        code: 'InconsistentListing',
        message: `listing did not end after ${maxPages} pages`,
        retryable: false,
      });
    }
    const queryAt = new Date();
    const page = await listing.fetchPage(index);
    last = { ...page, pageNumber: index + 1, queryAt };
    yield last;
  }
}

function checkPage<Raw>(
  page: FetchedRawPage<Raw>,
  index: number,
  pageCount: number,
  total: number,
  pageSize: number,
): string | null {
  if (page.total !== undefined && page.total !== total) {
    return `the vendor's total moved from ${total} to ${page.total} during the listing`;
  }
  const last = index === pageCount - 1;
  const expected = last ? total - pageSize * (pageCount - 1) : pageSize;
  if (page.items.length < expected) {
    return `page ${index + 1} held ${page.items.length} items where ${expected} were announced`;
  }
  if (last && page.items.length > expected) {
    return `the last page held ${page.items.length} items where ${expected} were announced: the listing may go on`;
  }
  return null;
}

/**
 * Normalises a raw page item by item: an item the mapper cannot read fails
 * alone, with its reason, and the rest of the page still counts.
 */
export function normalisePage<Raw, T extends ResourceRecord>(
  page: FetchedRawPage<Raw>,
  map: (raw: Raw) => T,
  identify: (raw: Raw) => { instanceId: string | null; name: string | null },
): ResourcePage<T> {
  const items: T[] = [];
  const rejected: RejectedItem[] = [];
  for (const raw of page.items) {
    try {
      items.push(map(raw));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      rejected.push({ ...identify(raw), reason });
    }
  }
  return { pageNumber: page.pageNumber, queryAt: page.queryAt, items, rejected, total: page.total };
}
