import { fieldError } from '../common/validation';
import type { CloudProvider, ResourceType } from '../providers/provider';
import { isAllowedRegion } from '../secrets/allow-region';
import type { SecretEntity } from '../secrets/secret.entity';
import type { SyncJobEntity } from './sync-job.entity';
import type { JobScope } from './sync-jobs.service';

export interface SyncScope {
  resourceType: ResourceType;
  /** null where the vendor has no regions (vSphere: the whole vCenter). */
  region: string | null;
}

/**
 * A scope a client asked for, checked against the secret and its vendor's
 * provider: a region where the vendor needs one and the allowlist holds it,
 * none where it has none, a resource type the vendor lists. 400 naming the field otherwise.
 */
export function checkedScope(
  secret: SecretEntity,
  provider: CloudProvider,
  requested: { region?: string; resourceType?: ResourceType },
): SyncScope {
  const resourceType = requested.resourceType ?? 'host';
  if (!provider.resourceTypes.includes(resourceType)) {
    throw fieldError('resource_type', `${secret.vendor} secrets sync ${provider.resourceTypes.join(' and ')} only`);
  }
  if (!provider.needsRegion) {
    if (requested.region) throw fieldError('region', `region must be left out for ${secret.vendor}: its scope is the whole account`);
    return { resourceType, region: null };
  }
  if (!requested.region) throw fieldError('region', `region required for ${secret.vendor}`);
  if (!isAllowedRegion(secret.allowRegions, requested.region)) {
    throw fieldError('region', `region ${requested.region} is not in this secret's allow_regions`);
  }
  return { resourceType, region: requested.region };
}

/** A job keeps '' for "no region" (a column that takes part in unique keys); code speaks null. */
export function jobRegion(job: SyncJobEntity): string | null {
  return job.region === '' ? null : job.region;
}

export function jobScope(job: SyncJobEntity): JobScope {
  return { secretId: job.secretId ?? '', vendor: job.vendor, resourceType: job.resourceType, region: jobRegion(job) };
}

export function jobScopeKey(job: SyncJobEntity): string {
  const scope = jobScope(job);
  return scopeKey(scope.secretId, scope.resourceType, scope.region);
}

/** The lock name of a sync scope: at most one sync of it at a time, across replicas. */
export function scopeKey(secretId: string, resourceType: string, region: string | null): string {
  return `sync:${secretId}:${resourceType}:${region ?? ''}`;
}
