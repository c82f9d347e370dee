import type { ObjectContent, RetrieveResult, VimClient } from './vim-client';
import type { MoRef } from './vim-envelopes';
import type { VsphereSession } from './vsphere-session';

export interface ViewPage {
  objects: ObjectContent[];
  /** Taken before the call that fetched the page. */
  queryAt: Date;
}

interface Fetched {
  result: RetrieveResult;
  queryAt: Date;
}

/**
 * The pages of one retrieval: a container view of `objectType` below
 * `container`, then RetrievePropertiesEx and ContinueRetrievePropertiesEx for
 * as long as a token comes back.
 *
 * The next page is requested as soon as a page arrives, before it is yielded:
 * vCenter builds page n+1 while the caller parses and stores page n. A failure
 * of that call surfaces when the caller asks for page n+1, never earlier.
 * The view is destroyed when the pages end, fail or are abandoned (best
 * effort: a dead session takes its views with it anyway). The caller bounds
 * the number of pages it asks for.
 */
export async function* viewPages(
  session: VsphereSession,
  container: MoRef,
  objectType: string,
  paths: readonly string[],
  maxObjects: number,
): AsyncGenerator<ViewPage> {
  const view = await session.call((client, signal) => client.createContainerView(container, [objectType], true, signal));
  const fetch = (request: (client: VimClient, signal: AbortSignal) => Promise<RetrieveResult>): Promise<Fetched> => {
    const queryAt = new Date();
    const pending = session.call(request).then((result) => ({ result, queryAt }));
    pending.catch(() => undefined); // handled where it is awaited; until then it must not count as unhandled
    return pending;
  };
  const query = { view, objectType, paths };
  let next: Promise<Fetched> | null = fetch((client, signal) => client.retrievePropertiesEx(query, maxObjects, signal));
  try {
    while (next) {
      const { result, queryAt }: Fetched = await next;
      const token: string | null = result.token;
      next = token === null ? null : fetch((client, signal) => client.continueRetrievePropertiesEx(token, signal));
      yield { objects: result.objects, queryAt };
    }
  } finally {
    await next?.catch(() => undefined); // an abandoned prefetch finishes before its view goes
    await session.call((client, signal) => client.destroyView(view, signal), null).catch(() => undefined);
  }
}
