import { Injectable, NotFoundException } from '@nestjs/common';
import type { SecretEntity } from '../../secrets/secret.entity';
import { SecretsService } from '../../secrets/secrets.service';
import { WebhookRefusal } from './webhook-refusals';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The secret a webhook path names, if it exists and takes notifications. */
@Injectable()
export class WebhookSecrets {
  constructor(private readonly secrets: SecretsService) {}

  async receiving(secretId: string): Promise<SecretEntity> {
    if (!UUID.test(secretId)) throw new WebhookRefusal('unknown_secret', 'no such secret');
    const secret = await this.secrets.get(secretId).catch((error: unknown) => {
      if (error instanceof NotFoundException) return null;
      throw error; // the database failing is ours: 5xx, the vendor retries
    });
    if (!secret) throw new WebhookRefusal('unknown_secret', 'no such secret');
    if (!secret.enabled || !secret.deltaSync) throw new WebhookRefusal('delta_sync_off', 'delta sync is off for this secret');
    return secret;
  }
}
