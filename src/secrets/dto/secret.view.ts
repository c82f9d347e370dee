import { maskApiKey } from '../mask-api-key';
import type { SecretEntity } from '../secret.entity';

/** What a client may see of a secret: never api_secret, and api_key masked. */
export function secretView(secret: SecretEntity) {
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
    encryption_key_id: secret.apiSecretKeyId,
    created_at: secret.createdAt.toISOString(),
    updated_at: secret.updatedAt.toISOString(),
  };
}

export type SecretView = ReturnType<typeof secretView>;
