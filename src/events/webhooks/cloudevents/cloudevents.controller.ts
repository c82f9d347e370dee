import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../auth/access.decorators';
import { EventIntake } from '../event-intake';
import type { WebhookRequest } from '../webhook-body';
import { CloudEventsReceipt, WebhookRefusalResponses } from '../webhook-receipts.response';
import { WebhookRefusal, WebhookRefusals } from '../webhook-refusals';
import { WebhookSecrets } from '../webhook-secrets';
import { SecretsService } from '../../../secrets/secrets.service';
import { parseCloudEvents } from './cloudevent-parsing';
import { inboxEventOf } from './cloudevent-target';
import { checkWebhookSignature } from './webhook-hmac';

@ApiTags('delta sync')
@Controller('webhooks/cloudevents')
export class CloudEventsController {
  constructor(
    private readonly webhookSecrets: WebhookSecrets,
    private readonly secrets: SecretsService,
    private readonly intake: EventIntake,
    private readonly refusals: WebhookRefusals,
  ) {}

  /** Authenticated by the secret's webhook secret (HMAC), never by a bearer token: a cloud cannot send one. */
  @Post(':secret_id')
  @Public()
  @HttpCode(202)
  @ApiOperation({ summary: 'Receive CloudEvents 1.0 (structured, batched or binary) from Aliyun / Tencent EventBridge or a relay' })
  @ApiAcceptedResponse({ type: CloudEventsReceipt, description: 'Stored; applied next' })
  @WebhookRefusalResponses()
  async receive(@Param('secret_id') secretId: string, @Req() req: WebhookRequest): Promise<CloudEventsReceipt> {
    try {
      const secret = await this.webhookSecrets.receiving(secretId);
      const body = req.webhookBody;
      if (!body) throw new WebhookRefusal('too_large', 'the body is larger than CMDB_WEBHOOK_MAX_BYTES');
      const webhookSecret = this.secrets.webhookSecretOf(secret);
      if (!webhookSecret) throw new WebhookRefusal('bad_signature', 'the secret has no webhook secret: issue one (POST /secrets/:id/webhook-secret)');
      const verdict = checkWebhookSignature(webhookSecret, req.headers, body);
      if (verdict === 'missing') throw new WebhookRefusal('bad_signature', 'X-CMDB-Signature and X-CMDB-Timestamp are required');
      if (verdict === 'stale_timestamp') throw new WebhookRefusal('stale_timestamp', 'X-CMDB-Timestamp is not within 300 s of the server time');
      if (verdict === 'bad_signature') throw new WebhookRefusal('bad_signature', 'the signature does not match the body');
      let events;
      try {
        events = parseCloudEvents(req.headers, body);
      } catch (error) {
        throw new WebhookRefusal('malformed', `not a CloudEvents 1.0 delivery: ${error instanceof Error ? error.message : String(error)}`);
      }
      const stored = await this.intake.store(events.map((event) => inboxEventOf(secret.id, secret.vendor, event)));
      return { events: stored.map((result) => ({ id: result.id, duplicate: result.duplicate })) };
    } catch (error) {
      if (error instanceof WebhookRefusal) return this.refusals.refused('cloudevents', secretId, error);
      throw error;
    }
  }
}
