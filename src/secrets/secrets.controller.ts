import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorators';
import { ApiErrors } from '../common/error-body';
import { parseUuid } from '../common/validation';
import { CreateSecretDto, UpdateSecretDto } from './dto/secret-fields';
import { ListSecretsQuery } from './dto/list-secrets.query';
import { CreatedSecretView, SecretPage, SecretView, WebhookSecretView } from './dto/secret.response';
import { SecretsService } from './secrets.service';

@ApiTags('secrets')
@Controller('secrets')
export class SecretsController {
  constructor(private readonly secrets: SecretsService) {}

  @Post()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Register a cloud credential (api_secret is encrypted and never returned)' })
  @ApiCreatedResponse({ type: CreatedSecretView })
  @ApiErrors([400, 409])
  async create(@Body() dto: CreateSecretDto): Promise<CreatedSecretView> {
    const { secret, webhookSecret } = await this.secrets.create(dto);
    // Shown this once: only a rotation issues another.
    return { ...this.secrets.view(secret), ...(webhookSecret ? { webhook_secret: webhookSecret } : {}) };
  }

  @Post(':id/webhook-secret')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Issue a new webhook secret (the old one stops working); shown this once' })
  @ApiCreatedResponse({ type: WebhookSecretView })
  @ApiErrors([400, 404])
  async rotateWebhookSecret(@Param('id', parseUuid('id')) id: string): Promise<WebhookSecretView> {
    return { webhook_secret: await this.secrets.rotateWebhookSecret(id) };
  }

  @Get()
  @RequireRole('operator')
  @ApiOperation({ summary: 'List secrets (masked), oldest first' })
  @ApiOkResponse({ type: SecretPage })
  @ApiErrors([400])
  list(@Query() query: ListSecretsQuery) {
    return this.secrets.list(query);
  }

  @Get(':id')
  @RequireRole('operator')
  @ApiOperation({ summary: 'One secret (masked)' })
  @ApiOkResponse({ type: SecretView })
  @ApiErrors([400, 404])
  async get(@Param('id', parseUuid('id')) id: string): Promise<SecretView> {
    return this.secrets.view(await this.secrets.get(id));
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Change a secret; leave api_secret out to keep the stored one' })
  @ApiOkResponse({ type: SecretView })
  @ApiErrors([400, 404, 409])
  async update(@Param('id', parseUuid('id')) id: string, @Body() dto: UpdateSecretDto): Promise<SecretView> {
    return this.secrets.view(await this.secrets.update(id, dto));
  }

  @Delete(':id')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a secret (409 while it syncs); its resources stay in the inventory' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors([400, 404, 409])
  async remove(@Param('id', parseUuid('id')) id: string): Promise<void> {
    await this.secrets.remove(id);
  }
}
