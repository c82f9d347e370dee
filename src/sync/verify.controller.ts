import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorators';
import { ApiErrors } from '../common/error-body';
import { parseUuid } from '../common/validation';
import { isProviderError } from '../providers/provider-error';
import { ProviderRegistry } from '../providers/provider-registry';
import { SecretsService } from '../secrets/secrets.service';
import { SyncScopeDto } from './dto/sync-request.dto';
import { VerifyResultView } from './dto/verify.response';
import { checkedScope } from './sync-scope';

/** Whether a secret's credential works, before anyone waits on a sync. */
@ApiTags('secrets')
@Controller()
export class VerifyController {
  constructor(
    private readonly secrets: SecretsService,
    private readonly providers: ProviderRegistry,
  ) {}

  @Post('secrets/:id/verify')
  @RequireRole('operator')
  @HttpCode(200)
  @ApiOperation({
    summary: 'One cheap vendor call that tells whether the credential works in a region',
    description: 'Answers 200 with `ok: true`, or `ok: false` and the vendor\'s error (code, message, request id). vSphere needs no region.',
  })
  @ApiOkResponse({ type: VerifyResultView })
  @ApiErrors([400, 404])
  async verify(@Param('id', parseUuid('id')) id: string, @Body() body: SyncScopeDto): Promise<VerifyResultView> {
    const secret = await this.secrets.get(id);
    const provider = this.providers.get(secret.vendor);
    const { region } = checkedScope(secret, provider, { region: body.region });
    const started = Date.now();
    try {
      await provider.verify(this.secrets.credentialsOf(secret), region);
      return { ok: true, vendor: secret.vendor, region, latency_ms: Date.now() - started };
    } catch (error) {
      if (!isProviderError(error)) throw error;
      return { ok: false, vendor: secret.vendor, region, latency_ms: Date.now() - started, error: error.toJSON() };
    }
  }
}
