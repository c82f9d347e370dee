import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import Bottleneck from 'bottleneck';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ChangeOrigin } from '../changes/change-log';
import { InventoryWriter, isStale, type ItemResult } from '../inventory/inventory-writer';
import { RESOURCE_KINDS, type ResourceKind } from '../inventory/resource-columns';
import type { CloudProvider, ProviderCredentials } from '../providers/provider';
import { ProviderRegistry } from '../providers/provider-registry';
import { isAllowedRegion } from '../secrets/allow-region';
import type { SecretEntity } from '../secrets/secret.entity';
import { SecretsService } from '../secrets/secrets.service';
import { EventInbox } from './inbox/event-inbox';
import type { EventStatus, InboxEvent } from './inbox/inbox-event';
import { applyWaves } from './apply-order';
import { carriedRecord, type ResolvedEvent } from './resolved-event';

export interface EventOutcome {
  status: Exclude<EventStatus, 'pending'>;
  reason: string | null;
}

/** An event that cannot be applied however often it is tried: recorded `failed` at once. */
export class PermanentEventError extends Error {}

/** What applying one event came to: its outcome (recorded), or the error that stopped it (the worker retries or fails it). */
export type EventResult = { event: InboxEvent; outcome: EventOutcome; error?: undefined } | { event: InboxEvent; error: unknown; outcome?: undefined };

/** Re-reads of one batch in flight at once; the provider's per-secret rate limiter still paces them. */
const REREAD_CONCURRENCY = 8;
/** The batch origin; every item carries its own event's. */
const EVENT_ORIGIN: ChangeOrigin = { trigger: 'event', jobId: null, eventId: null };

/**
 * Applies claimed events through the inventory's one write path (checksum and
 * observed-time rule, tombstones, change log): per secret and resource kind,
 * all of a batch's writes in one transaction and all its deletes in another,
 * each event's outcome recorded in the transaction that applied it and each
 * change logged with its own event's id. A resource named twice in a batch
 * is applied in order, one transaction after the other. Vendor errors are
 * answered per event: the worker decides whether to retry.
 */
