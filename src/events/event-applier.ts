import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ChangeOrigin } from '../changes/change-log';
import { InventoryWriter, isStale, type ItemResult } from '../inventory/inventory-writer';
import { RESOURCE_KINDS } from '../inventory/resource-columns';
import type { CloudProvider, ProviderCredentials, ResourceRecord } from '../providers/provider';
import { ProviderRegistry } from '../providers/provider-registry';
import { isAllowedRegion } from '../secrets/allow-region';
import type { SecretEntity } from '../secrets/secret.entity';
import { SecretsService } from '../secrets/secrets.service';
import { EventInbox } from './inbox/event-inbox';
import type { EventStatus, InboxEvent } from './inbox/inbox-event';

export interface EventOutcome {
  status: Exclude<EventStatus, 'pending'>;
  reason: string | null;
}

/** An event that cannot be applied however often it is tried: recorded `failed` at once. */
export class PermanentEventError extends Error {}

/**
 * Applies one stored event through the inventory's one write path (checksum
 * and observed-time rule, tombstones, change log), and records its outcome in
 * the same transaction. Vendor errors propagate: the worker decides whether
 * to retry.
 */
@Injectable()
export class EventApplier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secrets: SecretsService,
    private readonly providers: ProviderRegistry,
    private readonly writer: InventoryWriter,
    private readonly inbox: EventInbox,
  ) {}

  async apply(event: InboxEvent): Promise<EventOutcome> {
    const secret = await this.secrets.get(event.secretId).catch(() => null);
    if (!secret) throw new PermanentEventError('the secret was deleted');
    if (!event.resourceType || !event.instanceId || !event.region || !event.action) throw new PermanentEventError('the event names no resource');
    if (!isAllowedRegion(secret.allowRegions, event.region)) throw new PermanentEventError(`region ${event.region} is not in the secret's allow_regions`);
    const provider = this.providers.get(secret.vendor);

    if (event.action === 'delete') return this.write(event, secret, null, event.observedAt ?? event.receivedAt);
    if (event.action === 'upsert' && event.observedAt) {
      const record = this.carriedRecord(provider, event);
      if (record) return this.write(event, secret, record, event.observedAt);
    }
    // A hint (or a resource we cannot read from the message): what the vendor holds now.
    if (!provider.get) throw new PermanentEventError(`${secret.vendor} cannot read one resource by id`);
    const credentials: ProviderCredentials = this.secrets.credentialsOf(secret);
    const queryAt = new Date(); // taken before the call, as a listing page's
    const record = await provider.get(credentials, event.resourceType, event.region, event.instanceId);
    return this.write(event, secret, record, queryAt);
  }

  /** The resource a notification carries, or null when its shape cannot be read (then it is re-read). */
  private carriedRecord(provider: CloudProvider, event: InboxEvent): ResourceRecord | null {
    const item = event.payload.resource_properties;
    if (!provider.recordOf || !item || typeof item !== 'object') return null;
    try {
      const record = provider.recordOf(event.resourceType!, event.region!, item as Record<string, unknown>);
      return record.instanceId === event.instanceId ? record : null;
    } catch {
      return null;
    }
  }

  /** The record (null: it is gone) observed at `observedAt`, written with the outcome in one transaction. */
  private write(event: InboxEvent, secret: SecretEntity, record: ResourceRecord | null, observedAt: Date): Promise<EventOutcome> {
    const kind = RESOURCE_KINDS[event.resourceType!];
    const origin: ChangeOrigin = { trigger: 'event', jobId: null, eventId: event.id };
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const [result] = record
        ? await this.writer.writeBatch(manager, kind, secret.id, [{ record, queryAt: observedAt }], origin)
        : await this.writer.deleteInstances(manager, kind, secret.id, [{ instanceId: event.instanceId!, observedAt }], origin);
      const outcome = outcomeOf(result);
      await this.inbox.finish(manager, event.id, outcome.status, outcome.reason);
      return outcome;
    });
  }
}

function outcomeOf(result: ItemResult): EventOutcome {
  if (result.action === 'failed') return { status: 'failed', reason: result.message };
  if (isStale(result)) return { status: 'stale', reason: result.message };
  return { status: 'applied', reason: result.action === 'unchanged' ? (result.message ?? 'no change') : result.action };
}
