import type { ListedItem } from '../inventory/inventory-writer';
import type { ResourceKind } from '../inventory/resource-columns';
import type { ObservedDeletion } from '../inventory/tombstones';
import type { CloudProvider, ResourceRecord } from '../providers/provider';
import type { InboxEvent } from './inbox/inbox-event';

/** An event turned into what it writes: the resource, observed at a time, or its deletion. */
export interface ResolvedEvent {
  event: InboxEvent;
  kind: ResourceKind;
  item?: ListedItem;
  deletion?: ObservedDeletion;
}

/** The resource a notification carries, or null when its shape cannot be read (then it is re-read). */
export function carriedRecord(provider: CloudProvider, event: InboxEvent): ResourceRecord | null {
  const item = event.payload.resource_properties;
  if (!provider.recordOf || !item || typeof item !== 'object') return null;
  try {
    const record = provider.recordOf(event.resourceType!, event.region!, item as Record<string, unknown>);
    return record.instanceId === event.instanceId ? record : null;
  } catch {
    return null;
  }
}
