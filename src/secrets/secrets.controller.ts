import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorators';
import { parseUuid } from '../common/validation';
import { CreateSecretDto, UpdateSecretDto } from './dto/secret-fields';
import { ListSecretsQuery } from './dto/list-secrets.query';
import { SecretsService } from './secrets.service';

@ApiTags('secrets')
@Controller('secrets')
export class SecretsController {
  constructor(private readonly secrets: SecretsService) {}

  @Post()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Register a cloud credential (api_secret is encrypted and never returned)' })
  async create(@Body() dto: CreateSecretDto) {
    const { secret, webhookSecret } = await this.secrets.create(dto);
    // Shown this once: only a rotation issues another.
    return { ...this.secrets.view(secret), ...(webhookSecret ? { webhook_secret: webhookSecret } : {}) };
  }

  @Post(':id/webhook-secret')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Issue a new webhook secret (the old one stops working); shown this once' })
  async rotateWebhookSecret(@Param('id', parseUuid('id')) id: string) {
    return { webhook_secret: await this.secrets.rotateWebhookSecret(id) };
  }

  @Get()
  @RequireRole('operator')
  @ApiOperation({ summary: 'List secrets (masked), oldest first' })
  list(@Query() query: ListSecretsQuery) {
    return this.secrets.list(query);
  }

  @Get(':id')
  @RequireRole('operator')
  async get(@Param('id', parseUuid('id')) id: string) {
    return this.secrets.view(await this.secrets.get(id));
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Change a secret; leave api_secret out to keep the stored one' })
  async update(@Param('id', parseUuid('id')) id: string, @Body() dto: UpdateSecretDto) {
    return this.secrets.view(await this.secrets.update(id, dto));
  }

  @Delete(':id')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a secret (409 while it syncs); its resources stay in the inventory' })
  async remove(@Param('id', parseUuid('id')) id: string): Promise<void> {
    await this.secrets.remove(id);
  }
}
