import type { ResourceType } from '../providers/provider';
import type { ChangeType } from './change-log';

/** One committed change as the feed reads it back. */
export interface ChangeRecord {
  revision: number;
  changedAt: Date;
  kind: ResourceType;
  resourceId: string;
  vendor: string;
  instanceId: string;
  secretId: string | null;
  region: string | null;
  changeType: ChangeType;
  changedFields: Record<string, { old: unknown; new: unknown }> | null;
  trigger: 'sync' | 'event';
  jobId: string | null;
  eventId: string | null;
  /** The resource's API view right after the change (for a delete, its last state), as JSON text; null on rows older than the feed. */
  object: string | null;
}

/** What a reader of the feed may narrow it to; every field optional. */
export interface ChangeFilter {
  kind?: ResourceType;
  vendor?: string;
  secretId?: string;
  region?: string;
  changeType?: ChangeType;
}

export function matchesFilter(change: ChangeRecord, filter: ChangeFilter): boolean {
  return (
    (filter.kind === undefined || change.kind === filter.kind) &&
    (filter.vendor === undefined || change.vendor === filter.vendor) &&
    (filter.secretId === undefined || change.secretId === filter.secretId) &&
    (filter.region === undefined || change.region === filter.region) &&
    (filter.changeType === undefined || change.changeType === filter.changeType)
  );
}
