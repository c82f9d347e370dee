import { randomUUID } from 'node:crypto';
import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ChangeOrigin } from '../../changes/change-log';
import { InventoryWriter, type ItemResult } from '../../inventory/inventory-writer';
import { RESOURCE_KINDS } from '../../inventory/resource-columns';
import type { FeedAnswer, ResourcePage } from '../../providers/provider';
import type { SecretEntity } from '../../secrets/secret.entity';
import { FullSyncService, SYNC_BATCH_SIZE } from '../full-sync.service';

/** Changes from a vendor's feed: no job, no inbox event. */
export const FEED_ORIGIN: ChangeOrigin = { trigger: 'event', jobId: null, eventId: null };

const HOSTS = RESOURCE_KINDS.host;

/**
 * Applies a change feed's answers through the one write path: the first
 * (complete) answer as a full sync of the scope, deletions included, the
 * others as writes and deletions stamped with the time they arrived (the
 * apply rule then keeps whichever of a sync and the feed saw the resource
 * last).
 */
@Injectable()
export class FeedApplier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly fullSync: FullSyncService,
    private readonly writer: InventoryWriter,
  ) {}

  /**
   * The complete listing, as a full sync job (trigger `event`) whose one page
   * is the answer. When a sync of the scope is running already, the listing
   * is applied as plain changes followed by a sweep of its own, so that
   * neither waits for the other. That sync cannot sweep for it: it may have
   * read a VM before the VM went, and the feed will never mention it again.
   */
  async applyListing(secret: SecretEntity, answer: FeedAnswer, listingStartedAt: Date): Promise<ItemResult[]> {
    let started;
    try {
      started = await this.fullSync.start(secret, 'host', null, 'event', { pages: listingPages(answer), startedAt: listingStartedAt });
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      return [...(await this.applyChanges(secret, { ...answer, gone: [] })), ...(await this.sweepBeside(secret, answer, listingStartedAt))];
    }
    const job = await started.done;
    if (job.status === 'failed' || job.status === 'interrupted') {
      throw new Error(`the listing could not be applied (sync job ${job.id}: ${job.error?.message ?? job.status})`);
    }
    return [
      ...(['created', 'updated', 'unchanged', 'deleted'] as const).flatMap((action) => Array.from({ length: job[action] }, () => resultOf(action))),
      ...Array.from({ length: job.totalFailed }, () => resultOf('failed')),
    ];
  }

  /**
   * The deletion sweep of a listing applied beside a running sync: the
   * secret's hosts the listing does not hold, as of when it began. A row
   * written since (by that sync, or the feed) is newer and stays, and the
   * sync's own later write of an older read loses to the delete.
   */
  private async sweepBeside(secret: SecretEntity, answer: FeedAnswer, listingStartedAt: Date): Promise<ItemResult[]> {
    const listingId = randomUUID();
    const listed = [...answer.items.map((record) => record.instanceId), ...answer.rejected.flatMap((item) => (item.instanceId ? [item.instanceId] : []))];
    try {
      await this.writer.stageListed(this.dataSource.manager, listingId, listed);
      return await this.dataSource.transaction((manager) =>
        this.writer.deleteMissing(manager, HOSTS, { secretId: secret.id, region: null }, listingId, listingStartedAt, FEED_ORIGIN),
      );
    } finally {
      await this.writer.clearListed(this.dataSource.manager, listingId);
    }
  }

  /** Entered or changed records and gone ids, in one transaction. */
  async applyChanges(secret: SecretEntity, answer: FeedAnswer): Promise<ItemResult[]> {
    const items = answer.items.map((record) => ({ record, queryAt: answer.observedAt }));
    const gone = answer.gone.map((instanceId) => ({ instanceId, observedAt: answer.observedAt }));
    const rejected = answer.rejected.map((item): ItemResult => ({ instance_id: item.instanceId, name: item.name, action: 'failed', success: false, message: item.reason }));
    const written = await this.dataSource.transaction(async (manager) => [
      ...(items.length > 0 ? await this.writer.writeBatch(manager, HOSTS, secret.id, items, FEED_ORIGIN) : []),
      ...(await this.writer.deleteInstances(manager, HOSTS, secret.id, gone, FEED_ORIGIN)),
    ]);
    return [...written, ...rejected];
  }
}

/** The listing cut into pages of a sync batch each, as a provider's listing would come. */
function listingPages(answer: FeedAnswer): ResourcePage[] {
  const pages: ResourcePage[] = [];
  for (let start = 0; start === 0 || start < answer.items.length; start += SYNC_BATCH_SIZE) {
    const items = answer.items.slice(start, start + SYNC_BATCH_SIZE);
    pages.push({ pageNumber: pages.length + 1, queryAt: answer.observedAt, items, rejected: start === 0 ? answer.rejected : [] });
  }
  return pages;
}

/** A job keeps counts, not items: enough for the watch's counters. */
function resultOf(action: ItemResult['action']): ItemResult {
  return { instance_id: null, name: null, action, success: action !== 'failed', message: null };
}
