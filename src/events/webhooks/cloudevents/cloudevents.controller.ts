import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../../auth/access.decorators';
import { EventIntake } from '../event-intake';
import type { WebhookRequest } from '../webhook-body';
import { CloudEventsReceipt, WebhookRefusalResponses } from '../webhook-receipts.response';
import { WebhookRefusal, WebhookRefusals } from '../webhook-refusals';
import { WebhookSecrets } from '../webhook-secrets';
import { parseCloudEvents } from './cloudevent-parsing';
import { inboxEventOf } from './cloudevent-target';
import { CloudEventsAuthentication } from './cloudevents-authentication';

@ApiTags('delta sync')
@Controller('webhooks/cloudevents')
export class CloudEventsController {
  constructor(
    private readonly webhookSecrets: WebhookSecrets,
    private readonly authentication: CloudEventsAuthentication,
    private readonly intake: EventIntake,
    private readonly refusals: WebhookRefusals,
  ) {}

  /** Authenticated by the secret's webhook secret (HMAC) or EventBridge's own signature, never by a bearer token: a cloud cannot send one. */
  @Post(':secret_id')
  @Public()
  @HttpCode(202)
  @ApiOperation({ summary: 'Receive CloudEvents 1.0 (structured, batched or binary) from Aliyun / Tencent EventBridge or a relay' })
  @ApiAcceptedResponse({ type: CloudEventsReceipt, description: 'Stored; applied next' })
  @WebhookRefusalResponses()
  async receive(@Param('secret_id') secretId: string, @Req() req: WebhookRequest & Request): Promise<CloudEventsReceipt> {
    try {
      const secret = await this.webhookSecrets.receiving(secretId);
      const body = req.webhookBody;
      if (!body) throw new WebhookRefusal('too_large', 'the body is larger than CMDB_WEBHOOK_MAX_BYTES');
      // The URL as the sender addressed it (behind a proxy: X-Forwarded-Proto/Host, when CMDB_TRUSTED_PROXIES trusts it).
      this.authentication.check(secret, { url: `${req.protocol}://${req.host}${req.originalUrl}`, headers: req.headers, body });
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