@Injectable()
export class EventApplier {
  private readonly logger = new Logger(EventApplier.name);
  /** Re-reads in flight at once (each also waits on its provider's rate limiter). */
  private readonly rereads = new Bottleneck({ maxConcurrent: REREAD_CONCURRENCY });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secrets: SecretsService,
    private readonly providers: ProviderRegistry,
    private readonly writer: InventoryWriter,
    private readonly inbox: EventInbox,
  ) {}

  /** Applies the events (oldest first); answers one result per event. */
  async applyAll(events: InboxEvent[]): Promise<EventResult[]> {
    const bySecret = new Map<string, InboxEvent[]>();
    for (const event of events) {
      const ofSecret = bySecret.get(event.secretId);
      if (ofSecret) ofSecret.push(event);
      else bySecret.set(event.secretId, [event]);
    }
    const results: EventResult[] = [];
    for (const [secretId, ofSecret] of bySecret) results.push(...(await this.applyOfSecret(secretId, ofSecret)));
    return results;
  }

  private async applyOfSecret(secretId: string, events: InboxEvent[]): Promise<EventResult[]> {
    let secret: SecretEntity | null;
    try {
      secret = await this.secrets.get(secretId).catch((error: unknown) => {
        if (error instanceof NotFoundException) return null;
        throw error;
      });
    } catch (error) {
      return events.map((event) => ({ event, error })); // the database failing: tried again later
    }
    if (!secret) return events.map((event) => ({ event, error: new PermanentEventError('the secret was deleted') }));

    const provider = this.providers.get(secret.vendor);
    const reader = new Reader(this.secrets, secret, provider);
    const results: EventResult[] = [];
    const resolved = await Promise.all(
      events.map((event) =>
        this.rereads.schedule(async () => {
          try {
            return await reader.resolve(event);
          } catch (error) {
            results.push({ event, error });
            return null;
          }
        }),
      ),
    );
    for (const wave of applyWaves(resolved.filter((entry): entry is ResolvedEvent => entry !== null))) {
      for (const [kind, ofKind] of wave) {
        const writes = ofKind.filter((entry) => entry.item);
        const deletes = ofKind.filter((entry) => entry.deletion);
        if (writes.length > 0) results.push(...(await this.inTransactions(secret.id, kind, writes)));
        if (deletes.length > 0) results.push(...(await this.inTransactions(secret.id, kind, deletes)));
      }
    }
    return results;
  }

  /** The entries in one transaction; if it fails, one transaction each, so a bad one fails alone. */
  private async inTransactions(secretId: string, kind: ResourceKind, entries: ResolvedEvent[]): Promise<EventResult[]> {
    try {
      return await this.dataSource.transaction((manager) => this.write(manager, secretId, kind, entries));
    } catch (error) {
      if (entries.length === 1) return [{ event: entries[0].event, error }];
      this.logger.warn({ err: error }, `applying ${entries.length} events together failed, applying them one by one`);
      const results: EventResult[] = [];
      for (const entry of entries) results.push(...(await this.inTransactions(secretId, kind, [entry])));
      return results;
    }
  }

  /** All writes or all deletes of one kind; the outcomes recorded just before the change log append (its transaction's last statement). */
  private async write(manager: EntityManager, secretId: string, kind: ResourceKind, entries: ResolvedEvent[]): Promise<EventResult[]> {
    const results: EventResult[] = [];
    const record = async (itemResults: ItemResult[]) => {
      const byInstance = new Map(itemResults.map((result) => [result.instance_id, result]));
      for (const { event } of entries) {
        const result = byInstance.get(event.instanceId);
        results.push({ event, outcome: result ? outcomeOf(result) : { status: 'failed', reason: 'the write path answered nothing for it' } });
      }
      await this.inbox.finishAll(manager, results.map(({ event, outcome }) => ({ id: event.id, ...outcome! })));
    };
    if (entries[0].deletion) {
      await this.writer.deleteInstances(manager, kind, secretId, entries.map((entry) => entry.deletion!), EVENT_ORIGIN, record);
    } else {
      await this.writer.writeBatch(manager, kind, secretId, entries.map((entry) => entry.item!), EVENT_ORIGIN, record);
    }
    return results;
  }
}

/** Turns one secret's events into what they write: the resource they carry, a delete, or what the vendor holds now. */
class Reader {
  private credentials: ProviderCredentials | null = null;

  constructor(
    private readonly secrets: SecretsService,
    private readonly secret: SecretEntity,
    private readonly provider: CloudProvider,
  ) {}

  async resolve(event: InboxEvent): Promise<ResolvedEvent> {
    const { resourceType, instanceId, region, action } = event;
    if (!resourceType || !instanceId || !region || !action) throw new PermanentEventError('the event names no resource');
    if (!isAllowedRegion(this.secret.allowRegions, region)) throw new PermanentEventError(`region ${region} is not in the secret's allow_regions`);
    const kind = RESOURCE_KINDS[resourceType];
    const origin: ChangeOrigin = { trigger: 'event', jobId: null, eventId: event.id };

    if (action === 'delete') return { event, kind, deletion: { instanceId, observedAt: event.observedAt ?? event.receivedAt, origin } };
    if (action === 'upsert' && event.observedAt) {
      const record = carriedRecord(this.provider, event);
      if (record) return { event, kind, item: { record, queryAt: event.observedAt, origin } };
    }
    // A hint (or a resource we cannot read from the message): what the vendor holds now.
    if (!this.provider.get) throw new PermanentEventError(`${this.secret.vendor} cannot read one resource by id`);
    this.credentials ??= this.secrets.credentialsOf(this.secret);
    const queryAt = new Date(); // taken before the call, as a listing page's
    const record = await this.provider.get(this.credentials, resourceType, region, instanceId);
    if (record) return { event, kind, item: { record, queryAt, origin } };
    return { event, kind, deletion: { instanceId, observedAt: queryAt, origin } }; // not found: a delete
  }
}

function outcomeOf(result: ItemResult): EventOutcome {
  if (result.action === 'failed') return { status: 'failed', reason: result.message };
  if (isStale(result)) return { status: 'stale', reason: result.message };
  return { status: 'applied', reason: result.action === 'unchanged' ? (result.message ?? 'no change') : result.action };
}
