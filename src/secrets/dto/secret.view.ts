import { maskApiKey } from '../mask-api-key';
import type { SecretEntity } from '../secret.entity';
import { effectiveSchedule, nextSlot } from '../sync-schedule';
import type { SecretView } from './secret.response';

/**
 * What a client may see of a secret: never api_secret, and api_key masked.
 * `defaultSchedule` is CMDB_SYNC_SCHEDULE, which a secret without its own follows.
 */
export function secretView(secret: SecretEntity, defaultSchedule: string | null): SecretView {
  const schedule = secret.enabled ? effectiveSchedule(secret.syncSchedule, defaultSchedule) : null;
  return {
    id: secret.id,
    name: secret.name,
    description: secret.description,
    vendor: secret.vendor,
    credential_type: secret.credentialType,
    api_key: maskApiKey(secret.apiKey),
    allow_regions: secret.allowRegions,
    address: secret.address,
    request_rate: secret.requestRate,
    project_ids: secret.projectIds,
    tls: secret.vendor === 'vsphere' ? { ca: secret.tlsCa, insecure: secret.tlsInsecure } : null,
    enabled: secret.enabled,
    watch: secret.watch,
    /** null until a process follows the feed (and for a secret that does not watch). */
    watch_status: secret.watch ? secret.watchStatus : null,
    sync_schedule: secret.syncSchedule,
    sync_timezone: secret.syncTimezone,
    effective_schedule: schedule,
    next_sync_at: schedule ? nextSlot(schedule, secret.syncTimezone, new Date()).toISOString() : null,
    delta_sync: secret.deltaSync,
    smn_topic_urns: secret.vendor === 'huawei' ? secret.smnTopicUrns : null,
    smn_signing_certs: secret.vendor === 'huawei' ? secret.smnSigningCerts : null,
    eventbridge_signing_certs: secret.vendor === 'aliyun' ? secret.eventbridgeSigningCerts : null,
    // The webhook secret itself is shown once, when issued: only whether there is one.
    webhook_secret_set: secret.webhookSecretCiphertext !== null,
    encryption_key_id: secret.apiSecretKeyId,
    created_at: secret.createdAt.toISOString(),
    updated_at: secret.updatedAt.toISOString(),
  };
}
