import type { DataSource } from 'typeorm';
import type { ResourceQueryService } from '../../inventory/resource-query.service';
import { RESOURCE_KINDS } from '../../inventory/resource-columns';
import { RESOURCE_TYPES } from '../../providers/provider';
import type { ChangesService } from '../changes.service';
import { initialEventText } from './watch-event';
import type { Watcher } from './watcher';

const PAGE = 100;
/** How long a client may take to read a page of the initial state. */
const DRAIN_MS = 30_000;

/**
 * send_initial_events: every active resource in the watcher's scope as an
 * ADDED event, read page by page in ONE snapshot (REPEATABLE READ) together
 * with the change log's revision, so the live changes after that revision
 * continue it exactly. Answers the revision, or null if the stream ended.
 * The snapshot's transaction stays open while the client reads: on the
 * embedded database (one connection) other queries wait for it.
 */
export function sendInitialEvents(dataSource: DataSource, changes: ChangesService, resources: ResourceQueryService, watcher: Watcher): Promise<number | null> {
  const filter = watcher.filter;
  const scope = { vendor: filter.vendor, secretId: filter.secretId, region: filter.region };
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const revision = await changes.latestRevision(manager);
    for (const type of RESOURCE_TYPES) {
      if (filter.kind !== undefined && filter.kind !== type) continue;
      let after: string | null = null;
      for (;;) {
        const page = await resources.currentPage(manager, RESOURCE_KINDS[type], scope, after, PAGE);
        if (page.length === 0) break;
        watcher.stream.cork();
        for (const { item } of page) watcher.stream.send(initialEventText(revision, type, item));
        watcher.stream.uncork();
        if (watcher.stream.isBackedUp && !(await watcher.stream.drained(DRAIN_MS))) {
          watcher.end('TooSlow', 'the client read the initial events too slowly; watch again');
        }
        if (watcher.isEnded) return null;
        after = page[page.length - 1].id;
      }
    }
    return revision;
  });
}
