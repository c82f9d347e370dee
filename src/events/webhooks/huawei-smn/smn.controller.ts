import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../auth/access.decorators';
import type { WebhookRequest } from '../webhook-body';
import { SmnReceipt, WebhookRefusalResponses } from '../webhook-receipts.response';
import { WebhookRefusal, WebhookRefusals } from '../webhook-refusals';
import { WebhookSecrets } from '../webhook-secrets';
import { SmnReceiver } from './smn-receiver';

@ApiTags('delta sync')
@Controller('webhooks/huawei-smn')
export class SmnController {
  constructor(
    private readonly webhookSecrets: WebhookSecrets,
    private readonly receiver: SmnReceiver,
    private readonly refusals: WebhookRefusals,
  ) {}

  /** Authenticated by SMN's signature, never by a bearer token. 2xx once stored; 5xx only when storing failed (SMN then retries). */
  @Post(':secret_id')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Receive Huawei Config (RMS) notifications through an SMN HTTP(S) subscription' })
  @ApiOkResponse({ type: SmnReceipt })
  @WebhookRefusalResponses()
  async receive(@Param('secret_id') secretId: string, @Req() req: WebhookRequest): Promise<SmnReceipt> {
    try {
      const secret = await this.webhookSecrets.receiving(secretId);
      if (!req.webhookBody) throw new WebhookRefusal('too_large', 'the body is larger than CMDB_WEBHOOK_MAX_BYTES');
      return await this.receiver.receive(secret, req.webhookBody);
    } catch (error) {
      if (error instanceof WebhookRefusal) return this.refusals.refused('huawei-smn', secretId, error);
      throw error;
    }
  }
}
